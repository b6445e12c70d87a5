package vn.truyxuat.demo.logic

import vn.truyxuat.core.LookupSource
import vn.truyxuat.core.Warning

/** How a warning is shown: red for danger, amber for caution. */
enum class Severity { DANGER, CAUTION }

data class WarningLine(val code: String, val severity: Severity, val text: Bilingual)

/**
 * The order of the result card's warnings. The core already lists the most
 * serious first; this fixes the colours and keeps the order stable when an
 * answer mixes warnings from the server and from the phone.
 */
object WarningRules {
    /** Do not sell or eat: shown red. */
    private val danger = listOf("revoked", "recalled", "possibly_cloned", "expired")

    /** Worth a second look: shown amber. An unknown code lands here too. */
    private val caution = listOf("invalid_code", "not_registered", "chain_broken", "foreign_prefix", "unknown_offline")

    fun severityOf(code: String): Severity = if (code in danger) Severity.DANGER else Severity.CAUTION

    private fun rank(code: String): Int {
        val i = (danger + caution).indexOf(code)
        return if (i < 0) danger.size + caution.size else i
    }

    /** Most serious first; the same warning twice is shown once. */
    fun order(warnings: List<Warning>): List<WarningLine> =
        warnings
            .distinctBy { it.code to it.vi }
            .sortedWith(compareBy({ severityOf(it.code).ordinal }, { rank(it.code) }))
            .map { WarningLine(it.code, severityOf(it.code), Bilingual(it.vi, it.en)) }
}

/** The line under the product that says where the answer came from and how old it is. */
object SourceText {
    fun of(source: LookupSource): Bilingual = when (source) {
        is LookupSource.Online -> Bilingual("Trực tuyến · vừa tra cứu", "Online · looked up just now")
        is LookupSource.Saved -> {
            val age = TimeText.ago(source.ageSecs.toLong())
            Bilingual("Ngoại tuyến · lưu ${age.vi}", "Offline · saved ${age.en}")
        }
        is LookupSource.Local ->
            Bilingual("Ngoại tuyến · theo dữ liệu đã đồng bộ", "Offline · from data synced to this phone")
    }
}
