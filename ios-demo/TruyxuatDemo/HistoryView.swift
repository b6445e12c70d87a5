import SwiftUI

/// Everything recorded on this phone, newest first, with whether the server
/// has it yet; and the past scans of lots recalled since.
@MainActor
struct HistoryView: View {
    @EnvironmentObject private var model: AppModel
    @State private var entries: [JournalEntry] = []
    @State private var recalled: [RecalledScan] = []
    @State private var hasMore = false
    @State private var loading = false
    @State private var problem: String? = nil

    private static let pageSize: UInt32 = 30

    var body: some View {
        NavigationView {
            List {
                SyncStatusSection()
                if !recalled.isEmpty {
                    recalledSection
                }
                Section {
                    ForEach(entries, id: \.seq) { entry in
                        EntryRow(entry: entry)
                            .onAppear {
                                if entry.seq == entries.last?.seq { Task { await loadMore() } }
                            }
                    }
                    if loading {
                        ProgressView().frame(maxWidth: .infinity)
                    } else if entries.isEmpty {
                        Text("history.empty").foregroundColor(.secondary)
                    }
                    if let problem = problem {
                        Text(problem).foregroundColor(.red)
                    }
                }
            }
            .listStyle(.insetGrouped)
            .navigationTitle("history.title")
            .refreshable { await model.syncNow() }
            .task(id: model.journalVersion) { await reload() }
        }
        .navigationViewStyle(.stack)
    }

    private var recalledSection: some View {
        Section {
            ForEach(recalled, id: \.seq) { scan in
                VStack(alignment: .leading, spacing: 4) {
                    WarningRow(code: "recalled", text: AppLanguage.current.pick(vi: scan.reasonVi, en: scan.reasonEn))
                    Text(L("history.recalled.lot", scan.gtin, scan.lot)).font(.caption)
                    Text(L("history.recalled.scanned", Dates.show(rfc3339: scan.scannedAt)))
                        .font(.caption)
                        .foregroundColor(.secondary)
                }
            }
        } header: {
            Text("history.recalled.title")
        }
    }

    /// The first page again (after a record or a sync).
    private func reload() async {
        await page(before: nil)
        recalled = await model.pastScansRecalled()
    }

    private func loadMore() async {
        guard hasMore, !loading, let last = entries.last else { return }
        await page(before: last.seq)
    }

    private func page(before seq: Int64?) async {
        loading = true
        defer { loading = false }
        do {
            let rows = try await model.history(before: seq, limit: Self.pageSize)
            entries = seq == nil ? rows : entries + rows
            hasMore = rows.count == Int(Self.pageSize)
            problem = nil
        } catch {
            problem = describe(error)
        }
    }
}

/// Counts by sync state, the last sync, and a button to sync now.
@MainActor
struct SyncStatusSection: View {
    @EnvironmentObject private var model: AppModel

    var body: some View {
        Section {
            if let counts = model.counts {
                HStack {
                    StateCount(state: .pending, count: counts.pending)
                    StateCount(state: .synced, count: counts.synced)
                    StateCount(state: .rejected, count: counts.rejected)
                }
            }
            HStack {
                Text("sync.last")
                Spacer()
                Text(model.lastSync.map { Dates.show(rfc3339: $0) } ?? L("sync.never"))
                    .foregroundColor(.secondary)
            }
            Button {
                Task { await model.syncNow() }
            } label: {
                HStack {
                    Label("sync.now", systemImage: "arrow.triangle.2.circlepath")
                    if model.isSyncing {
                        Spacer()
                        ProgressView()
                    }
                }
            }
            .disabled(model.isSyncing || model.session == nil)
            if let status = model.syncStatus {
                Text(status).font(.footnote).foregroundColor(.secondary)
            }
        } header: {
            Text("sync.title")
        }
    }
}

private struct StateCount: View {
    let state: SyncState
    let count: UInt64

