package vn.truyxuat.demo.ui

import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.rememberScrollState
import androidx.compose.material3.Button
import androidx.compose.material3.Checkbox
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import kotlinx.coroutines.launch
import vn.truyxuat.demo.MainViewModel
import vn.truyxuat.demo.R
import vn.truyxuat.demo.logic.Bilingual
import vn.truyxuat.demo.logic.ComplaintFormState as Complaint
import vn.truyxuat.demo.logic.FarmDiaryFormState as Diary
import vn.truyxuat.demo.logic.HarvestFormState as Harvest
import vn.truyxuat.demo.logic.InspectionFormState as Inspection
import vn.truyxuat.demo.logic.Lang
import vn.truyxuat.demo.logic.SubmitResult

/*
 * The four forms. Each keeps its draft in the view model, shows the logic's
 * hints under the fields, and on save shows what happened. Nothing here
 * needs a network: records wait in the journal for the next sync.
 */

/** The hints and message of one form, and what a save result does to them. */
private class FormFeedback {
    var hints by mutableStateOf(emptyMap<String, Bilingual>())
    var note by mutableStateOf<Note?>(null)

    /** True when saved. */
    fun show(result: SubmitResult): Boolean {
        hints = (result as? SubmitResult.NeedsFixing)?.hints ?: emptyMap()
        note = Note(result.summary(), isError = result !is SubmitResult.Saved)
        return result is SubmitResult.Saved
    }
}

@Composable
fun HarvestScreen(vm: MainViewModel, lang: Lang) {
    val scope = rememberCoroutineScope()
    val fb = remember { FormFeedback() }
    val f = vm.harvest
    FormColumn {
        ScreenTitle(stringResource(R.string.harvest_title))
        Field(stringResource(R.string.f_product), f.product, { vm.harvest = vm.harvest.copy(product = it) }, fb.hints[Harvest.PRODUCT], lang)
        Field(stringResource(R.string.f_lot), f.lot, { vm.harvest = vm.harvest.copy(lot = it) }, fb.hints[Harvest.LOT], lang)
        Field(
            stringResource(R.string.f_quantity), f.quantity, { vm.harvest = vm.harvest.copy(quantity = it) },
            fb.hints[Harvest.QUANTITY], lang, keyboard = KeyboardType.Decimal,
        )
        Text(stringResource(R.string.f_unit), style = MaterialTheme.typography.labelLarge)
        Row(Modifier.horizontalScroll(rememberScrollState()), horizontalArrangement = Arrangement.spacedBy(6.dp)) {
            Harvest.UNITS.forEach { u ->
                FilterChip(selected = f.unit == u, onClick = { vm.harvest = vm.harvest.copy(unit = u) }, label = { Text(u) })
            }
        }
        Field(stringResource(R.string.f_harvest_date), f.harvestDate, { vm.harvest = vm.harvest.copy(harvestDate = it) }, fb.hints[Harvest.HARVEST_DATE], lang)
        Field(stringResource(R.string.f_gln), f.gln, { vm.harvest = vm.harvest.copy(gln = it) }, fb.hints[Harvest.GLN], lang, keyboard = KeyboardType.Number)
        Field(stringResource(R.string.f_gtin), f.gtin, { vm.harvest = vm.harvest.copy(gtin = it) }, fb.hints[Harvest.GTIN], lang, keyboard = KeyboardType.Number)
        Field(stringResource(R.string.f_certification), f.certification, { vm.harvest = vm.harvest.copy(certification = it) }, null, lang)
        Button(onClick = {
            scope.launch {
                if (fb.show(vm.harvest.submit(vm.journal))) {
                    vm.harvest = vm.harvest.next()
                    vm.recorded()
                }
            }
        }, modifier = Modifier.fillMaxWidth()) { Text(stringResource(R.string.save)) }
        NoteView(fb.note, lang)
    }
}

@Composable
fun FarmDiaryScreen(vm: MainViewModel, lang: Lang) {
    val scope = rememberCoroutineScope()
    val fb = remember { FormFeedback() }
    val f = vm.diary
    FormColumn {
        ScreenTitle(stringResource(R.string.diary_title))
        Field(stringResource(R.string.f_input_name), f.inputName, { vm.diary = vm.diary.copy(inputName = it) }, fb.hints[Diary.INPUT_NAME], lang)
        Field(stringResource(R.string.f_dose), f.dose, { vm.diary = vm.diary.copy(dose = it) }, fb.hints[Diary.DOSE], lang)
        Field(stringResource(R.string.f_applied_on), f.appliedOn, { vm.diary = vm.diary.copy(appliedOn = it) }, fb.hints[Diary.APPLIED_ON], lang)
        Field(
            stringResource(R.string.f_phi), f.preHarvestIntervalDays, { vm.diary = vm.diary.copy(preHarvestIntervalDays = it) },
            fb.hints[Diary.PRE_HARVEST_INTERVAL], lang, keyboard = KeyboardType.Number,
        )
        Field(stringResource(R.string.f_gln), f.gln, { vm.diary = vm.diary.copy(gln = it) }, fb.hints[Diary.GLN], lang, keyboard = KeyboardType.Number)
        Field(stringResource(R.string.f_diary_lot), f.lot, { vm.diary = vm.diary.copy(lot = it) }, null, lang)
        Button(onClick = {
            scope.launch {
                if (fb.show(vm.diary.submit(vm.journal))) {
                    vm.diary = vm.diary.next()
                    vm.recorded()
                }
            }
        }, modifier = Modifier.fillMaxWidth()) { Text(stringResource(R.string.save)) }
        NoteView(fb.note, lang)
    }
}

