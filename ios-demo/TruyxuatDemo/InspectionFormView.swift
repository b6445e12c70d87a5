import SwiftUI

/// An inspector's check of a product in a market, recorded offline. Opened
/// from a scan result (the code filled in) or from the Record tab. The
/// market stays filled in after saving: an inspector checks many products
/// in one market.
@MainActor
struct InspectionFormView: View {
    @EnvironmentObject private var model: AppModel
    @State private var code: String
    @State private var conformant = true
    @State private var reasons = ""
    @State private var sampleTaken = false
    @State private var notes = ""
    @State private var marketGln = ""
    @State private var saving = false
    @State private var outcome: FormOutcome? = nil

    init(code: String) {
        _code = State(initialValue: code)
    }

    var body: some View {
        Form {
            Section {
                TextField("inspection.code", text: $code)
                    .textInputAutocapitalization(.never)
                    .disableAutocorrection(true)
                Picker("inspection.result", selection: $conformant) {
                    Text("inspection.conformant").tag(true)
                    Text("inspection.non_conformant").tag(false)
                }
                .pickerStyle(.segmented)
                Toggle("inspection.sample_taken", isOn: $sampleTaken)
            } footer: {
                Text("inspection.code_hint")
            }
            if !conformant {
                Section {
                    TextEditor(text: $reasons).frame(minHeight: 80)
                } header: {
                    Text("inspection.reasons")
                }
            }
            Section {
                TextField("inspection.notes", text: $notes)
                TextField("inspection.market_gln", text: $marketGln).keyboardType(.numberPad)
            } header: {
                Text("form.optional")
            }
            SaveSection(title: "form.save", canSave: canSave, saving: saving, outcome: outcome, save: save)
        }
        .navigationTitle("inspection.title")
    }

    private var canSave: Bool {
        !code.trimmed.isEmpty && (conformant || !reasonList.isEmpty)
    }

    /// One reason a line.
    private var reasonList: [String] {
        conformant ? [] : reasons.split(whereSeparator: \.isNewline).map { String($0).trimmed }.filter { !$0.isEmpty }
    }

    private func save() {
        let result: InspectionResult = conformant ? .conformant : .nonConformant
        let form = InspectionForm(
            code: code.trimmed, result: result, reasons: reasonList, sampleTaken: sampleTaken,
            notes: notes.trimmedOrNil, marketGln: marketGln.trimmedOrNil)
        Task {
            saving = true
            do {
                let recorded = try await model.record(form)
                outcome = .done(L("form.saved", String(recorded.seq)))
                code = ""
                conformant = true
                reasons = ""
                sampleTaken = false
                notes = ""
            } catch {
                outcome = .failed(describe(error))
            }
            saving = false
        }
    }
}
