// The phone users' stories, in Kotlin, against the real library (through the
// generated bindings and JNA) and a real `truyxuat serve --demo` on
// 127.0.0.1:0. Run by mobile-bindings/test-kotlin.sh; ends with
// "N passed, N failed" and a non-zero exit status on any failure.
//
//   java … StoriesKt test SERVER_BINARY FIXTURES_DIR WORK_DIR
//   java … StoriesKt bench RAW_FRAME WIDTH HEIGHT ROUNDS   (the FFI figure)
//   java … StoriesKt record-inspection JOURNAL             (the crash story's child)

import java.awt.image.BufferedImage
import com.sun.jna.Native
import com.sun.jna.Pointer
import java.io.File
import java.nio.ByteBuffer
import java.net.URI
import java.net.URLEncoder
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.util.concurrent.TimeUnit
import javax.imageio.ImageIO
import kotlin.system.exitProcess
import vn.truyxuat.core.*
import vn.truyxuat.demo.logic.ScanFlow
import vn.truyxuat.demo.logic.runLogicTests

/// Nothing listens here: the phone is "offline".
const val UNREACHABLE = "http://127.0.0.1:9"

/// The farmer's lot, and the QR code printed for it (fixtures/codes/stories/).
const val GTIN = "08936120900017"
const val LOT = "HP07-261126"
const val PLOT_GLN = "8936120000038"
const val STORY_QR = "codes/stories/08936120900017-HP07-261126-qr.png"

class Checks {
    var passed = 0
    var failed = 0

    fun check(name: String, ok: Boolean) {
        if (ok) {
            passed++
            println("ok      $name")
        } else {
            failed++
            println("FAILED  $name")
        }
    }

    /// Run a story; an exception fails it (and is shown) instead of stopping the rest.
    fun story(name: String, body: () -> Unit) {
        println("== $name")
        try {
            body()
        } catch (e: Throwable) {
            check("$name: finished without ${e.javaClass.simpleName}: ${e.message}", false)
            e.printStackTrace(System.out)
        }
    }
}

inline fun <reified E : Throwable> throws(body: () -> Unit): Boolean =
    try {
        body()
        false
    } catch (e: Throwable) {
        e is E
    }

/// A running `truyxuat serve --demo`, stopped when closed.
class Server(binary: String, work: File) : AutoCloseable {
    private val process: Process
    val url: String

    init {
        val db = File(work, "server.db")
        process = ProcessBuilder(binary, "serve", "--demo", "--db", db.path, "--addr", "127.0.0.1:0")
            .redirectError(File(work, "server.log"))
            .start()
        val lines = process.inputStream.bufferedReader()
        var found: String? = null
        while (found == null) {
            val line = lines.readLine() ?: error("the server stopped before listening (see ${work.path}/server.log)")
            found = Regex("listening on (http://\\S+)").find(line)?.groupValues?.get(1)
        }
        url = found
        Thread { lines.forEachLine { } }.apply { isDaemon = true }.start()
    }

    override fun close() {
        process.destroy()
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly()
    }
}

/// The PNG's pixels as 8-bit luma, pasted into a 1280×720 camera-like frame
/// whose rows are padded (row stride > width), as CameraX hands them over.
class Frame(val luma: ByteArray, val width: Int, val height: Int, val rowStride: Int)

fun frameOf(png: File, width: Int = 1280, height: Int = 720, rowStride: Int = 1344): Frame {
    val image: BufferedImage = ImageIO.read(png)
    val luma = ByteArray(rowStride * height) { 0xFF.toByte() }
    val left = (width - image.width) / 2
    val top = (height - image.height) / 2
    for (y in 0 until minOf(image.height, height)) {
        for (x in 0 until minOf(image.width, width)) {
            val rgb = image.getRGB(x, y)
            val r = (rgb shr 16) and 0xFF
            val g = (rgb shr 8) and 0xFF
            val b = rgb and 0xFF
            luma[(top + y) * rowStride + left + x] = ((r * 299 + g * 587 + b * 114) / 1000).toByte()
        }
    }
    return Frame(luma, width, height, rowStride)
}

/// The server seen with plain HTTP, as another party (an authority, the
/// inspector's office) sees it.
class Api(private val url: String) {
    private val http = HttpClient.newHttpClient()

    fun token(user: String): String {
        val body = send("/v1/auth/token", null, """{"username":"$user","password":"demo"}""")
        return Regex("\"access_token\"\\s*:\\s*\"([^\"]+)\"").find(body)?.groupValues?.get(1) ?: error("no token: $body")
    }

