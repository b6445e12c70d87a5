package vn.truyxuat.demo.logic

import java.io.File
import kotlinx.coroutines.runBlocking
import vn.truyxuat.core.DecodeMode
import vn.truyxuat.core.EventKind
import vn.truyxuat.core.Journal
import vn.truyxuat.core.LookupSource
import vn.truyxuat.core.Scanner
import vn.truyxuat.core.Session
import vn.truyxuat.core.SyncState
import vn.truyxuat.core.Warning
import vn.truyxuat.core.provinces

/*
 * The app logic (package vn.truyxuat.demo.logic) against the real core
 * library and a real `truyxuat serve --demo` server. No JUnit: CI compiles
 * this file with the logic and the generated bindings in one kotlinc call
 * (mobile-bindings/test-kotlin.sh) and calls runLogicTests, which reports
 * every assertion through `check` and never throws for a failed one.
 */

/** Where nothing listens: the phone is "offline". */
private const val DEAD_SERVER = "http://127.0.0.1:9"

private const val QR_FIXTURE = "codes/demo/08936120100110-RX500-261105-qr.png"

/** A Vietnamese GTIN (prefix 893) with a valid check digit that no demo company owns. */
private const val UNKNOWN_GTIN = "08936999000016"

fun runLogicTests(serverUrl: String, workDir: java.io.File, fixturesDir: java.io.File, check: (String, Boolean) -> Unit) {
    val t = Checker(check)
    val env = Env(serverUrl, workDir, fixturesDir)
    try {
        t.section("text") { textChecks(t) }
        t.section("warnings") { warningChecks(t) }
        t.section("debounce") { debounceChecks(t) }
        t.section("form hints") { hintChecks(t) }
        t.section("app core") { appCoreChecks(t, env) }
        t.section("scan flow") { scanChecks(t, env) }
        t.section("harvest and farm diary") { farmerChecks(t, env) }
        t.section("inspection offline") { inspectorChecks(t, env) }
        t.section("complaint") { complaintChecks(t, env) }
        t.section("history pager") { historyChecks(t, env) }
    } finally {
        env.close()
    }
}

/** Reports checks; a section that throws is one failed check, and the run goes on. */
private class Checker(private val report: (String, Boolean) -> Unit) {
    fun that(name: String, ok: Boolean) = report(name, ok)

    fun equal(name: String, expected: Any?, actual: Any?) {
        val ok = expected == actual
        report(if (ok) name else "$name: expected <$expected>, got <$actual>", ok)
    }

    fun section(name: String, block: () -> Unit) {
        try {
            block()
        } catch (e: Throwable) {
            report("$name: threw ${e.javaClass.name}: ${e.message}", false)
        }
    }
}

/** Journals and sessions of one run, closed at the end. */
private class Env(val serverUrl: String, val workDir: File, val fixturesDir: File) : AutoCloseable {
    private val open = ArrayList<AutoCloseable>()

    init {
        workDir.mkdirs()
    }

    fun <T : AutoCloseable> keep(x: T): T {
        open.add(x)
        return x
    }

    /** A fresh journal file (earlier runs' files are removed). */
    fun journal(name: String): Journal {
        val path = File(workDir, "$name.db")
        listOf("", "-wal", "-shm", "-journal").forEach { File(path.path + it).delete() }
        return keep(Journal.open(path.path))
    }

    fun session(journal: Journal, url: String = serverUrl): Session = keep(Session(journal, url))

    override fun close() {
        open.asReversed().forEach { runCatching { it.close() } }
    }
}

