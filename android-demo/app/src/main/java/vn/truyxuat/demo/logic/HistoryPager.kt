package vn.truyxuat.demo.logic

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.withContext
import vn.truyxuat.core.EventKind
import vn.truyxuat.core.Journal
import vn.truyxuat.core.JournalEntry
import vn.truyxuat.core.SyncState

/** One line of the history screen. */
data class HistoryRow(
    val seq: Long,
    val kind: EventKind,
    val kindLabel: Bilingual,
    /** What the event was about: the code, the product and lot … */
    val title: String,
    /** RFC 3339, UTC, as recorded; [TimeText.localDateTime] shows it. */
    val deviceTime: String,
    val state: SyncState,
    val badge: Bilingual,
    /** Why the server refused it, when it did. */
    val reason: String?,
    /** For complaints: the code to follow the complaint with. */
    val trackingCode: String?,
) {
    companion object {
        fun of(e: JournalEntry): HistoryRow = HistoryRow(
            seq = e.seq,
            kind = e.kind,
            kindLabel = kindLabel(e.kind),
            title = title(e),
            deviceTime = e.deviceTime,
            state = e.state,
            badge = badge(e.state),
            reason = e.reason,
            trackingCode = e.trackingCode,
        )

        fun badge(state: SyncState): Bilingual = when (state) {
            SyncState.PENDING -> Bilingual("Chờ gửi", "Pending")
            SyncState.SYNCED -> Bilingual("Đã gửi", "Synced")
            SyncState.REJECTED -> Bilingual("Bị từ chối", "Rejected")
        }

        fun kindLabel(kind: EventKind): Bilingual = when (kind) {
            EventKind.SCAN -> Bilingual("Quét mã", "Scan")
            EventKind.HARVEST -> Bilingual("Thu hoạch", "Harvest")
            EventKind.FARM_DIARY -> Bilingual("Nhật ký đồng ruộng", "Farm diary")
            EventKind.INSPECTION -> Bilingual("Kiểm tra", "Inspection")
            EventKind.SHIPPING -> Bilingual("Xuất hàng", "Shipping")
            EventKind.RECEIVING -> Bilingual("Nhận hàng", "Receiving")
            EventKind.TRANSFORMATION -> Bilingual("Chế biến", "Processing")
            EventKind.COMPLAINT -> Bilingual("Phản ánh", "Complaint")
        }

        private fun title(e: JournalEntry): String {
            val p = e.payloadJson
            fun f(key: String) = JsonFields.string(p, key)?.takeIf { it.isNotBlank() }
            val parts = when (e.kind) {
                // GS1 separators (GS, U+001D) are invisible: show them as spaces.
                EventKind.SCAN -> listOf((f("element_string") ?: f("raw_text"))?.replace('\u001D', ' '))
                EventKind.HARVEST -> listOf(f("product"), f("lot"))
                EventKind.FARM_DIARY -> listOf(f("input_name"), f("applied_on"))
                EventKind.INSPECTION -> listOf(f("code"), f("result")?.let { if (it == "conformant") "✓" else "✗" })
                EventKind.COMPLAINT -> listOf(f("category"), e.trackingCode)
                else -> listOf(f("gtin"), f("lot"))
            }
            return parts.filterNotNull().joinToString(" · ").ifEmpty { e.id }
        }
    }
}

/** The history list as shown: the rows loaded so far, newest first. */
data class HistoryPage(val rows: List<HistoryRow>, val endReached: Boolean, val error: Bilingual?)

/**
 * Pages through the journal newest first with `listRecent`, so a long
 * history never loads at once on a cheap phone. Each page starts below the
 * last row shown, so a row is never shown twice.
 */
class HistoryPager(
    private val journal: Journal,
    private val pageSize: UInt = 30u,
    private val io: CoroutineDispatcher = Dispatchers.IO,
) {
    private val lock = Mutex()
    private val _page = MutableStateFlow(HistoryPage(emptyList(), endReached = false, error = null))
    val page: StateFlow<HistoryPage> = _page.asStateFlow()

    /** Start again from the newest entry (after recording or syncing). */
    suspend fun refresh(): HistoryPage = lock.withLock { load(emptyList()) }

    /** The next older page; does nothing at the end. */
    suspend fun loadMore(): HistoryPage = lock.withLock {
        val current = _page.value
        if (current.endReached) current else load(current.rows)
    }

    private suspend fun load(shown: List<HistoryRow>): HistoryPage {
        val before = shown.lastOrNull()?.seq
        val next = try {
            val entries = withContext(io) { journal.listRecent(before, pageSize) }
            val older = entries.filter { before == null || it.seq < before }.map(HistoryRow::of)
            HistoryPage(shown + older, endReached = entries.size < pageSize.toInt(), error = null)
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            HistoryPage(shown, endReached = false, error = ErrorText.of(e))
        }
        _page.value = next
        return next
    }
}
