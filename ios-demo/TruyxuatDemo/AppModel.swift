import Foundation

/// The app's state and its one way into the truyxuat core: the journal on the
/// phone, the session with the server, the decoder.
///
/// Everything is recorded in the journal first and reaches the server with a
/// later sync, so each screen works offline. Core calls run on `CoreQueue`;
/// the published state changes on the main actor.
///
/// Convention (check_api.py relies on it): core methods are only called on
/// variables named `journal`, `session` or `scanner`.
final class AppModel: ObservableObject {
    static let defaultServerURL = "http://127.0.0.1:8080"
    private static let serverURLKey = "serverURL"

    let journal: Journal
    let scanner = Scanner()
    let provinceList: [Province] = provinces()
    let categoryList: [String] = complaintCategories()

    /// nil when the server address is not usable.
    @Published private(set) var session: Session? = nil
    @Published private(set) var serverURL: String
    @Published private(set) var account: SignedIn? = nil
    @Published private(set) var lastSync: String? = nil
    @Published private(set) var counts: Counts? = nil
    @Published private(set) var isSyncing = false
    /// The outcome of the last sync the user asked for.
    @Published private(set) var syncStatus: String? = nil
    /// Changes whenever the journal does, for the screens that list it.
    @Published private(set) var journalVersion = 0