private fun textChecks(t: Checker) {
    val saved = SourceText.of(LookupSource.Saved(savedAt = "2026-11-20T06:00:00.000Z", ageSecs = 10800u))
    t.equal("saved 3 h ago (vi)", "Ngoại tuyến · lưu 3 giờ trước", saved.vi)
    t.equal("saved 3 h ago (en)", "Offline · saved 3 h ago", saved.en)
    t.equal("language picks the text", "Offline · saved 3 h ago", saved.text(Lang.fromTag("en-GB")))
    t.equal("Vietnamese is the default language", Lang.VI, Lang.fromTag(null))
    t.that("online source line", SourceText.of(LookupSource.Online).vi.startsWith("Trực tuyến"))
    t.that("local source line is offline", SourceText.of(LookupSource.Local).en.startsWith("Offline"))

    t.equal("59 s is just now", "vừa xong", TimeText.ago(59).vi)
    t.equal("60 s is 1 min", "1 min ago", TimeText.ago(60).en)
    t.equal("2 days", "2 days ago", TimeText.ago(2 * 86_400 + 5).en)
    t.equal("RFC 3339, UTC", 1_767_862_800L, TimeText.parseRfc3339("2026-01-08T09:00:00.000Z"))
    t.equal("RFC 3339, +07:00", 1_767_862_800L, TimeText.parseRfc3339("2026-01-08T16:00:00+07:00"))
    t.equal("not RFC 3339", null, TimeText.parseRfc3339("08/01/2026"))
    t.equal("local time in Viet Nam", "08/01/2026 16:00", TimeText.localDateTime("2026-01-08T09:00:00.000Z", 7 * 3_600L))
    t.that("today is a date", Regex("""\d{4}-\d{2}-\d{2}""").matches(TimeText.today()))

    val status = SyncStatus(0u, 3u, 0u, "2026-01-08T09:00:00.000Z")
    t.equal("last sync 5 min ago", "Đồng bộ lần cuối: 5 phút trước", status.lastSyncText(1_767_862_800L + 300).vi)
    t.equal("never synced", "Never synced", SyncStatus(1u, 0u, 0u, null).lastSyncText().en)

    t.equal("json field with escapes", "a \"b\" à", JsonFields.string("""{"x":1,"raw_text":"a \"b\" \u00e0"}""", "raw_text"))
    t.equal("json field missing", null, JsonFields.string("""{"x":"raw_text"}""", "raw_text"))
}

private fun warningChecks(t: Checker) {
    fun w(code: String) = Warning(code, "vi $code", "en $code")
    val ordered = WarningRules.order(listOf(w("unknown_offline"), w("not_registered"), w("expired"), w("recalled"), w("expired")))
    t.equal("danger first, then caution", listOf("recalled", "expired", "not_registered", "unknown_offline"), ordered.map { it.code })
    t.equal("recalled is red", Severity.DANGER, WarningRules.severityOf("recalled"))
    t.equal("possibly cloned is red", Severity.DANGER, WarningRules.severityOf("possibly_cloned"))
    t.equal("not registered is amber", Severity.CAUTION, WarningRules.severityOf("not_registered"))
    t.equal("an unknown warning is amber", Severity.CAUTION, WarningRules.severityOf("something_new"))
    t.equal("warning text in English", "en recalled", ordered.first().text.text(Lang.EN))
}

private fun debounceChecks(t: Checker) {
    var now = 1_000L
    val d = CodeDebouncer(windowMillis = 1_500, clock = { now })
    t.equal("a new code passes", listOf("A"), d.admit(listOf("A")))
    now += 100
    t.equal("the same code on the next frame does not", emptyList<String>(), d.admit(listOf("A")))
    now += 1_400
    t.equal("still in view: the window moves on", emptyList<String>(), d.admit(listOf("A")))
    now += 1_500
    t.equal("out of sight long enough: passes again", listOf("A"), d.admit(listOf("A")))
    t.equal("a second code in the same frame passes once", listOf("B"), d.admit(listOf("A", "B")))
    now += 10
    t.equal("two codes in view do not take turns", emptyList<String>(), d.admit(listOf("B", "A")))
}

private fun hintChecks(t: Checker) {
    val empty = HarvestFormState().hints()
    t.that(
        "empty harvest: product, lot, quantity and GLN hinted",
        listOf(HarvestFormState.PRODUCT, HarvestFormState.LOT, HarvestFormState.QUANTITY, HarvestFormState.GLN).all { it in empty },
    )
    t.that("harvest date defaults to today", HarvestFormState.HARVEST_DATE !in empty)
    val ok = HarvestFormState(product = "Cà phê", lot = "L1", quantity = "320,5", gln = "8936120000021")
    t.equal("decimal comma accepted", emptyMap<String, Bilingual>(), ok.hints())
    t.that("bad date shape hinted", HarvestFormState.HARVEST_DATE in ok.copy(harvestDate = "20/11/2026").hints())
    t.that("zero quantity hinted", HarvestFormState.QUANTITY in ok.copy(quantity = "0").hints())
    t.that("next harvest keeps the GLN", ok.next().gln == "8936120000021" && ok.next().product.isEmpty())
    t.that(
        "non-conformant inspection needs a reason",
        InspectionFormState.REASONS in InspectionFormState(code = "x", conformant = false).hints(),
    )
    t.that(
        "PHI must be a number of days",
        FarmDiaryFormState.PRE_HARVEST_INTERVAL in FarmDiaryFormState(preHarvestIntervalDays = "mười").hints(),
    )
    t.equal("server address checked", null, ServerAddress.problem("http://10.0.2.2:8080"))
    t.that("server address without scheme refused", ServerAddress.problem("10.0.2.2:8080") != null)
}

