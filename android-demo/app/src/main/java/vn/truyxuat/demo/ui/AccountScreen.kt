package vn.truyxuat.demo.ui

import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.Button
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.input.KeyboardType
import kotlinx.coroutines.launch
import vn.truyxuat.demo.MainViewModel
import vn.truyxuat.demo.R
import vn.truyxuat.demo.logic.AccountStatus
import vn.truyxuat.demo.logic.ActionResult
import vn.truyxuat.demo.logic.Bilingual
import vn.truyxuat.demo.logic.Lang
import vn.truyxuat.demo.logic.SyncOutcome
import vn.truyxuat.demo.logic.SyncStatus

/** Server address, sign in and out, and the state of the sync. */
@Composable
fun AccountScreen(vm: MainViewModel, lang: Lang) {
    val scope = rememberCoroutineScope()
    var url by rememberSaveable { mutableStateOf(vm.serverUrl) }
    var user by rememberSaveable { mutableStateOf("") }
    var password by remember { mutableStateOf("") }
    var account by remember { mutableStateOf<AccountStatus?>(null) }
    var sync by remember { mutableStateOf<SyncStatus?>(null) }
    var note by remember { mutableStateOf<Note?>(null) }
    var busy by remember { mutableStateOf(false) }
    val serverSaved = Bilingual.same(stringResource(R.string.server_saved))

    suspend fun reload() {
        account = vm.account.status()
        sync = vm.sync.status()
    }
    LaunchedEffect(Unit) { reload() }

    /** One button's work: the rest of the screen waits, then shows the result. */
    fun act(work: suspend () -> Note) {
        scope.launch {
            busy = true
            note = work()
            reload()
            busy = false
        }
    }
    fun ActionResult.note() = Note(message, isError = this is ActionResult.NotDone)

    FormColumn {
        ScreenTitle(stringResource(R.string.settings_server))
        Field(stringResource(R.string.f_server_url), url, { url = it }, null, lang, keyboard = KeyboardType.Uri)
        OutlinedButton(enabled = !busy, onClick = {
            act { vm.changeServer(url)?.let { Note(it, isError = true) } ?: Note(serverSaved, isError = false) }
        }, modifier = Modifier.fillMaxWidth()) { Text(stringResource(R.string.save_server)) }

        HorizontalDivider()
        ScreenTitle(stringResource(R.string.account_title))
        account?.let { Text(it.line().text(lang)) }
        if (account?.signedIn == true) {
            OutlinedButton(enabled = !busy, onClick = { act { vm.account.signOut().note() } }, modifier = Modifier.fillMaxWidth()) {
                Text(stringResource(R.string.sign_out))
            }
        } else {
            Field(stringResource(R.string.f_user), user, { user = it }, null, lang)
            Field(stringResource(R.string.f_password), password, { password = it }, null, lang, password = true)
            Button(enabled = !busy, onClick = {
                act {
                    val result = vm.account.signIn(user, password)
                    if (result is ActionResult.Done) {
                        password = ""
                        vm.recorded() // what waited for a sign-in can go now
                    }
                    result.note()
                }
            }, modifier = Modifier.fillMaxWidth()) { Text(stringResource(R.string.sign_in)) }
            Text(stringResource(R.string.demo_accounts), style = MaterialTheme.typography.bodySmall)
        }

        HorizontalDivider()
        ScreenTitle(stringResource(R.string.sync_title))
        sync?.let {
            Text(it.lastSyncText().text(lang))
            Text(it.countsText().text(lang))
        }
        Text(stringResource(R.string.sync_auto), style = MaterialTheme.typography.bodySmall)
        Button(enabled = !busy, onClick = {
            act {
                val outcome = vm.sync.syncNow()
                Note(outcome.message, isError = outcome !is SyncOutcome.Done)
            }
        }, modifier = Modifier.fillMaxWidth()) { Text(stringResource(R.string.sync_now)) }
        NoteView(note, lang)
    }
}
