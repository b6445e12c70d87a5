import SwiftUI

/// A consumer reports a problem with a product (phản ánh). The tracking code
/// is shown at once, also offline; the complaint reaches the province's
/// inspectors with the next sync.
@MainActor
struct ComplaintFormView: View {
    @EnvironmentObject private var model: AppModel
    @State private var code: String
    @State private var category = ""
    @State private var details = ""
    @State private var province = ""
    @State private var contact = ""
    @State private var saving = false
    @State private var outcome: FormOutcome? = nil
    @State private var receiptCode: String? = nil

    /// Details shorter than this are refused by the core.
    private static let minimumDetails = 10

    init(code: String) {
        _code = State(initialValue: code)
    }

    var body: some View {
        Form {
            if let tracking = receiptCode {
                Section {
                    Text(tracking)
                        .font(.system(.title2, design: .monospaced))
                        .textSelection(.enabled)
                    Text("complaint.tracking_hint").font(.footnote)
                } header: {
                    Text("complaint.filed")
                }
            }
            Section {
                TextField("complaint.code", text: $code)
                    .textInputAutocapitalization(.never)
                    .disableAutocorrection(true)
                Picker("complaint.category", selection: $category) {
                    Text("form.choose").tag("")
                    ForEach(model.categoryList, id: \.self) { category in
                        Text(L("category." + category, or: category)).tag(category)
                    }
                }
                Picker("complaint.province", selection: $province) {
                    Text("form.choose").tag("")
                    ForEach(model.provinceList, id: \.code) { province in
                        Text(AppLanguage.current.pick(vi: province.nameVi, en: province.nameEn)).tag(province.code)
                    }
                }
            }
            Section {
                TextEditor(text: $details).frame(minHeight: 120)
            } header: {
                Text("complaint.details")
            } footer: {
                Text("complaint.details_hint")
            }
            Section {
                TextField("complaint.contact", text: $contact)
                    .textInputAutocapitalization(.never)
                    .disableAutocorrection(true)
            } footer: {
                if model.account == nil {
                    Text("complaint.contact_signed_out")
                } else {
                    Text("complaint.contact_signed_in")
                }
            }
            SaveSection(title: "complaint.send", canSave: canSave, saving: saving, outcome: outcome, save: save)
        }
        .navigationTitle("complaint.title")
    }

    private var canSave: Bool {
        !code.trimmed.isEmpty && !category.isEmpty && !province.isEmpty
            && details.trimmed.count >= Self.minimumDetails
    }

    private func save() {
        let form = ComplaintForm(
            code: code.trimmed, category: category, description: details.trimmed, province: province,
            contact: contact.trimmedOrNil)
        Task {
            saving = true
            do {
                let receipt = try await model.file(form)
                receiptCode = receipt.trackingCode
                outcome = .done(L("complaint.saved", receipt.trackingCode))
                details = ""
            } catch {
                outcome = .failed(describe(error))
            }
            saving = false
        }
    }
}