private fun appCoreChecks(t: Checker, env: Env) {
    val path = File(env.workDir, "appcore.db")
    listOf("", "-wal", "-shm").forEach { File(path.path + it).delete() }
    val core = env.keep(AppCore.open(path.path, env.serverUrl))
    t.that("a bad server address is refused", core.changeServer("ftp://example.vn") != null)
    t.equal("the address stays", env.serverUrl, core.serverUrl)
    t.equal("changing the server", null, core.changeServer(DEAD_SERVER))
    t.equal("the new address is used", DEAD_SERVER, core.serverUrl)
}

private fun scanChecks(t: Checker, env: Env) {
    val journal = env.journal("consumer")
    val session = env.session(journal)
    val scanner = env.keep(Scanner())
    var now = 0L
    val flow = ScanFlow(scanner, journal, { session }, provinces(), CodeDebouncer(clock = { now }))

    val bytes = File(env.fixturesDir, QR_FIXTURE).readBytes()
    val symbols = scanner.decodeImage(bytes, DecodeMode.THOROUGH)
    t.that("fixture QR decodes", symbols.isNotEmpty())
    val symbol = flow.pick(symbols)
    t.that("first sight of the code is looked up", symbol != null)
    if (symbol == null) return
    now += 200
    t.equal("the same code again is not", null, flow.pick(symbols))

    val before = journal.counts().total
    val state = runBlocking { flow.lookUp(symbol) }
    t.that("lookup shows a card", state is ScanState.Shown)
    t.equal("the flow publishes the card", state, flow.state.value)
    val shown = state as? ScanState.Shown ?: return
    val card = shown.card
    t.that("product name on the card", card.productName?.vi?.contains("Robusta") == true)
    t.that("English product name", card.title(Lang.EN).contains("Robusta"))
    t.that("company on the card", !card.company.isNullOrBlank())
    t.equal("lot on the card", "RX500-261105", card.lot)
    t.that("source is online", card.source is LookupSource.Online)
    t.that("source line says online", card.sourceLine.en.startsWith("Online") && !card.isOffline)
    t.that("registered product", card.registered)
    t.equal("company province named", "Tỉnh Đắk Lắk", card.companyProvince?.vi)

    t.equal("the scan is recorded", before + 1u, journal.counts().total)
    val last = journal.listRecent(null, 1u).firstOrNull()
    t.equal("recorded as a scan", EventKind.SCAN, last?.kind)
    t.equal("recorded seq given", last?.seq, shown.recordedSeq)
    t.that(
        "the answer shown is kept with the scan",
        last != null && JsonFields.string(last.payloadJson, "answer_shown") == card.answerShown(),
    )

    // The same journal with the server out of reach: the saved answer, with its age.
    val offline = env.session(journal, DEAD_SERVER)
    val offlineFlow = ScanFlow(scanner, journal, { offline }, provinces())
    val again = runBlocking { offlineFlow.lookUp(symbol.text, symbol.symbologyId) }
    val savedCard = (again as? ScanState.Shown)?.card
    t.that("offline rescan shows the saved answer", savedCard?.source is LookupSource.Saved)
    t.that("saved answer line says offline", savedCard?.sourceLine?.vi?.startsWith("Ngoại tuyến · lưu") == true)
    t.that("saved answer keeps the product", savedCard?.productName?.vi?.contains("Robusta") == true)
    t.that("an offline card says so", savedCard?.isOffline == true)

    val unknown = runBlocking { offlineFlow.lookUp(UNKNOWN_GTIN, null) }
    val unknownCard = (unknown as? ScanState.Shown)?.card
    t.that("unknown code offline is built on the phone", unknownCard?.source is LookupSource.Local)
    t.that("unknown code offline warns", unknownCard?.warnings?.any { it.code == "unknown_offline" } == true)
    t.that("unknown code offline is not OK", unknownCard != null && unknownCard.verdict != Verdict.OK)

    val notAnImage = runBlocking { flow.lookUpImage(byteArrayOf(1, 2, 3)) }
    t.that("a broken picture fails with a message", notAnImage is ScanState.Failed)
}