    fun send(path: String, token: String?, json: String?): String {
        val request = HttpRequest.newBuilder(URI("$url$path"))
        if (token != null) request.header("Authorization", "Bearer $token")
        if (json != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body()
    }

    /// How many events with this id the account's listing of the device holds.
    fun copies(user: String, eventId: String, deviceId: String): Int {
        val device = URLEncoder.encode(deviceId, Charsets.UTF_8)
        val page = send("/v1/events?device_id=$device&limit=5000", token(user), null)
        return Regex("\"id\"\\s*:\\s*\"${Regex.escape(eventId)}\"").findAll(page).count()
    }
}

fun farmerStory(c: Checks, serverUrl: String, work: File) = c.story("farmer: harvest and diary offline, then sync") {
    val path = File(work, "farmer.db").path
    var harvestId = ""
    Journal.open(path).use { journal ->
        Session(journal, UNREACHABLE).use { offline ->
            harvestId = journal.recordHarvest(
                HarvestForm(
                    product = "Cà phê nhân Robusta",
                    lot = LOT,
                    quantity = 1250.0,
                    unit = "kg",
                    harvestDate = "2026-11-26",
                    gtin = GTIN,
                    gln = PLOT_GLN,
                    location = GeoPoint(12.6139, 107.9868),
                    certification = "VietGAP",
                ),
            ).id
            journal.recordFarmDiary(FarmDiaryForm("Phân hữu cơ vi sinh", "500 kg/ha", "2026-09-02", gln = PLOT_GLN))
            journal.recordFarmDiary(FarmDiaryForm("Thuốc trừ sâu sinh học Bt", "1 l/ha", "2026-10-15", 14u, PLOT_GLN, LOT))
            c.check("a harvest with a bad date is refused as invalid input", throws<TruyxuatException.InvalidInput> {
                journal.recordHarvest(HarvestForm("Cà phê", "X1", 10.0, "kg", "2026-13-40", gln = PLOT_GLN))
            })
            c.check("the refused harvest stored nothing", journal.counts().total == 3uL)
            c.check("signing in offline says offline", throws<TruyxuatException.Offline> { offline.login("farmer", "demo") })
            c.check("three events wait offline", journal.counts().pending == 3uL)
        }
    }
    // The app is closed and opened again, still offline, then the network comes back.
    Journal.open(path).use { journal ->
        c.check("the events are still there after reopening", journal.counts().pending == 3uL)
        c.check("the journal's chain checks out", journal.verify().ok)
        Session(journal, serverUrl).use { session ->
            val who = session.login("farmer", "demo")
            c.check("the farmer signs in", who.role == "farmer" && who.deviceId == journal.deviceId())
            val report = session.sync()
            c.check("the sync sends all three (pushed=${report.pushed})", report.pushed == 3uL && report.rejected == 0uL)
            c.check("nothing is left pending", journal.counts().pending == 0uL && journal.counts().synced == 3uL)
            val again = session.sync()
            c.check("a second sync sends nothing", again.pushed == 0uL && again.pending == 0uL)
            val history = journal.listRecent(null, 10u)
            c.check("history is newest first, all synced",
                history.size == 3 && history.first().kind == EventKind.FARM_DIARY &&
                    history.last().id == harvestId && history.all { it.state == SyncState.SYNCED })
            val expires = session.refresh()
            c.check("the token can be refreshed", expires > System.currentTimeMillis() / 1000)
        }
    }
}

fun consumerStory(c: Checks, serverUrl: String, fixtures: File, work: File) = c.story("consumer: scan the lot, resolve online, then offline") {
    val scanner = Scanner()
    val png = File(fixtures, STORY_QR)
    val symbols = scanner.decodeImage(png.readBytes(), DecodeMode.THOROUGH)
    val text = symbols.firstOrNull()?.text ?: ""
    c.check("the QR image decodes to the lot's Digital Link ($text)",
        symbols.size == 1 && text == "https://id.gs1.org/01/$GTIN/10/$LOT" && symbols[0].format == "QR Code")
    c.check("its GS1 parse names the GTIN", symbols.firstOrNull()?.gs1?.gtin == GTIN)

    val frame = frameOf(png)
    val fromFrame = scanner.decodeFrame(frame.luma, frame.width.toUInt(), frame.height.toUInt(), frame.rowStride.toUInt(), 0, null, DecodeMode.FAST)
    c.check("a 1280×720 camera frame with padded rows decodes the same", fromFrame.map { it.text } == listOf(text))
    val cropped = scanner.decodeFrame(frame.luma, 1280u, 720u, 1344u, 90, Crop(320u, 40u, 640u, 640u), DecodeMode.FAST)
    c.check("a cropped frame rotated 90° decodes the same", cropped.map { it.text } == listOf(text))
    // Light on dark: fast frames miss it; a camera stream reads it after half a second of them.
    val dark = ByteArray(frame.luma.size) { (255 - (frame.luma[it].toInt() and 0xff)).toByte() }
    c.check("a light-on-dark frame is not read in fast mode",
        scanner.decodeFrame(dark, 1280u, 720u, 1344u, 0, null, DecodeMode.FAST).isEmpty())
    val camera = Scanner()
    val reads = (1..16).map { camera.decodeFrame(dark, 1280u, 720u, 1344u, 0, null, DecodeMode.STREAM).map { it.text } }
    c.check("as a stream: 15 fast frames find nothing, the 16th is read thoroughly",
        reads.take(15).all { it.isEmpty() } && reads[15] == listOf(text))
    c.check("a frame shorter than its size is refused, not a crash", throws<TruyxuatException.InvalidInput> {
        scanner.decodeFrame(ByteArray(100), 1280u, 720u, 1280u, 0, null, DecodeMode.FAST)
    })
    c.check("a rotation of 45° is refused", throws<TruyxuatException.InvalidInput> {
        scanner.decodeFrame(frame.luma, 1280u, 720u, 1344u, 45, null, DecodeMode.FAST)
    })

    // The same frame in native memory, as CameraX hands it over, read in place.
    val plane = ByteBuffer.allocateDirect(16 + frame.luma.size)
    plane.position(16)
    plane.put(frame.luma).flip().position(16)
    val address = Pointer.nativeValue(Native.getDirectBufferPointer(plane)) + plane.position()
    val inPlace = scanner.decodeFrameAt(address.toULong(), plane.remaining().toULong(),
        1280u, 720u, 1344u, 0, null, DecodeMode.FAST)
    c.check("a direct buffer is decoded in place, the same", inPlace.map { it.text } == listOf(text))
    c.check("a direct buffer shorter than its frame is refused", throws<TruyxuatException.InvalidInput> {
        scanner.decodeFrameAt(address.toULong(), 1000uL, 1280u, 720u, 1344u, 0, null, DecodeMode.FAST)
    })
    c.check("a null address is refused, not a crash", throws<TruyxuatException.InvalidInput> {
        scanner.decodeFrameAt(0uL, plane.remaining().toULong(), 1280u, 720u, 1344u, 0, null, DecodeMode.FAST)
    })

    val parsed = parseCode(text)
    c.check("parseCode: a valid lot code", parsed.valid && parsed.info.kind == CodeKind.LOT && parsed.info.lot == LOT)
    c.check("parseCode: a bad check digit is invalid with a reason",
        parseCode("(01)08936120900018").let { !it.valid && it.info.error != null })

    val path = File(work, "consumer.db").path
    Journal.open(path).use { journal ->
        // The Android app's scan screen, fed CameraX's plane (no lookup here).
        val camera = ScanFlow(scanner, journal, { error("not looked up in this check") })
        c.check("the app's scan flow picks the code from a direct plane",
            camera.onFrame(plane, 1280u, 720u, 1344u, 0)?.text == text)
        val gallery = ScanFlow(scanner, journal, { error("not looked up in this check") })
        c.check("and from a heap buffer, copied",
            gallery.onFrame(ByteBuffer.wrap(frame.luma), 1280u, 720u, 1344u, 0)?.text == text)
        journal.recordScan(text, symbols[0].symbologyId, null, null)
        // A photo for a complaint: kept by its SHA-256 until the next sync sends it.
        val photo = journal.addPhoto(png.readBytes())
        c.check("a photo is kept under its SHA-256", photo.length == 64 && photo.all { it in "0123456789abcdef" })
        c.check("what is not a photo is refused", throws<TruyxuatException.InvalidInput> { journal.addPhoto("GIF89a".toByteArray()) })
        Session(journal, serverUrl).use { online ->
            val answer = online.resolve(text)
            c.check("online: the answer is from the server", answer.source is LookupSource.Online)
            c.check("online: the product is named (${answer.product?.nameVi})",
                answer.registered && answer.product?.nameVi == "Cà phê nhân Robusta (nguyên liệu)")
            c.check("online: the journey holds the farmer's harvest (${answer.journeySteps} steps)",
                answer.journeySteps >= 1u && answer.detailJson?.contains(LOT) == true)
            c.check("online: not recalled", answer.warnings.none { it.code == "recalled" })
        }
        Session(journal, UNREACHABLE).use { offline ->
            val saved = offline.resolve(text)
            val source = saved.source
            c.check("offline: the saved answer, with its age",
                source is LookupSource.Saved && source.ageSecs < 600uL && saved.product?.nameVi != null)
            val unknown = offline.resolve("(01)08936561100229(10)NOT-SEEN")
            c.check("offline: an unseen code says nothing is stored",
                unknown.source is LookupSource.Local && unknown.warnings.any { it.code == "unknown_offline" })
            val garbage = offline.resolve("not a product code")
            c.check("offline: text that is not a code says so", garbage.warnings.any { it.code == "invalid_code" })
        }
        // An authority recalls the lot; the phone learns it on its next sync
        // and then knows it offline, for the answer saved before the recall too.
        val api = Api(serverUrl)
        val declared = api.send(
            "/v1/recalls", api.token("authority"),
            """{"gtin":"$GTIN","lots":["$LOT"],"severity":"high","reason_vi":"Nấm mốc vượt ngưỡng","reason_en":"Mould above the limit"}""",
        )
        c.check("the authority declares the recall", declared.contains(LOT))
        Session(journal, serverUrl).use { online ->
            online.login("consumer", "demo")
            c.check("the consumer's sync pulls the recall", online.sync().pulled >= 1uL)
        }
        val flagged = journal.recalledScans()
        c.check("the past scan of the lot is flagged", flagged.size == 1 && flagged[0].lot == LOT && flagged[0].severity == "high")
        Session(journal, UNREACHABLE).use { offline ->
            val answer = offline.resolve(text)
            c.check("offline: the answer saved before the recall now shows it first",
                answer.source is LookupSource.Saved && answer.warnings.firstOrNull()?.code == "recalled" &&
                    answer.recalls.any { it.lots.contains(LOT) })
        }
        Session(journal, serverUrl).use { online ->
            c.check("online: recalled", online.resolve(text).warnings.firstOrNull()?.code == "recalled")
        }
    }
}

/// The crash story's child process: record an inspection, say so, and wait
/// to be killed (no close, no clean shutdown).
fun recordInspectionAndHang(path: String) {
    val journal = Journal.open(path)
    val recorded = journal.recordInspection(
        InspectionForm(
            code = "(01)08936120100110(10)RX500-261105",
            result = InspectionResult.NON_CONFORMANT,
            reasons = listOf("nhãn thiếu hạn sử dụng"),
            sampleTaken = true,
            notes = "Chợ Buôn Ma Thuột, sạp 12",
        ),
    )
    println("recorded ${recorded.id}")
    System.out.flush()
    Thread.sleep(60_000)
}

fun inspectorStory(c: Checks, serverUrl: String, work: File) = c.story("inspector: inspection offline, crash, sync once") {
    val path = File(work, "inspector.db").path
    val java = File(System.getProperty("java.home"), "bin/java").path
    val child = ProcessBuilder(
        java, "-ea", "-cp", System.getProperty("java.class.path"),
        "-Djna.library.path=" + System.getProperty("jna.library.path"),
        "StoriesKt", "record-inspection", path,
    ).redirectErrorStream(true).start()
    val said = child.inputStream.bufferedReader().readLine() ?: ""
    child.destroyForcibly() // SIGKILL: the app dies with the journal open
    child.waitFor(10, TimeUnit.SECONDS)
    val eventId = said.removePrefix("recorded ")
    c.check("the child recorded the inspection before it was killed ($said)", said.startsWith("recorded "))

    Journal.open(path).use { journal ->
        c.check("after the crash the inspection is there, pending", journal.counts().pending == 1uL)
        c.check("after the crash the chain checks out", journal.verify().ok)
        Session(journal, serverUrl).use { session ->
            session.login("inspector", "demo")
            val first = session.sync()
            val second = session.sync()
            c.check("the first sync sends it, the second sends nothing", first.pushed == 1uL && second.pushed == 0uL)
            c.check("the record is on the server exactly once",
                Api(serverUrl).copies("inspector", eventId, journal.deviceId()) == 1)
            val entry = journal.list(0, 10u).single()
            c.check("the phone shows it synced", entry.state == SyncState.SYNCED && entry.kind == EventKind.INSPECTION)

            // The signed recall pack of the inspector's province, kept current by deltas.
            val pack = session.updateRecallPack(null)
            c.check("a whole recall pack for Hà Nội (${pack.recalls} recalls)", pack.whole && pack.province == "01" && pack.recalls >= 2u)
            val api = Api(serverUrl)
            api.send(
                "/v1/recalls", api.token("authority"),
                """{"gtin":"$GTIN","lots":["$PACK_LOT"],"severity":"high","reason_vi":"Nhiễm khuẩn","reason_en":"Contaminated"}""",
            )
            val delta = session.updateRecallPack(null)
            c.check("the next update is a delta with the new recall", !delta.whole && delta.recalls == pack.recalls + 1u && delta.version > pack.version)
        }
        // In the market with no network: the lot is in the pack (never pulled by a sync).
        Session(journal, UNREACHABLE).use { offline ->
            val answer = offline.resolve("(01)$GTIN(10)$PACK_LOT")
            c.check("offline, a lot in the recall pack shows recalled first",
                answer.source is LookupSource.Local && answer.warnings.firstOrNull()?.code == "recalled")
        }
    }
}

/// A lot recalled only for the inspector's recall pack check.
const val PACK_LOT = "HP08-261127"

/// Per-frame cost of decodeFrame through the FFI on a raw 1280×720 luma
/// frame (the Rust side times the same frame directly: examples/frame_bench.rs):
/// - `kotlin_ffi`: a ByteArray, copied into a buffer uniffi allocates;
/// - `kotlin_ffi_direct`: a direct ByteBuffer read in place (`decodeFrameAt`,
///   what the Android app does with CameraX's plane);
/// - `_corner`: the same with a 16×16 crop of the blank corner, so the decode
///   is next to nothing and what remains is the cost of the call itself.
fun bench(raw: File, width: Int, height: Int, rounds: Int) {
    val luma = raw.readBytes()
    val plane = ByteBuffer.allocateDirect(luma.size).put(luma).flip()
    val address = Pointer.nativeValue(Native.getDirectBufferPointer(plane)).toULong()
    val length = plane.remaining().toULong()
    val (w, h) = width.toUInt() to height.toUInt()
    val corner = Crop(0u, 0u, 16u, 16u)
    Scanner().use { scanner ->
        val warm = scanner.decodeFrameAt(address, length, w, h, w, 0, null, DecodeMode.FAST)
        require(warm.isNotEmpty()) { "the bench frame must hold a code" }
        val variants = listOf<Pair<String, () -> Unit>>(
            "kotlin_ffi" to { scanner.decodeFrame(luma, w, h, w, 0, null, DecodeMode.FAST) },
            "kotlin_ffi_direct" to { scanner.decodeFrameAt(address, length, w, h, w, 0, null, DecodeMode.FAST) },
            "kotlin_ffi_corner" to { scanner.decodeFrame(luma, w, h, w, 0, corner, DecodeMode.FAST) },
            "kotlin_ffi_direct_corner" to { scanner.decodeFrameAt(address, length, w, h, w, 0, corner, DecodeMode.FAST) },
        )
        for ((name, call) in variants) {
            // Warm up until the JIT has compiled the call path (its compiler
            // threads otherwise share the two cores with the measurement).
            repeat(rounds) { call() }
            val times = LongArray(rounds)
            for (i in 0 until rounds) {
                val t = System.nanoTime()
                call()
                times[i] = System.nanoTime() - t
            }
            times.sort()
            println("$name median_us=${times[rounds / 2] / 1000} mean_us=${times.average().toLong() / 1000} rounds=$rounds")
        }
    }
}

fun main(args: Array<String>) {
    when (args.firstOrNull()) {
        "record-inspection" -> return recordInspectionAndHang(args[1])
        "bench" -> return bench(File(args[1]), args[2].toInt(), args[3].toInt(), args[4].toInt())
        "test" -> {}
        else -> {
            System.err.println("usage: StoriesKt test SERVER_BINARY FIXTURES_DIR WORK_DIR")
            exitProcess(2)
        }
    }
    val (binary, fixtures, work) = Triple(args[1], File(args[2]), File(args[3]))
    work.mkdirs()
    val c = Checks()
    Server(binary, work).use { server ->
        println("server at ${server.url}")
        farmerStory(c, server.url, work)
        consumerStory(c, server.url, fixtures, work)
        inspectorStory(c, server.url, work)
        c.story("android-demo app logic") {
            runLogicTests(server.url, File(work, "android-logic").apply { mkdirs() }, fixtures, c::check)
        }
    }
    println("${c.passed} passed, ${c.failed} failed")
    exitProcess(if (c.failed == 0 && c.passed > 0) 0 else 1)
}
