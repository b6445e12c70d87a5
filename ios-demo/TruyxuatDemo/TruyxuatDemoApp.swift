import SwiftUI

@main
struct TruyxuatDemoApp: App {
    /// nil only when the journal file cannot be opened (then nothing works).
    private let model: AppModel?
    private let startupProblem: String?
    @Environment(\.scenePhase) private var scenePhase

    init() {
        do {
            model = try AppModel()
            startupProblem = nil
        } catch {
            model = nil
            startupProblem = describe(error)
        }
        BackgroundSync.register(model: model)
    }

    var body: some Scene {
        WindowGroup {
            if let model = model {
                RootView().environmentObject(model)
            } else {
                StartupProblemView(reason: startupProblem ?? "")
            }
        }
        .onChange(of: scenePhase) { phase in
            guard let model = model else { return }
            switch phase {
            case .active:
                Task { @MainActor in
                    await model.reloadStatus()
                    await model.syncNow(quiet: true)
                }
            case .background:
                BackgroundSync.schedule()
            default:
                break
            }
        }
    }
}

struct RootView: View {
    var body: some View {
        TabView {
            ScanView()
                .tabItem { Label("tab.scan", systemImage: "qrcode.viewfinder") }
            RecordsView()
                .tabItem { Label("tab.records", systemImage: "square.and.pencil") }
            HistoryView()
                .tabItem { Label("tab.history", systemImage: "clock.arrow.circlepath") }
            SettingsView()
                .tabItem { Label("tab.settings", systemImage: "gearshape") }
        }
    }
}

private struct StartupProblemView: View {
    let reason: String

    var body: some View {
        VStack(spacing: 12) {
            Image(systemName: "exclamationmark.triangle")
                .font(.largeTitle)
                .foregroundColor(.red)
            Text("startup.failed").font(.headline)
            Text(reason)
                .font(.footnote)
                .foregroundColor(.secondary)
                .multilineTextAlignment(.center)
        }
        .padding()
    }
}
