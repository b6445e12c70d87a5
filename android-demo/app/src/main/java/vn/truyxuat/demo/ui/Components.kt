package vn.truyxuat.demo.ui

import androidx.compose.foundation.background
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ColumnScope
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.shape.RoundedCornerShape
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.DropdownMenu
import androidx.compose.material3.DropdownMenuItem
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.text.input.VisualTransformation
import androidx.compose.ui.unit.dp
import vn.truyxuat.demo.R
import vn.truyxuat.demo.logic.Bilingual
import vn.truyxuat.demo.logic.Choice
import vn.truyxuat.demo.logic.Lang

/** A message under a button: what happened, in the app's language. */
data class Note(val text: Bilingual, val isError: Boolean)

/** The scrolling column every form screen uses. */
@Composable
fun FormColumn(content: @Composable ColumnScope.() -> Unit) {
    Column(
        modifier = Modifier
            .fillMaxSize()
            .verticalScroll(rememberScrollState())
            .padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(8.dp),
        content = content,
    )
}

@Composable
fun ScreenTitle(text: String) {
    Text(text, style = MaterialTheme.typography.titleLarge)
}

/** A text field with the logic's hint for it (red) under it. */
@Composable
fun Field(
    label: String,
    value: String,
    onChange: (String) -> Unit,
    hint: Bilingual?,
    lang: Lang,
    keyboard: KeyboardType = KeyboardType.Text,
    multiline: Boolean = false,
    password: Boolean = false,
) {
    OutlinedTextField(
        value = value,
        onValueChange = onChange,
        label = { Text(label) },
        isError = hint != null,
        supportingText = if (hint == null) null else { { Text(hint.text(lang)) } },
        singleLine = !multiline,
        minLines = if (multiline) 3 else 1,
        keyboardOptions = KeyboardOptions(keyboardType = if (password) KeyboardType.Password else keyboard),
        visualTransformation = if (password) PasswordVisualTransformation() else VisualTransformation.None,
        modifier = Modifier.fillMaxWidth(),
    )
}

/** A choice from a list (complaint category, province). */
@Composable
fun Picker(label: String, choices: List<Choice>, selected: String, onPick: (String) -> Unit, hint: Bilingual?, lang: Lang) {
    var open by remember { mutableStateOf(false) }
    val current = choices.firstOrNull { it.code == selected }?.label?.text(lang) ?: stringResource(R.string.pick_one)
    Column {
        Text(label, style = MaterialTheme.typography.labelLarge)
        Box {
            OutlinedButton(onClick = { open = true }, modifier = Modifier.fillMaxWidth()) { Text(current) }
            DropdownMenu(expanded = open, onDismissRequest = { open = false }) {
                choices.forEach { c ->
                    DropdownMenuItem(
                        text = { Text(c.label.text(lang)) },
                        onClick = {
                            onPick(c.code)
                            open = false
                        },
                    )
                }
            }
        }
        hint?.let { Text(it.text(lang), color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.bodySmall) }
    }
}

@Composable
fun NoteView(note: Note?, lang: Lang) {
    if (note == null) return
    val tone = if (note.isError) Tones.danger else Tones.ok
    Text(
        note.text.text(lang),
        color = tone.text,
        modifier = Modifier
            .fillMaxWidth()
            .background(tone.background, RoundedCornerShape(8.dp))
            .padding(12.dp),
    )
}

/** A small coloured label: sync state, source of an answer. */
@Composable
fun Badge(text: String, tone: Tone) {
    Text(
        text,
        color = tone.text,
        style = MaterialTheme.typography.labelMedium,
        modifier = Modifier
            .background(tone.background, RoundedCornerShape(50))
            .padding(horizontal = 10.dp, vertical = 3.dp),
    )
}
