package vn.truyxuat.demo.logic

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import vn.truyxuat.core.Journal
import vn.truyxuat.core.Session
import vn.truyxuat.core.SyncReport
import vn.truyxuat.core.TruyxuatException

/** The journal's outbox and the last sync, for the settings screen. */
data class SyncStatus(
    val pending: ULong,
    val synced: ULong,
    val rejected: ULong,
    /** RFC 3339; null if this phone never synced. */
    val lastSync: String?,
) {
    fun lastSyncText(nowSeconds: Long = TimeText.nowSeconds()): Bilingual {
        val at = lastSync?.let(TimeText::parseRfc3339)
            ?: return Bilingual("Chưa đồng bộ lần nào", "Never synced")
        val ago = TimeText.ago(nowSeconds - at)
        return Bilingual("Đồng bộ lần cuối: ${ago.vi}", "Last synced ${ago.en}")
    }

    fun countsText(): Bilingual = Bilingual(
        "$pending chờ gửi · $synced đã gửi · $rejected bị từ chối",
        "$pending pending · $synced synced · $rejected rejected",
    )
}

/** How a sync went. The worker retries [TryLater]; the others wait for the person. */
sealed class SyncOutcome {
    abstract val message: Bilingual

    data class Done(val report: SyncReport, override val message: Bilingual) : SyncOutcome()

    /** No network or the server is down; nothing is lost, try again later. */
    data class TryLater(override val message: Bilingual) : SyncOutcome()

    data class NeedsSignIn(override val message: Bilingual) : SyncOutcome()

    data class Failed(override val message: Bilingual) : SyncOutcome()
}

/** Runs a sync and reads the status; used by the settings screen and the background worker. */
class SyncRunner(
    private val journal: Journal,
    private val session: () -> Session,
    private val io: CoroutineDispatcher = Dispatchers.IO,
) {
    suspend fun status(): SyncStatus = withContext(io) {
        val c = journal.counts()
        SyncStatus(c.pending, c.synced, c.rejected, journal.lastSync())
    }

    suspend fun syncNow(): SyncOutcome = try {
        val r = withContext(io) { session().sync() }
        SyncOutcome.Done(r, describe(r))
    } catch (e: CancellationException) {
        throw e
    } catch (e: TruyxuatException.Offline) {
        SyncOutcome.TryLater(ErrorText.of(e))
    } catch (e: TruyxuatException.Server) {
        SyncOutcome.TryLater(ErrorText.of(e))
    } catch (e: TruyxuatException.SignInRequired) {
        SyncOutcome.NeedsSignIn(Bilingual("Cần đăng nhập để đồng bộ", "Sign in to sync"))
    } catch (e: Exception) {
        SyncOutcome.Failed(ErrorText.of(e))
    }

    companion object {
        fun describe(r: SyncReport): Bilingual {
            val sent = r.pushed + r.duplicate
            val vi = buildString {
                append("Đã gửi $sent, nhận ${r.pulled} mục mới")
                if (r.rejected > 0u) append(", ${r.rejected} bị từ chối")
                append("; còn ${r.pending} chờ gửi")
            }
            val en = buildString {
                append("Sent $sent, received ${r.pulled} updates")
                if (r.rejected > 0u) append(", ${r.rejected} rejected")
                append("; ${r.pending} still pending")
            }
            return Bilingual(vi, en)
        }
    }
}
