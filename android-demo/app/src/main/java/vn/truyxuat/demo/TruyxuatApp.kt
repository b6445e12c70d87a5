package vn.truyxuat.demo

import android.app.Application
import android.content.Context
import java.io.File
import vn.truyxuat.demo.logic.AppCore
import vn.truyxuat.demo.logic.ServerAddress
import vn.truyxuat.demo.sync.SyncWork

/** The process: one journal, one decoder, one session, shared by screens and the sync worker. */
class TruyxuatApp : Application() {
    /** Opened on first use, on whichever thread needs it first. */
    val core: AppCore by lazy { openCore() }

    override fun onCreate() {
        super.onCreate()
        SyncWork.schedule(this)
    }

    fun saveServerUrl(url: String) {
        prefs().edit().putString(KEY_SERVER_URL, url.trim()).apply()
    }

    private fun openCore(): AppCore {
        val journal = File(filesDir, "journal.db").path
        val url = prefs().getString(KEY_SERVER_URL, null) ?: ServerAddress.EMULATOR_DEFAULT
        return try {
            AppCore.open(journal, url)
        } catch (e: Exception) {
            // A stored address the core no longer takes: start from the default.
            AppCore.open(journal, ServerAddress.EMULATOR_DEFAULT)
        }
    }

    private fun prefs() = getSharedPreferences("settings", Context.MODE_PRIVATE)

    private companion object {
        const val KEY_SERVER_URL = "server_url"
    }
}
