package vn.truyxuat.demo.ui

import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.ui.graphics.Color
import vn.truyxuat.core.SyncState
import vn.truyxuat.demo.logic.Severity
import vn.truyxuat.demo.logic.Verdict

/** Text and background colours of the verdicts, warnings and sync badges. */
data class Tone(val text: Color, val background: Color)

object Tones {
    val ok = Tone(Color(0xFF1B6E3A), Color(0xFFE2F3E7))
    val caution = Tone(Color(0xFF7A4B00), Color(0xFFFFF1D6))
    val danger = Tone(Color(0xFFB3261E), Color(0xFFFCE6E4))
    val neutral = Tone(Color(0xFF44474E), Color(0xFFECEEF3))

    fun of(verdict: Verdict) = when (verdict) {
        Verdict.OK -> ok
        Verdict.CAUTION -> caution
        Verdict.DANGER -> danger
    }

    fun of(severity: Severity) = when (severity) {
        Severity.DANGER -> danger
        Severity.CAUTION -> caution
    }

    fun of(state: SyncState) = when (state) {
        SyncState.PENDING -> caution
        SyncState.SYNCED -> ok
        SyncState.REJECTED -> danger
    }
}

@Composable
fun TruyxuatTheme(content: @Composable () -> Unit) {
    MaterialTheme(
        colorScheme = lightColorScheme(primary = Color(0xFF1B6E3A), secondary = Color(0xFF3F6654)),
        content = content,
    )
}
