package vn.truyxuat.demo.logic

import vn.truyxuat.core.Journal
import vn.truyxuat.core.Scanner
import vn.truyxuat.core.Session

/**
 * The core objects one app process shares: the journal file, the decoder and
 * the link to the server. Screens, the sync worker and the tests take them
 * from here; [session] is a function because the server address can change.
 */
class AppCore private constructor(
    val journal: Journal,
    val scanner: Scanner,
    private var current: Session,
    serverUrl: String,
) : AutoCloseable {
    @Volatile
    var serverUrl: String = serverUrl
        private set

    @Synchronized
    fun session(): Session = current

    /** Point the app at another server; returns why not, or null when done. */
    fun changeServer(url: String): Bilingual? {
        ServerAddress.problem(url)?.let { return it }
        val next = try {
            Session(journal, url.trim())
        } catch (e: Exception) {
            return ErrorText.of(e)
        }
        val old = synchronized(this) {
            val old = current
            current = next
            serverUrl = url.trim()
            old
        }
        // A sync still running on the old session finishes first: uniffi
        // frees the native object only when its last call returns.
        old.close()
        return null
    }

    override fun close() {
        session().close()
        scanner.close()
        journal.close()
    }

    companion object {
        /** Opens (creating if needed) the journal at [journalPath]. */
        fun open(journalPath: String, serverUrl: String): AppCore {
            val journal = Journal.open(journalPath)
            try {
                return AppCore(journal, Scanner(), Session(journal, serverUrl.trim()), serverUrl.trim())
            } catch (e: Exception) {
                journal.close()
                throw e
            }
        }
    }
}

/** The server address field. */
object ServerAddress {
    /** The emulator's name for the development machine, where `truyxuat serve --demo` runs. */
    const val EMULATOR_DEFAULT = "http://10.0.2.2:8080"

    /** Why [url] cannot be a server address (the core checks the same), or null. */
    fun problem(url: String): Bilingual? {
        val u = url.trim()
        return if ((u.startsWith("http://") || u.startsWith("https://")) && u.length >= 10 && ' ' !in u) {
            null
        } else {
            Bilingual(
                "Địa chỉ máy chủ phải bắt đầu bằng https:// hoặc http://",
                "The server address must start with https:// or http://",
            )
        }
    }
}
