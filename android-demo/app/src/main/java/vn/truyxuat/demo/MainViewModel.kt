package vn.truyxuat.demo

import android.app.Application
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import androidx.lifecycle.AndroidViewModel
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import vn.truyxuat.core.Journal
import vn.truyxuat.core.provinces
import vn.truyxuat.demo.logic.AccountLogic
import vn.truyxuat.demo.logic.Bilingual
import vn.truyxuat.demo.logic.ComplaintChoices
import vn.truyxuat.demo.logic.ComplaintFormState
import vn.truyxuat.demo.logic.FarmDiaryFormState
import vn.truyxuat.demo.logic.HarvestFormState
import vn.truyxuat.demo.logic.HistoryPager
import vn.truyxuat.demo.logic.InspectionFormState
import vn.truyxuat.demo.logic.ScanFlow
import vn.truyxuat.demo.logic.SyncRunner
import vn.truyxuat.demo.sync.SyncWork

/**
 * Holds the logic objects (package vn.truyxuat.demo.logic) for the screens,
 * and the forms' drafts, so both survive rotation. All the deciding is in
 * the logic classes; the screens only show and forward.
 */
class MainViewModel(app: Application) : AndroidViewModel(app) {
    private val core = (app as TruyxuatApp).core

    val journal: Journal get() = core.journal
    val serverUrl: String get() = core.serverUrl

    val scan = ScanFlow(core.scanner, core.journal, core::session, provinces())
    val history = HistoryPager(core.journal)
    val account = AccountLogic(core::session)
    val sync = SyncRunner(core.journal, core::session)

    val categories = ComplaintChoices.categories()
    val provinceChoices = ComplaintChoices.provinces()

    var harvest by mutableStateOf(HarvestFormState())
    var diary by mutableStateOf(FarmDiaryFormState())
    var inspection by mutableStateOf(InspectionFormState())
    var complaint by mutableStateOf(ComplaintFormState())

    /** Null when the new address is in use (and remembered). */
    suspend fun changeServer(url: String): Bilingual? = withContext(Dispatchers.IO) {
        core.changeServer(url).also { problem ->
            if (problem == null) getApplication<TruyxuatApp>().saveServerUrl(url)
        }
    }

    /** Something was recorded: send it as soon as there is a network. */
    fun recorded() = SyncWork.syncSoon(getApplication())
}