    var body: some View {
        VStack(spacing: 4) {
            Text(String(count)).font(.title3.monospacedDigit())
            StateBadge(state: state)
        }
        .frame(maxWidth: .infinity)
    }
}

struct StateBadge: View {
    let state: SyncState

    var body: some View {
        Text(title)
            .font(.caption.weight(.semibold))
            .padding(.horizontal, 8)
            .padding(.vertical, 3)
            .foregroundColor(color)
            .background(color.opacity(0.15), in: Capsule())
    }

    private var title: LocalizedStringKey {
        switch state {
        case .pending: return "state.pending"
        case .synced: return "state.synced"
        case .rejected: return "state.rejected"
        }
    }

    private var color: Color {
        switch state {
        case .pending: return .orange
        case .synced: return .green
        case .rejected: return .red
        }
    }
}

private struct EntryRow: View {
    let entry: JournalEntry

    var body: some View {
        let style = EventStyle(entry.kind)
        HStack(alignment: .top, spacing: 12) {
            Image(systemName: style.icon)
                .foregroundColor(.accentColor)
                .frame(width: 24)
            VStack(alignment: .leading, spacing: 4) {
                HStack {
                    Text(style.title).font(.headline)
                    Spacer()
                    StateBadge(state: entry.state)
                }
                if let summary = EntrySummary.text(entry) {
                    Text(summary).font(.subheadline).lineLimit(2)
                }
                if let tracking = entry.trackingCode {
                    Text(L("history.tracking", tracking)).font(.system(.subheadline, design: .monospaced))
                }
                if entry.state == .rejected, let reason = entry.reason {
                    Text(reason).font(.caption).foregroundColor(.red)
                }
                Text(Dates.show(rfc3339: entry.deviceTime)).font(.caption).foregroundColor(.secondary)
            }
        }
        .padding(.vertical, 2)
    }
}

/// A kind of event's title and icon.
private struct EventStyle {
    let title: LocalizedStringKey
    let icon: String

    init(_ kind: EventKind) {
        switch kind {
        case .scan:
            title = "kind.scan"
            icon = "qrcode.viewfinder"
        case .harvest:
            title = "kind.harvest"
            icon = "leaf"
        case .farmDiary:
            title = "kind.farm_diary"
            icon = "book.closed"
        case .inspection:
            title = "kind.inspection"
            icon = "checkmark.shield"
        case .shipping:
            title = "kind.shipping"
            icon = "shippingbox"
        case .receiving:
            title = "kind.receiving"
            icon = "tray.and.arrow.down"
        case .transformation:
            title = "kind.transformation"
            icon = "gearshape.2"
        case .complaint:
            title = "kind.complaint"
            icon = "exclamationmark.bubble"
        }
    }
}

/// One line about an event, from its fields as stored (`payloadJson`).
private enum EntrySummary {
    static func text(_ entry: JournalEntry) -> String? {
        guard let data = entry.payloadJson.data(using: .utf8),
              let payload = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return nil }
        func field(_ key: String) -> String? { payload[key] as? String }

        switch entry.kind {
        case .scan:
            return field("element_string") ?? field("raw_text")
        case .harvest:
            let quantity = (payload["quantity"] as? Double).map { formatNumber($0) }
            return join(field("product"), field("lot"), quantity.map { "\($0) \(field("unit") ?? "")" })
        case .farmDiary:
            return join(field("input_name"), field("dose"), field("applied_on"))
        case .inspection:
            return join(field("code"), field("result").map { L("inspection." + $0, or: $0) })
        case .complaint:
            return join(field("code"), field("category").map { L("category." + $0, or: $0) })
        case .shipping, .receiving, .transformation:
            return join(field("gtin"), field("lot"))
        }
    }

    private static func join(_ parts: String?...) -> String? {
        let present = parts.compactMap { $0 }.filter { !$0.isEmpty }
        return present.isEmpty ? nil : present.joined(separator: " · ")
    }
}
