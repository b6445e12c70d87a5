import SwiftUI

/// The server, the account, syncing, and this phone's journal.
@MainActor
struct SettingsView: View {
    @EnvironmentObject private var model: AppModel
    @State private var serverAddress = ""
    @State private var serverProblem: String? = nil
    @State private var username = ""
    @State private var password = ""
    @State private var signingIn = false
    @State private var signInProblem: String? = nil
    @State private var deviceID = ""
    @State private var integrity: String? = nil

    var body: some View {
        NavigationView {
            Form {
                serverSection
                accountSection
                SyncStatusSection()
                deviceSection
            }
            .navigationTitle("settings.title")
            .onAppear { serverAddress = model.serverURL }
            .task { deviceID = await model.deviceID() }
        }
        .navigationViewStyle(.stack)
    }

    private var serverSection: some View {
        Section {
            TextField("settings.server_address", text: $serverAddress)
                .keyboardType(.URL)
                .textInputAutocapitalization(.never)
                .disableAutocorrection(true)
            Button("settings.server_save") {
                Task { serverProblem = await model.changeServer(to: serverAddress) }
            }
            .disabled(serverAddress.trimmed.isEmpty || serverAddress.trimmed == model.serverURL)
            if let problem = serverProblem {
                Text(problem).font(.footnote).foregroundColor(.red)
            } else if model.session == nil {
                Text("settings.no_server").font(.footnote).foregroundColor(.red)
            }
        } header: {
            Text("settings.server")
        } footer: {
            Text("settings.server_hint")
        }
    }

    private var accountSection: some View {
        Section {
            if let account = model.account {
                VStack(alignment: .leading, spacing: 4) {
                    Text(account.user).font(.headline)
                    Text(L("role." + account.role, or: account.role)).foregroundColor(.secondary)
                    let expiry = Date(timeIntervalSince1970: TimeInterval(account.expiresAt))
                    Text(L(expiry < Date() ? "settings.expired" : "settings.expires", Dates.show(expiry)))
                        .font(.caption)
                        .foregroundColor(expiry < Date() ? .orange : .secondary)
                }
                Button("settings.sign_out", role: .destructive) {
                    Task { await model.logOut() }
                }
            } else {
                TextField("settings.username", text: $username)
                    .textContentType(.username)
                    .textInputAutocapitalization(.never)
                    .disableAutocorrection(true)
                SecureField("settings.password", text: $password)
                    .textContentType(.password)
                Button {
                    signIn()
                } label: {
                    HStack {
                        Text("settings.sign_in")
                        if signingIn {
                            Spacer()
                            ProgressView()
                        }
                    }
                }
                .disabled(signingIn || username.trimmed.isEmpty || password.isEmpty || model.session == nil)
                if let problem = signInProblem {
                    Text(problem).font(.footnote).foregroundColor(.red)
                }
            }
        } header: {
            Text("settings.account")
        }
    }

    private var deviceSection: some View {
        Section {
            HStack {
                Text("settings.device_id")
                Spacer()
                Text(deviceID)
                    .font(.system(.footnote, design: .monospaced))
                    .foregroundColor(.secondary)
                    .textSelection(.enabled)
            }
            Button("settings.verify") {
                Task { integrity = await model.verifyJournal() }
            }
            if let integrity = integrity {
                Text(integrity).font(.footnote)
            }
        } header: {
            Text("settings.device")
        }
    }

    private func signIn() {
        Task {
            signingIn = true
            signInProblem = await model.logIn(user: username.trimmed, password: password)
            if signInProblem == nil { password = "" }
            signingIn = false
        }
    }
}
