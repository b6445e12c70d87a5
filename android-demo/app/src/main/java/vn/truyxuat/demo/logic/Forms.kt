package vn.truyxuat.demo.logic

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import vn.truyxuat.core.ComplaintForm
import vn.truyxuat.core.FarmDiaryForm
import vn.truyxuat.core.HarvestForm
import vn.truyxuat.core.InspectionForm
import vn.truyxuat.core.InspectionResult
import vn.truyxuat.core.Journal
import vn.truyxuat.core.Province
import vn.truyxuat.core.complaintCategories as coreComplaintCategories
import vn.truyxuat.core.provinces as coreProvinces

/*
 * The forms of the farmer, inspector and consumer screens. Each form state is
 * an immutable value holding the fields as typed; `hints()` catches what is
 * plainly missing or mistyped before anything reaches the core, and the core
 * checks the rest when recording (its refusal is shown as it gives it).
 * Recording needs no network: events wait in the journal for the next sync.
 */

/** What pressing "Lưu" (save) on a form gave. */
sealed class SubmitResult {
    /** Stored in the journal; it goes to the server with the next sync. */
    data class Saved(val seq: Long, val id: String, val trackingCode: String? = null) : SubmitResult()

    /** Fields to fix first, by field name; nothing was sent to the core. */
    data class NeedsFixing(val hints: Map<String, Bilingual>) : SubmitResult()

    /** The core refused or failed; nothing was stored. [coreReason] is its InvalidInput reason. */
    data class NotSaved(val message: Bilingual, val coreReason: String?) : SubmitResult()

    /** One line for under the save button. */
    fun summary(): Bilingual = when (this) {
        is Saved -> when (trackingCode) {
            null -> Bilingual(
                "Đã lưu trên máy; sẽ gửi lên máy chủ khi có mạng",
                "Saved on this phone; it goes to the server when there is a network",
            )
            else -> Bilingual("Đã ghi phản ánh. Mã theo dõi: $trackingCode", "Complaint filed. Tracking code: $trackingCode")
        }
        is NeedsFixing -> Bilingual("Hãy sửa các ô được đánh dấu", "Please fix the marked fields")
        is NotSaved -> message
    }
}

/** A value picked from a list: a code for the core, a label for people. */
data class Choice(val code: String, val label: Bilingual)

private object Check {
    private val dateShape = Regex("""\d{4}-\d{2}-\d{2}""")

    fun blank(s: String) = s.isBlank()

    /** `YYYY-MM-DD` in shape; whether the day exists is the core's call. */
    fun dateShaped(s: String) = dateShape.matches(s.trim())

    /** A positive number; a decimal comma (12,5) is fine, as Vietnamese writes it. */
    fun positive(s: String): Double? =
        s.trim().replace(',', '.').toDoubleOrNull()?.takeIf { it.isFinite() && it > 0 }

    fun digits(s: String, vararg lengths: Int) = s.trim().let { t -> t.length in lengths && t.all { it in '0'..'9' } }

    fun optional(s: String): String? = s.trim().ifEmpty { null }

    val REQUIRED = Bilingual("Bắt buộc", "Required")
    val DATE = Bilingual("Ngày dạng NNNN-TT-NN, ví dụ 2026-11-20", "A date as YYYY-MM-DD, e.g. 2026-11-20")
    val GLN = Bilingual("Mã GLN gồm 13 chữ số", "A GLN has 13 digits")
}

private suspend fun record(io: CoroutineDispatcher, block: () -> SubmitResult.Saved): SubmitResult =
    try {
        withContext(io) { block() }
    } catch (e: CancellationException) {
        throw e
    } catch (e: Exception) {
        SubmitResult.NotSaved(ErrorText.of(e), ErrorText.coreReason(e))
    }

