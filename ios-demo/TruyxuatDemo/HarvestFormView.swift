import SwiftUI

/// A farmer records a harvested lot (EPCIS commissioning). After saving, the
/// product and unit stay filled in: a farmer often logs several lots.
@MainActor
struct HarvestFormView: View {
    @EnvironmentObject private var model: AppModel
    @State private var product = ""
    @State private var lot = ""
    @State private var quantity = ""
    @State private var unit = "kg"
    @State private var harvestDate = Date()
    @State private var gtin = ""
    @State private var gln = ""
    @State private var certification = ""
    @State private var saving = false
    @State private var outcome: FormOutcome? = nil

    var body: some View {
        Form {
            Section {
                TextField("harvest.product", text: $product)
                TextField("harvest.lot", text: $lot)
                    .textInputAutocapitalization(.characters)
                    .disableAutocorrection(true)
                HStack {
                    TextField("harvest.quantity", text: $quantity)
                        .keyboardType(.decimalPad)
                    TextField("harvest.unit", text: $unit)
                        .textInputAutocapitalization(.never)
                        .frame(maxWidth: 80)
                }
                DatePicker("harvest.date", selection: $harvestDate, in: ...Date(), displayedComponents: .date)
            }
            Section {
                TextField("harvest.gtin", text: $gtin).keyboardType(.numberPad)
                TextField("harvest.gln", text: $gln).keyboardType(.numberPad)
                TextField("harvest.certification", text: $certification)
            } header: {
                Text("form.optional")
            }
            SaveSection(title: "form.save", canSave: canSave, saving: saving, outcome: outcome, save: save)
        }
        .navigationTitle("harvest.title")
    }

    private var canSave: Bool {
        !product.trimmed.isEmpty && !lot.trimmed.isEmpty && !quantity.trimmed.isEmpty && !unit.trimmed.isEmpty
    }

    private func save() {
        guard let amount = parseDecimal(quantity), amount > 0 else {
            outcome = .failed(L("form.bad_quantity"))
            return
        }
        let form = HarvestForm(
            product: product.trimmed, lot: lot.trimmed, quantity: amount, unit: unit.trimmed,
            harvestDate: Dates.day(harvestDate), gtin: gtin.trimmedOrNil, gln: gln.trimmedOrNil,
            certification: certification.trimmedOrNil)
        Task {
            saving = true
            do {
                let recorded = try await model.record(form)
                outcome = .done(L("form.saved", String(recorded.seq)))
                lot = ""
                quantity = ""
            } catch {
                outcome = .failed(describe(error))
            }
            saving = false
        }
    }
}