private fun farmerChecks(t: Checker, env: Env) {
    val journal = env.journal("farmer")
    val stamp = System.currentTimeMillis().toString(36).uppercase()
    val form = HarvestFormState(
        product = "Cà phê Robusta quả tươi",
        lot = "HP03-$stamp",
        quantity = "320,5",
        unit = "kg",
        harvestDate = "2026-02-30",
        gln = "8936120000021",
    )
    val before = journal.counts()

    val badDate = runBlocking { form.submit(journal) }
    val refused = badDate as? SubmitResult.NotSaved
    t.that("a date that does not exist goes to the core", form.hints().isEmpty())
    t.that("the core refuses the bad date", refused != null)
    t.that("the core's reason names the field", refused?.coreReason?.contains("harvest_date") == true)
    t.that("the core's reason is shown", refused != null && refused.message.vi.contains(refused.coreReason ?: "\u0000"))
    t.equal("nothing stored for the bad date", before, journal.counts())

    val badQuantity = runBlocking { form.copy(quantity = "nhiều").submit(journal) }
    t.that("a quantity that is not a number is hinted", (badQuantity as? SubmitResult.NeedsFixing)?.hints?.containsKey(HarvestFormState.QUANTITY) == true)
    t.equal("nothing stored for the hint", before, journal.counts())

    val saved = runBlocking { form.copy(harvestDate = "2026-02-28").submit(journal) }
    t.that("a good harvest is saved", saved is SubmitResult.Saved)
    t.equal("one more pending", before.pending + 1u, journal.counts().pending)

    val diary = FarmDiaryFormState(
        inputName = "Phân hữu cơ vi sinh",
        dose = "2 kg/gốc",
        appliedOn = "2026-02-10",
        preHarvestIntervalDays = "0",
        gln = "8936120000014",
    )
    t.that("a farm-diary entry is saved", runBlocking { diary.submit(journal) } is SubmitResult.Saved)

    val session = env.session(journal)
    val account = AccountLogic({ session })
    val sync = SyncRunner(journal, { session })
    runBlocking {
        t.that("sync before sign-in asks to sign in", sync.syncNow() is SyncOutcome.NeedsSignIn)
        val wrong = account.signIn("farmer", "not-the-password")
        t.that("wrong password refused", wrong is ActionResult.NotDone)
        t.equal("wrong password message", "Sai tên đăng nhập hoặc mật khẩu", wrong.message.vi)
        t.that("sign in as farmer", account.signIn("farmer", "demo") is ActionResult.Done)
        val who = account.status()
        t.equal("signed in user", "farmer", who.user)
        t.that("role shown", who.line().vi.contains("nông dân"))

        val first = sync.status()
        t.equal("never synced before", "Chưa đồng bộ lần nào", first.lastSyncText().vi)
        t.equal("two pending before sync", 2uL, first.pending)
        val outcome = sync.syncNow()
        t.that("sync done", outcome is SyncOutcome.Done)
        t.equal("nothing rejected", 0uL, (outcome as? SyncOutcome.Done)?.report?.rejected)
        val after = sync.status()
        t.equal("nothing pending after sync", 0uL, after.pending)
        t.equal("both synced", 2uL, after.synced)
        t.that("last sync shown", after.lastSyncText().vi.startsWith("Đồng bộ lần cuối"))
        t.that("counts line", after.countsText().en.startsWith("0 pending · 2 synced"))

        val rows = HistoryPager(journal).refresh().rows
        t.that("history shows the harvest as synced", rows.any { it.kind == EventKind.HARVEST && it.state == SyncState.SYNCED && it.badge.vi == "Đã gửi" })
        t.that("history title names product and lot", rows.any { it.title == "Cà phê Robusta quả tươi · HP03-$stamp" })

        t.that("sign out", account.signOut() is ActionResult.Done)
        t.that("signed out", !account.status().signedIn)
    }
}

