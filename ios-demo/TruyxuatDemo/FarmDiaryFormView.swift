import SwiftUI

/// A farm-diary entry: a fertiliser or pesticide applied to a plot, with its
/// pre-harvest interval (the days to wait before harvesting).
@MainActor
struct FarmDiaryFormView: View {
    @EnvironmentObject private var model: AppModel
    @State private var inputName = ""
    @State private var dose = ""
    @State private var appliedOn = Date()
    @State private var waitingDays = ""
    @State private var lot = ""
    @State private var gln = ""
    @State private var saving = false
    @State private var outcome: FormOutcome? = nil

    var body: some View {
        Form {
            Section {
                TextField("diary.input", text: $inputName)
                TextField("diary.dose", text: $dose)
                DatePicker("diary.date", selection: $appliedOn, in: ...Date(), displayedComponents: .date)
                TextField("diary.waiting_days", text: $waitingDays).keyboardType(.numberPad)
            }
            Section {
                TextField("diary.lot", text: $lot)
                    .textInputAutocapitalization(.characters)
                    .disableAutocorrection(true)
                TextField("diary.gln", text: $gln).keyboardType(.numberPad)
            } header: {
                Text("form.optional")
            }
            SaveSection(title: "form.save", canSave: canSave, saving: saving, outcome: outcome, save: save)
        }
        .navigationTitle("diary.title")
    }

    private var canSave: Bool {
        !inputName.trimmed.isEmpty && !dose.trimmed.isEmpty
    }

    private func save() {
        var days: UInt32?
        if let text = waitingDays.trimmedOrNil {
            guard let value = UInt32(text) else {
                outcome = .failed(L("form.bad_days"))
                return
            }
            days = value
        }
        let form = FarmDiaryForm(
            inputName: inputName.trimmed, dose: dose.trimmed, appliedOn: Dates.day(appliedOn),
            preHarvestIntervalDays: days, gln: gln.trimmedOrNil, lot: lot.trimmedOrNil)
        Task {
            saving = true
            do {
                let recorded = try await model.record(form)
                outcome = .done(L("form.saved", String(recorded.seq)))
                inputName = ""
                dose = ""
                waitingDays = ""
            } catch {
                outcome = .failed(describe(error))
            }
            saving = false
        }
    }
}
