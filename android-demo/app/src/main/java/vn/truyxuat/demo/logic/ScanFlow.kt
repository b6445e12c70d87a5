package vn.truyxuat.demo.logic

import com.sun.jna.Native
import com.sun.jna.Pointer
import java.nio.ByteBuffer
import java.util.concurrent.atomic.AtomicBoolean
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.withContext
import vn.truyxuat.core.DecodeMode
import vn.truyxuat.core.Journal
import vn.truyxuat.core.Province
import vn.truyxuat.core.Scanner
import vn.truyxuat.core.Session
import vn.truyxuat.core.Symbol

/** What the scan screen shows. */
sealed class ScanState {
    /** The camera is looking for a code. */
    data object Idle : ScanState()

    data class LookingUp(val code: String) : ScanState()

    /** [recordedSeq] is the scan's place in the journal; null with [notRecorded] if storing it failed. */
    data class Shown(val card: ResultCard, val recordedSeq: Long?, val notRecorded: Bilingual?) : ScanState()

    data class Failed(val code: String?, val message: Bilingual) : ScanState()
}

/**
 * Keeps the camera from looking up the code it is still pointed at: a text is
 * let through once, then not again until it has been out of sight for
 * [windowMillis]. Every frame that still shows it pushes the window on.
 */
class CodeDebouncer(
    private val windowMillis: Long = 1_500,
    private val clock: () -> Long = System::currentTimeMillis,
) {
    private val lastSeen = HashMap<String, Long>()

    /** Notes [texts] as seen now; returns those not seen within the window, in order. */
    @Synchronized
    fun admit(texts: List<String>): List<String> {
        val now = clock()
        lastSeen.entries.removeAll { now - it.value >= windowMillis }
        val fresh = texts.filter { it !in lastSeen }.distinct()
        texts.forEach { lastSeen[it] = now }
        return fresh
    }

    @Synchronized
    fun clear() = lastSeen.clear()
}

/**
 * The scan screen's logic: decode camera frames, and for each new code
 * resolve it through the session (online, or offline from what the phone
 * saved), record the scan with the answer shown, and publish a [ResultCard].
 */
class ScanFlow(
    private val scanner: Scanner,
    private val journal: Journal,
    private val session: () -> Session,
    private val provinces: List<Province> = emptyList(),
    private val debouncer: CodeDebouncer = CodeDebouncer(),
    private val io: CoroutineDispatcher = Dispatchers.IO,
) {
    private val busy = AtomicBoolean(false)
    private val _state = MutableStateFlow<ScanState>(ScanState.Idle)
    val state: StateFlow<ScanState> = _state.asStateFlow()

    /**
     * One camera frame's luma (Y) plane, on the camera's analysis thread.
     * Returns the code to look up, or null: no code, the same code again, or
     * a lookup still running. A code returned holds further frames back until
     * [lookUp] has run for it, so call it.
     */
    fun onFrame(luma: ByteArray, width: UInt, height: UInt, rowStride: UInt, rotationDegrees: Int): Symbol? =
        onFrame { scanner.decodeFrame(luma, width, height, rowStride, rotationDegrees, null, DecodeMode.STREAM) }

    /**
     * [onFrame] on the plane CameraX hands over (`ImageProxy.planes[0].buffer`),
     * read in place by the core when the buffer is direct (it is, from CameraX):
     * no copy of the frame. Call it before `ImageProxy.close()`, which frees
     * the buffer; the bytes from its position to its limit are the plane.
     */
    fun onFrame(plane: ByteBuffer, width: UInt, height: UInt, rowStride: UInt, rotationDegrees: Int): Symbol? {
        if (!plane.isDirect) {
            val luma = ByteArray(plane.remaining())
            plane.duplicate().get(luma)
            return onFrame(luma, width, height, rowStride, rotationDegrees)
        }
        val address = Pointer.nativeValue(Native.getDirectBufferPointer(plane)) + plane.position()
        return onFrame {
            scanner.decodeFrameAt(
                address.toULong(), plane.remaining().toULong(),
                width, height, rowStride, rotationDegrees, null, DecodeMode.STREAM,
            )
        }
    }

    private inline fun onFrame(decode: () -> List<Symbol>): Symbol? {
        if (busy.get()) return null
        val symbols = try {
            decode()
        } catch (e: Exception) {
            // A frame the decoder cannot take is dropped; the next comes in a few milliseconds.
            return null
        }
        return pick(symbols)?.also { busy.set(true) }
    }

    /**
     * The symbol to look up among those decoded, or null if all were seen
     * just now. A pack often carries an EAN-13 and a GS1 QR code; the GS1
     * one names the lot, so it wins.
     */
    fun pick(symbols: List<Symbol>): Symbol? {
        val usable = symbols.filter { it.text.isNotBlank() }
        val fresh = debouncer.admit(usable.map { it.text }).toSet()
        return usable.filter { it.text in fresh }.sortedByDescending { it.isGs1 }.firstOrNull()
    }

    suspend fun lookUp(symbol: Symbol): ScanState = lookUp(symbol.text, symbol.symbologyId)

    /** Resolve [text], record the scan with the answer shown, and publish the result. */
    suspend fun lookUp(text: String, symbologyId: String?): ScanState {
        busy.set(true)
        _state.value = ScanState.LookingUp(text)
        try {
            val result = withContext(io) { resolveAndRecord(text, symbologyId) }
            _state.value = result
            return result
        } finally {
            busy.set(false)
        }
    }

    /** A photo from the gallery: decoded thoroughly, then as a camera hit. */
    suspend fun lookUpImage(bytes: ByteArray): ScanState {
        val symbols = try {
            withContext(io) { scanner.decodeImage(bytes, DecodeMode.THOROUGH) }
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            return publish(ScanState.Failed(null, ErrorText.of(e)))
        }
        val best = symbols.filter { it.text.isNotBlank() }.sortedByDescending { it.isGs1 }.firstOrNull()
            ?: return publish(ScanState.Failed(null, NO_CODE))
        return lookUp(best)
    }

    /** Back to the camera. The code still in view is not looked up again until it leaves. */
    fun dismiss() {
        _state.value = ScanState.Idle
    }

    private fun publish(s: ScanState): ScanState {
        _state.value = s
        return s
    }

    private fun resolveAndRecord(text: String, symbologyId: String?): ScanState {
        val card = try {
            ResultCard.of(text, session().resolve(text), provinces)
        } catch (e: Exception) {
            // The scan is still kept: the journal is the record of what was scanned.
            runCatching { journal.recordScan(text, symbologyId, null, null) }
            return ScanState.Failed(text, ErrorText.of(e))
        }
        return try {
            val recorded = journal.recordScan(text, symbologyId, null, card.answerShown())
            ScanState.Shown(card, recorded.seq, null)
        } catch (e: Exception) {
            ScanState.Shown(card, null, ErrorText.of(e))
        }
    }

    companion object {
        val NO_CODE = Bilingual("Không tìm thấy mã nào trong ảnh", "No code found in the picture")
    }
}