private fun inspectorChecks(t: Checker, env: Env) {
    val journal = env.journal("inspector")
    val base = InspectionFormState(code = "(01)08936120100110(10)RX500-261105", conformant = false, marketGln = "")
    runBlocking {
        t.that("no reason, not saved", base.submit(journal) is SubmitResult.NeedsFixing)
        val saved = base.copy(reasons = "Nhãn thiếu ngày sản xuất\n\n", sampleTaken = true).submit(journal)
        t.that("inspection saved with no server", saved is SubmitResult.Saved)
        t.equal("one reason kept", listOf("Nhãn thiếu ngày sản xuất"), base.copy(reasons = "Nhãn thiếu ngày sản xuất\n\n").reasonList())
        val row = HistoryPager(journal).refresh().rows.firstOrNull()
        t.equal("inspection pending", SyncState.PENDING, row?.state)
        t.equal("pending badge", "Pending", row?.badge?.en)

        // Offline: recording went on; a sync says to try later and loses nothing.
        val offline = env.session(journal, DEAD_SERVER)
        val account = AccountLogic({ offline })
        t.that("no sign-in without the server", account.signIn("inspector", "demo") is ActionResult.NotDone)

        val session = env.session(journal)
        t.that("inspector signs in", AccountLogic({ session }).signIn("inspector", "demo") is ActionResult.Done)
        val outcome = SyncRunner(journal, { session }).syncNow()
        t.that("inspection synced", outcome is SyncOutcome.Done && outcome.report.rejected == 0uL)
        t.equal("inspection now synced", SyncState.SYNCED, HistoryPager(journal).refresh().rows.firstOrNull()?.state)
    }
}

private fun complaintChecks(t: Checker, env: Env) {
    val categories = ComplaintChoices.categories()
    val provinces = ComplaintChoices.provinces()
    t.that("complaint categories from the core", categories.any { it.code == "counterfeit" && it.label.vi == "Hàng giả, nghi làm giả" })
    t.equal("34 provinces", 34, provinces.size)
    t.that("Hà Nội is a province", provinces.any { it.code == "01" && it.label.vi.contains("Hà Nội") })

    val journal = env.journal("complaint")
    val form = ComplaintFormState(code = "8936675100252", category = "quality_safety", description = "Trà có mùi lạ", province = "01")
    runBlocking {
        val short = form.copy(description = "mùi lạ").submit(journal, categories)
        t.that("short description hinted", (short as? SubmitResult.NeedsFixing)?.hints?.containsKey(ComplaintFormState.DESCRIPTION) == true)
        val unknownCategory = form.copy(category = "rude_seller").submit(journal, categories)
        t.that("category must be one of the list", (unknownCategory as? SubmitResult.NeedsFixing)?.hints?.containsKey(ComplaintFormState.CATEGORY) == true)
        val saved = form.copy(description = "Trà có mùi lạ, vị đắng khác thường").submit(journal, categories)
        val tracking = (saved as? SubmitResult.Saved)?.trackingCode
        t.that("complaint saved with a tracking code", !tracking.isNullOrBlank())
        t.that("the saved message shows the tracking code", tracking != null && saved.summary().vi.contains(tracking))
        val row = HistoryPager(journal).refresh().rows.firstOrNull()
        t.equal("history shows the tracking code", tracking, row?.trackingCode)
        t.equal("complaint label", "Complaint", row?.kindLabel?.en)
    }
}

private fun historyChecks(t: Checker, env: Env) {
    val journal = env.journal("history")
    val seqs = (1..7).map { journal.recordScan("scan-$it", null, null, "ok").seq }
    val pager = HistoryPager(journal, pageSize = 3u)
    runBlocking {
        val first = pager.refresh()
        t.equal("first page", seqs.reversed().take(3), first.rows.map { it.seq })
        t.that("not at the end yet", !first.endReached)
        pager.loadMore()
        val all = pager.loadMore()
        t.equal("all pages newest first", seqs.reversed(), all.rows.map { it.seq })
        t.equal("no duplicates", all.rows.size, all.rows.map { it.seq }.toSet().size)
        t.that("end reached", all.endReached)
        t.equal("nothing more at the end", 7, pager.loadMore().rows.size)
        t.equal("the pager publishes its page", all.rows, pager.page.value.rows)
        t.equal("scan title is the code", "scan-7", all.rows.first().title)

        val newer = journal.recordScan("newest", null, null, null).seq
        t.equal("refresh starts at the newest", newer, pager.refresh().rows.firstOrNull()?.seq)
    }
}
