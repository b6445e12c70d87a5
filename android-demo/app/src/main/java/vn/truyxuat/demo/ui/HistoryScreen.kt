package vn.truyxuat.demo.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import kotlinx.coroutines.launch
import vn.truyxuat.demo.MainViewModel
import vn.truyxuat.demo.R
import vn.truyxuat.demo.logic.HistoryRow
import vn.truyxuat.demo.logic.Lang
import vn.truyxuat.demo.logic.TimeText

/** Everything recorded on this phone, newest first, a page at a time. */
@Composable
fun HistoryScreen(vm: MainViewModel, lang: Lang) {
    val page by vm.history.page.collectAsStateWithLifecycle()
    val scope = rememberCoroutineScope()
    LaunchedEffect(Unit) { vm.history.refresh() }

    Column(Modifier.fillMaxSize()) {
        Row(Modifier.fillMaxWidth().padding(horizontal = 16.dp, vertical = 8.dp), verticalAlignment = Alignment.CenterVertically) {
            Text(stringResource(R.string.history_title), style = MaterialTheme.typography.titleLarge, modifier = Modifier.weight(1f))
            TextButton(onClick = { scope.launch { vm.history.refresh() } }) { Text(stringResource(R.string.refresh)) }
        }
        LazyColumn(Modifier.fillMaxSize()) {
            items(page.rows, key = { it.seq }) { row ->
                HistoryRowView(row, lang)
                HorizontalDivider()
            }
            if (page.rows.isEmpty() && page.endReached) {
                item { Text(stringResource(R.string.history_empty), modifier = Modifier.padding(16.dp)) }
            }
            val error = page.error
            if (error != null) {
                item {
                    Column(Modifier.padding(16.dp)) {
                        NoteView(Note(error, isError = true), lang)
                        TextButton(onClick = { scope.launch { vm.history.loadMore() } }) { Text(stringResource(R.string.load_more)) }
                    }
                }
            } else if (!page.endReached) {
                item {
                    // Scrolling to the end of the list loads the next page.
                    LaunchedEffect(page.rows.size) { vm.history.loadMore() }
                    Box(Modifier.fillMaxWidth().padding(16.dp), contentAlignment = Alignment.Center) { CircularProgressIndicator() }
                }
            }
        }
    }
}

@Composable
private fun HistoryRowView(row: HistoryRow, lang: Lang) {
    Column(Modifier.fillMaxWidth().padding(horizontal = 16.dp, vertical = 10.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
        Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(row.kindLabel.text(lang), style = MaterialTheme.typography.labelLarge, modifier = Modifier.weight(1f))
            Badge(row.badge.text(lang), Tones.of(row.state))
        }
        Text(row.title, style = MaterialTheme.typography.bodyLarge)
        Text(TimeText.localDateTime(row.deviceTime), style = MaterialTheme.typography.bodySmall)
        row.trackingCode?.let { Text(stringResource(R.string.tracking_code, it), style = MaterialTheme.typography.bodySmall) }
        row.reason?.let { Text(it, color = Tones.danger.text, style = MaterialTheme.typography.bodySmall) }
    }
}