/** A farmer's harvest. */
data class HarvestFormState(
    val product: String = "",
    val lot: String = "",
    val quantity: String = "",
    val unit: String = "kg",
    val harvestDate: String = TimeText.today(),
    val gtin: String = "",
    val gln: String = "",
    val certification: String = "",
) {
    fun hints(): Map<String, Bilingual> {
        val h = LinkedHashMap<String, Bilingual>()
        if (Check.blank(product)) h[PRODUCT] = Check.REQUIRED
        if (Check.blank(lot)) h[LOT] = Check.REQUIRED
        if (Check.positive(quantity) == null) {
            h[QUANTITY] = Bilingual("Số lượng lớn hơn 0, ví dụ 320,5", "A quantity above 0, e.g. 320.5")
        }
        if (Check.blank(unit)) h[UNIT] = Check.REQUIRED
        if (!Check.dateShaped(harvestDate)) h[HARVEST_DATE] = Check.DATE
        if (gtin.isNotBlank() && !Check.digits(gtin, 8, 12, 13, 14)) {
            h[GTIN] = Bilingual("Mã GTIN gồm 8, 12, 13 hoặc 14 chữ số", "A GTIN has 8, 12, 13 or 14 digits")
        }
        // The server takes a farmer's harvest only for one of the account's farms or plots.
        if (!Check.digits(gln, 13)) h[GLN] = Check.GLN
        return h
    }

    /** Check, then record in the journal. */
    suspend fun submit(journal: Journal, io: CoroutineDispatcher = Dispatchers.IO): SubmitResult {
        val hints = hints()
        if (hints.isNotEmpty()) return SubmitResult.NeedsFixing(hints)
        val form = HarvestForm(
            product = product.trim(),
            lot = lot.trim(),
            quantity = Check.positive(quantity) ?: 0.0,
            unit = unit.trim(),
            harvestDate = harvestDate.trim(),
            gtin = Check.optional(gtin),
            gln = Check.optional(gln),
            location = null,
            certification = Check.optional(certification),
        )
        return record(io) { journal.recordHarvest(form).let { SubmitResult.Saved(it.seq, it.id) } }
    }

    /** The form for the next harvest from the same plot: keeps what repeats. */
    fun next(): HarvestFormState =
        HarvestFormState(unit = unit, harvestDate = harvestDate, gtin = gtin, gln = gln, certification = certification)

    companion object {
        const val PRODUCT = "product"
        const val LOT = "lot"
        const val QUANTITY = "quantity"
        const val UNIT = "unit"
        const val HARVEST_DATE = "harvest_date"
        const val GTIN = "gtin"
        const val GLN = "gln"

        /** Units offered first; any other can be typed. */
        val UNITS = listOf("kg", "tấn", "tạ", "bao", "thùng")
    }
}

/** A farm-diary entry: fertiliser or pesticide put on a plot. */
data class FarmDiaryFormState(
    val inputName: String = "",
    val dose: String = "",
    val appliedOn: String = TimeText.today(),
    /** Thời gian cách ly: days to wait before harvesting. */
    val preHarvestIntervalDays: String = "",
    val gln: String = "",
    val lot: String = "",
) {
    fun hints(): Map<String, Bilingual> {
        val h = LinkedHashMap<String, Bilingual>()
        if (Check.blank(inputName)) h[INPUT_NAME] = Check.REQUIRED
        if (Check.blank(dose)) h[DOSE] = Bilingual("Ghi liều lượng, ví dụ 15 ml/16 lít nước", "Give the dose, e.g. 15 ml per 16 l of water")
        if (!Check.dateShaped(appliedOn)) h[APPLIED_ON] = Check.DATE
        if (preHarvestIntervalDays.isNotBlank() && preHarvestIntervalDays.trim().toIntOrNull()?.takeIf { it in 0..365 } == null) {
            h[PRE_HARVEST_INTERVAL] = Bilingual("Số ngày từ 0 đến 365", "A number of days from 0 to 365")
        }
        if (!Check.digits(gln, 13)) h[GLN] = Check.GLN
        return h
    }

    suspend fun submit(journal: Journal, io: CoroutineDispatcher = Dispatchers.IO): SubmitResult {
        val hints = hints()
        if (hints.isNotEmpty()) return SubmitResult.NeedsFixing(hints)
        val form = FarmDiaryForm(
            inputName = inputName.trim(),
            dose = dose.trim(),
            appliedOn = appliedOn.trim(),
            preHarvestIntervalDays = preHarvestIntervalDays.trim().toIntOrNull()?.toUInt(),
            gln = Check.optional(gln),
            lot = Check.optional(lot),
        )
        return record(io) { journal.recordFarmDiary(form).let { SubmitResult.Saved(it.seq, it.id) } }
    }

    /** The next entry for the same plot. */
    fun next(): FarmDiaryFormState = FarmDiaryFormState(appliedOn = appliedOn, gln = gln, lot = lot)

    companion object {
        const val INPUT_NAME = "input_name"
        const val DOSE = "dose"
        const val APPLIED_ON = "applied_on"
        const val PRE_HARVEST_INTERVAL = "pre_harvest_interval_days"
        const val GLN = "gln"
    }
}