@Composable
fun InspectionScreen(vm: MainViewModel, lang: Lang) {
    val scope = rememberCoroutineScope()
    val fb = remember { FormFeedback() }
    val f = vm.inspection
    FormColumn {
        ScreenTitle(stringResource(R.string.inspection_title))
        Text(stringResource(R.string.inspection_offline), style = MaterialTheme.typography.bodySmall)
        Field(stringResource(R.string.f_code), f.code, { vm.inspection = vm.inspection.copy(code = it) }, fb.hints[Inspection.CODE], lang)
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            FilterChip(
                selected = f.conformant,
                onClick = { vm.inspection = vm.inspection.copy(conformant = true) },
                label = { Text(stringResource(R.string.result_conformant)) },
            )
            FilterChip(
                selected = !f.conformant,
                onClick = { vm.inspection = vm.inspection.copy(conformant = false) },
                label = { Text(stringResource(R.string.result_non_conformant)) },
            )
        }
        Field(
            stringResource(R.string.f_reasons), f.reasons, { vm.inspection = vm.inspection.copy(reasons = it) },
            fb.hints[Inspection.REASONS], lang, multiline = true,
        )
        Row(verticalAlignment = Alignment.CenterVertically) {
            Checkbox(checked = f.sampleTaken, onCheckedChange = { vm.inspection = vm.inspection.copy(sampleTaken = it) })
            Text(stringResource(R.string.f_sample_taken))
        }
        Field(stringResource(R.string.f_notes), f.notes, { vm.inspection = vm.inspection.copy(notes = it) }, null, lang, multiline = true)
        Field(
            stringResource(R.string.f_market_gln), f.marketGln, { vm.inspection = vm.inspection.copy(marketGln = it) },
            fb.hints[Inspection.MARKET_GLN], lang, keyboard = KeyboardType.Number,
        )
        Button(onClick = {
            scope.launch {
                if (fb.show(vm.inspection.submit(vm.journal))) {
                    vm.inspection = vm.inspection.next()
                    vm.recorded()
                }
            }
        }, modifier = Modifier.fillMaxWidth()) { Text(stringResource(R.string.save)) }
        NoteView(fb.note, lang)
    }
}

@Composable
fun ComplaintScreen(vm: MainViewModel, lang: Lang) {
    val scope = rememberCoroutineScope()
    val fb = remember { FormFeedback() }
    val f = vm.complaint
    FormColumn {
        ScreenTitle(stringResource(R.string.complaint_title))
        Field(stringResource(R.string.f_complaint_code), f.code, { vm.complaint = vm.complaint.copy(code = it) }, fb.hints[Complaint.CODE], lang)
        Picker(
            stringResource(R.string.f_category), vm.categories, f.category,
            { vm.complaint = vm.complaint.copy(category = it) }, fb.hints[Complaint.CATEGORY], lang,
        )
        Field(
            stringResource(R.string.f_description), f.description, { vm.complaint = vm.complaint.copy(description = it) },
            fb.hints[Complaint.DESCRIPTION], lang, multiline = true,
        )
        Picker(
            stringResource(R.string.f_province), vm.provinceChoices, f.province,
            { vm.complaint = vm.complaint.copy(province = it) }, fb.hints[Complaint.PROVINCE], lang,
        )
        Field(stringResource(R.string.f_contact), f.contact, { vm.complaint = vm.complaint.copy(contact = it) }, null, lang, keyboard = KeyboardType.Phone)
        Button(onClick = {
            scope.launch {
                if (fb.show(vm.complaint.submit(vm.journal, vm.categories))) {
                    vm.complaint = Complaint(province = vm.complaint.province, contact = vm.complaint.contact)
                    vm.recorded()
                }
            }
        }, modifier = Modifier.fillMaxWidth()) { Text(stringResource(R.string.save)) }
        NoteView(fb.note, lang)
    }
}
