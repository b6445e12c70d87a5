package vn.truyxuat.demo.logic

import vn.truyxuat.core.Lookup
import vn.truyxuat.core.LookupSource
import vn.truyxuat.core.Province

/** The colour of the card's header. */
enum class Verdict { OK, CAUTION, DANGER }

/** What the scan screen shows for one code. */
data class ResultCard(
    /** The scanned text. */
    val code: String,
    val gtin: String?,
    /** Null when the code names no known product. */
    val productName: Bilingual?,
    val brand: String?,
    val company: String?,
    val companyProvince: Bilingual?,
    val lot: String?,
    val expiry: String?,
    val registered: Boolean,
    val source: LookupSource,
    val sourceLine: Bilingual,
    /** Most serious first. */
    val warnings: List<WarningLine>,
    val journeySteps: UInt,
    val chainComplete: Boolean?,
) {
    val verdict: Verdict
        get() = when (warnings.firstOrNull()?.severity) {
            Severity.DANGER -> Verdict.DANGER
            Severity.CAUTION -> Verdict.CAUTION
            null -> Verdict.OK
        }

    val isOffline: Boolean get() = source !is LookupSource.Online

    fun title(lang: Lang): String =
        productName?.text(lang) ?: Bilingual("Sản phẩm chưa rõ", "Unknown product").text(lang)

    /** The verdict in words, for the header and for screen readers. */
    fun verdictText(): Bilingual = when (verdict) {
        Verdict.OK -> Bilingual("Không có cảnh báo", "No warnings")
        Verdict.CAUTION -> Bilingual("Cần lưu ý", "Take care")
        Verdict.DANGER -> Bilingual("Cảnh báo nghiêm trọng", "Serious warning")
    }

    /** What the journal keeps as "the answer shown": the first warning's code, or `ok`. */
    fun answerShown(): String = warnings.firstOrNull()?.code ?: "ok"

    companion object {
        /** [provinces] turns province codes into names; without it the code is shown. */
        fun of(code: String, lookup: Lookup, provinces: List<Province> = emptyList()): ResultCard {
            val product = lookup.product
            val provinceName = lookup.company?.province?.let { c ->
                provinces.firstOrNull { it.code == c }?.let { Bilingual(it.nameVi, it.nameEn) } ?: Bilingual.same(c)
            }
            return ResultCard(
                code = code,
                gtin = product?.gtin ?: lookup.code.gtin,
                productName = product?.let { Bilingual(it.nameVi, it.nameEn ?: it.nameVi) },
                brand = product?.brand,
                company = lookup.company?.name,
                companyProvince = provinceName,
                lot = lookup.lot?.lot ?: lookup.code.lot,
                expiry = lookup.lot?.expiry,
                registered = lookup.registered,
                source = lookup.source,
                sourceLine = SourceText.of(lookup.source),
                warnings = WarningRules.order(lookup.warnings),
                journeySteps = lookup.journeySteps,
                chainComplete = lookup.chainComplete,
            )
        }
    }
}