    init() throws {
        let folder = try FileManager.default.url(
            for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
        journal = try Journal.open(path: folder.appendingPathComponent("journal.db").path)
        serverURL = UserDefaults.standard.string(forKey: Self.serverURLKey) ?? Self.defaultServerURL
        do {
            session = try Session(journal: journal, serverUrl: serverURL)
        } catch {
            logger.error("no session for the saved server address: \(describe(error), privacy: .public)")
        }
    }

    /// A province's name in the app's language.
    func provinceName(_ code: String) -> String? {
        provinceList.first { $0.code == code }.map { AppLanguage.current.pick(vi: $0.nameVi, en: $0.nameEn) }
    }

    // MARK: - Status

    @MainActor
    func reloadStatus() async {
        let journal = self.journal
        counts = try? await CoreQueue.run { try journal.counts() }
        lastSync = try? await CoreQueue.run { try journal.lastSync() }
        if let session = session {
            account = try? await CoreQueue.run { try session.signedIn() }
        } else {
            account = nil
        }
    }

    func deviceID() async -> String {
        let journal = self.journal
        return (try? await CoreQueue.run { journal.deviceId() }) ?? ""
    }

    /// Checks the journal's hash chain; the answer is for people.
    func verifyJournal() async -> String {
        let journal = self.journal
        do {
            let report = try await CoreQueue.run { try journal.verify() }
            if report.ok {
                return L("settings.verify_ok", String(report.events))
            }
            return L("settings.verify_bad", report.badSeq.map { String($0) } ?? "?", report.problem ?? "")
        } catch {
            return describe(error)
        }
    }

    // MARK: - Server and account

    /// Use another server; nil on success, else what is wrong.
    @MainActor
    func changeServer(to address: String) async -> String? {
        let address = address.trimmed
        let journal = self.journal
        do {
            let created = try await CoreQueue.run { try Session(journal: journal, serverUrl: address) }
            // A token belongs to one server: never send it to another.
            if let session = session {
                try? await CoreQueue.run { try session.signOut() }
            }
            session = created
            serverURL = address
            UserDefaults.standard.set(address, forKey: Self.serverURLKey)
            await reloadStatus()
            return nil
        } catch {
            return describe(error)
        }
    }

    /// Sign in; nil on success, else what went wrong.
    @MainActor
    func logIn(user: String, password: String) async -> String? {
        guard let session = session else { return L("settings.no_server") }
        do {
            account = try await CoreQueue.run { try session.login(username: user, password: password) }
        } catch {
            return describe(error)
        }
        await syncNow()
        return nil
    }

    @MainActor
    func logOut() async {
        guard let session = session else { return }
        try? await CoreQueue.run { try session.signOut() }
        syncStatus = nil
        await reloadStatus()
    }

    // MARK: - Sync

    /// Send what is pending and fetch what is new (recalls, catalog,
    /// verdicts on sent events). A `quiet` sync (automatic, background) only
    /// runs when signed in and reports nothing: on a poor connection most
    /// attempts fail, and the next one sends what this one did not.
    @MainActor
    @discardableResult
    func syncNow(quiet: Bool = false) async -> Bool {
        guard let session = session, !isSyncing, !(quiet && account == nil) else { return false }
        isSyncing = true
        defer { isSyncing = false }
        var synced = false
        do {
            let report = try await CoreQueue.run { try session.sync() }
            syncStatus = L("sync.report", String(report.pushed), String(report.pulled),
                           String(report.rejected), String(report.pending))
            synced = true
        } catch {
            if !quiet { syncStatus = describe(error) }
            logger.info("sync failed: \(describe(error), privacy: .public)")
        }
        await reloadStatus()
        journalVersion += 1
        return synced
    }

    // MARK: - Scanning

    struct ScanOutcome: Identifiable {
        let id = UUID()
        let text: String
        /// The code as read on the phone, always available.
        let parsed: ParsedCode
        /// What is known about it (online, saved or local); nil without a server.
        let lookup: Lookup?
        /// Why there is no lookup, or why the scan was not recorded.
        let problem: String?
    }

    /// Look a scanned code up and record the scan with the answer shown.
    @MainActor
    func lookUp(_ text: String, symbologyId: String?) async -> ScanOutcome {
        let journal = self.journal
        var lookup: Lookup?
        var problem: String?
        if let session = session {
            do {
                lookup = try await CoreQueue.run { try session.resolve(code: text) }
            } catch {
                problem = describe(error)
            }
        } else {
            problem = L("scan.no_server")
        }
        // What the user saw: the most serious warning, or "ok".
        let shown = lookup.map { $0.warnings.first?.code ?? "ok" }
        do {
            _ = try await CoreQueue.run {
                try journal.recordScan(text: text, symbologyId: symbologyId, location: nil, answerShown: shown)
            }
        } catch {
            problem = problem ?? L("result.not_recorded", describe(error))
        }
        await afterRecording()
        return ScanOutcome(text: text, parsed: parseCode(text: text), lookup: lookup, problem: problem)
    }

    // MARK: - Records

    @MainActor
    func record(_ form: HarvestForm) async throws -> Recorded {
        let journal = self.journal
        let recorded = try await CoreQueue.run { try journal.recordHarvest(form: form) }
        await afterRecording()
        return recorded
    }

    @MainActor
    func record(_ form: FarmDiaryForm) async throws -> Recorded {
        let journal = self.journal
        let recorded = try await CoreQueue.run { try journal.recordFarmDiary(form: form) }
        await afterRecording()
        return recorded
    }

    @MainActor
    func record(_ form: InspectionForm) async throws -> Recorded {
        let journal = self.journal
        let recorded = try await CoreQueue.run { try journal.recordInspection(form: form) }
        await afterRecording()
        return recorded
    }

    /// The tracking code is valid at once, also offline.
    @MainActor
    func file(_ form: ComplaintForm) async throws -> ComplaintReceipt {
        let journal = self.journal
        let receipt = try await CoreQueue.run { try journal.recordComplaint(form: form) }
        await afterRecording()
        return receipt
    }

    /// Newest first; `before` is the last `seq` of the previous page.
    func history(before seq: Int64?, limit: UInt32) async throws -> [JournalEntry] {
        let journal = self.journal
        return try await CoreQueue.run { try journal.listRecent(beforeSeq: seq, limit: limit) }
    }

    /// This phone's past scans of lots recalled since.
    func pastScansRecalled() async -> [RecalledScan] {
        let journal = self.journal
        return (try? await CoreQueue.run { try journal.recalledScans() }) ?? []
    }

    /// A record is on the phone: show it, and try to send it now.
    @MainActor
    private func afterRecording() async {
        journalVersion += 1
        await reloadStatus()
        Task { await syncNow(quiet: true) }
    }
}
