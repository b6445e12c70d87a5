import SwiftUI

/// How the last save of a form went.
enum FormOutcome {
    case done(String)
    case failed(String)
}

/// A form's save button, and what came of the last save. Every form is
/// stored on the phone first: saving works without a connection.
struct SaveSection: View {
    let title: LocalizedStringKey
    let canSave: Bool
    let saving: Bool
    let outcome: FormOutcome?
    let save: () -> Void

    var body: some View {
        Section {
            Button(action: save) {
                HStack {
                    Spacer()
                    if saving {
                        ProgressView()
                    } else {
                        Text(title).bold()
                    }
                    Spacer()
                }
            }
            .disabled(!canSave || saving)
            switch outcome {
            case .done(let text)?:
                Label(text, systemImage: "checkmark.circle.fill").foregroundColor(.green)
            case .failed(let text)?:
                Label(text, systemImage: "xmark.octagon.fill").foregroundColor(.red)
            case nil:
                EmptyView()
            }
        } footer: {
            Text("form.offline_note")
        }
    }
}

/// The farmer's and inspector's forms, and the complaint form.
struct RecordsView: View {
    var body: some View {
        NavigationView {
            List {
                Section {
                    NavigationLink(destination: HarvestFormView()) {
                        Label("harvest.title", systemImage: "leaf")
                    }
                    NavigationLink(destination: FarmDiaryFormView()) {
                        Label("diary.title", systemImage: "book.closed")
                    }
                } header: {
                    Text("records.farm")
                }
                Section {
                    NavigationLink(destination: InspectionFormView(code: "")) {
                        Label("inspection.title", systemImage: "checkmark.shield")
                    }
                } header: {
                    Text("records.market")
                }
                Section {
                    NavigationLink(destination: ComplaintFormView(code: "")) {
                        Label("complaint.title", systemImage: "exclamationmark.bubble")
                    }
                } header: {
                    Text("records.consumer")
                }
            }
            .listStyle(.insetGrouped)
            .navigationTitle("records.title")
        }
        .navigationViewStyle(.stack)
    }
}
