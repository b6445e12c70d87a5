package vn.truyxuat.demo.ui

import androidx.annotation.StringRes
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.safeDrawingPadding
import androidx.compose.material3.ScrollableTabRow
import androidx.compose.material3.Surface
import androidx.compose.material3.Tab
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.viewmodel.compose.viewModel
import vn.truyxuat.demo.MainViewModel
import vn.truyxuat.demo.R
import vn.truyxuat.demo.logic.Lang

private enum class Screen(@StringRes val title: Int) {
    SCAN(R.string.tab_scan),
    HISTORY(R.string.tab_history),
    HARVEST(R.string.tab_harvest),
    DIARY(R.string.tab_diary),
    INSPECTION(R.string.tab_inspection),
    COMPLAINT(R.string.tab_complaint),
    ACCOUNT(R.string.tab_account),
}

/** Tabs across the top, one screen below. */
@Composable
fun TruyxuatScreens(vm: MainViewModel = viewModel()) {
    // The logic's texts follow the language Android picked for the resources.
    val lang = Lang.fromTag(stringResource(R.string.lang_tag))
    var screen by rememberSaveable { mutableStateOf(Screen.SCAN) }
    Surface(Modifier.fillMaxSize()) {
        Column(Modifier.fillMaxSize().safeDrawingPadding()) {
            ScrollableTabRow(selectedTabIndex = screen.ordinal, edgePadding = 8.dp) {
                Screen.entries.forEach { s ->
                    Tab(selected = s == screen, onClick = { screen = s }, text = { Text(stringResource(s.title)) })
                }
            }
            Box(Modifier.weight(1f).fillMaxWidth()) {
                when (screen) {
                    Screen.SCAN -> ScanScreen(vm, lang, onComplain = { code ->
                        vm.complaint = vm.complaint.copy(code = code)
                        screen = Screen.COMPLAINT
                    })
                    Screen.HISTORY -> HistoryScreen(vm, lang)
                    Screen.HARVEST -> HarvestScreen(vm, lang)
                    Screen.DIARY -> FarmDiaryScreen(vm, lang)
                    Screen.INSPECTION -> InspectionScreen(vm, lang)
                    Screen.COMPLAINT -> ComplaintScreen(vm, lang)
                    Screen.ACCOUNT -> AccountScreen(vm, lang)
                }
            }
        }
    }
}