/** An inspector's market check; works with no network at all. */
data class InspectionFormState(
    /** The scanned or typed code or lot. */
    val code: String = "",
    val conformant: Boolean = true,
    /** One reason a line. */
    val reasons: String = "",
    val sampleTaken: Boolean = false,
    val notes: String = "",
    val marketGln: String = "",
) {
    fun reasonList(): List<String> = reasons.lines().map { it.trim() }.filter { it.isNotEmpty() }

    fun hints(): Map<String, Bilingual> {
        val h = LinkedHashMap<String, Bilingual>()
        if (Check.blank(code)) h[CODE] = Check.REQUIRED
        if (!conformant && reasonList().isEmpty()) {
            h[REASONS] = Bilingual("Ghi ít nhất một lý do không đạt", "Give at least one reason it fails")
        }
        if (marketGln.isNotBlank() && !Check.digits(marketGln, 13)) h[MARKET_GLN] = Check.GLN
        return h
    }

    suspend fun submit(journal: Journal, io: CoroutineDispatcher = Dispatchers.IO): SubmitResult {
        val hints = hints()
        if (hints.isNotEmpty()) return SubmitResult.NeedsFixing(hints)
        val form = InspectionForm(
            code = code.trim(),
            result = if (conformant) InspectionResult.CONFORMANT else InspectionResult.NON_CONFORMANT,
            reasons = reasonList(),
            sampleTaken = sampleTaken,
            notes = Check.optional(notes),
            marketGln = Check.optional(marketGln),
            location = null,
        )
        return record(io) { journal.recordInspection(form).let { SubmitResult.Saved(it.seq, it.id) } }
    }

    /** The next check in the same market. */
    fun next(): InspectionFormState = InspectionFormState(marketGln = marketGln)

    companion object {
        const val CODE = "code"
        const val REASONS = "reasons"
        const val MARKET_GLN = "market_gln"
    }
}

/** A consumer's complaint (phản ánh) about a product. */
data class ComplaintFormState(
    val code: String = "",
    val category: String = "",
    val description: String = "",
    val province: String = "",
    val contact: String = "",
) {
    fun hints(categories: List<Choice>): Map<String, Bilingual> {
        val h = LinkedHashMap<String, Bilingual>()
        if (Check.blank(code)) h[CODE] = Bilingual("Quét hoặc nhập mã sản phẩm", "Scan or type the product's code")
        if (categories.none { it.code == category }) h[CATEGORY] = Bilingual("Chọn loại phản ánh", "Choose what is wrong")
        val n = description.trim().let { it.codePointCount(0, it.length) }
        if (n < 10 || n > 4000) {
            h[DESCRIPTION] = Bilingual("Mô tả từ 10 đến 4000 ký tự", "Describe it in 10 to 4000 characters")
        }
        if (Check.blank(province)) h[PROVINCE] = Bilingual("Chọn tỉnh, thành phố", "Choose the province")
        return h
    }

    suspend fun submit(
        journal: Journal,
        categories: List<Choice>,
        io: CoroutineDispatcher = Dispatchers.IO,
    ): SubmitResult {
        val hints = hints(categories)
        if (hints.isNotEmpty()) return SubmitResult.NeedsFixing(hints)
        val form = ComplaintForm(
            code = code.trim(),
            category = category,
            description = description.trim(),
            province = province,
            contact = Check.optional(contact),
        )
        return record(io) {
            journal.recordComplaint(form).let { SubmitResult.Saved(it.seq, it.id, it.trackingCode) }
        }
    }

    companion object {
        const val CODE = "code"
        const val CATEGORY = "category"
        const val DESCRIPTION = "description"
        const val PROVINCE = "province"
    }
}

/** The complaint form's pickers, from the lists the core carries. */
object ComplaintChoices {
    fun categories(codes: List<String> = coreComplaintCategories()): List<Choice> =
        codes.map { Choice(it, categoryLabel(it)) }

    /** The 34 provinces in their official order (Hà Nội first). */
    fun provinces(list: List<Province> = coreProvinces()): List<Choice> =
        list.map { Choice(it.code, Bilingual(it.nameVi, it.nameEn)) }

    fun categoryLabel(code: String): Bilingual = when (code) {
        "counterfeit" -> Bilingual("Hàng giả, nghi làm giả", "Counterfeit")
        "quality_safety" -> Bilingual("Chất lượng, an toàn thực phẩm", "Quality or food safety")
        "labelling" -> Bilingual("Nhãn mác sai, thiếu", "Wrong or missing labelling")
        "expired" -> Bilingual("Hết hạn sử dụng", "Past its expiry date")
        "other" -> Bilingual("Khác", "Other")
        else -> Bilingual.same(code)
    }
}
