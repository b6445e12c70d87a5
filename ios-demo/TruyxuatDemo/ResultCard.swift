import SwiftUI

/// What is known about a scanned code: the warnings first, coloured by how
/// serious they are, then the product, company and lot, and where the answer
/// came from (online, saved how long ago, or on the phone).
struct ResultCard: View {
    @EnvironmentObject private var model: AppModel
    let outcome: AppModel.ScanOutcome
    let complain: () -> Void
    let inspect: () -> Void
    let scanAgain: () -> Void

    private let language = AppLanguage.current

    var body: some View {
        VStack(alignment: .leading, spacing: 12) {
            header
            if let lookup = outcome.lookup {
                warningList(lookup)
                facts(lookup)
            } else {
                parsedFacts
            }
            if let problem = outcome.problem {
                Label(problem, systemImage: "exclamationmark.circle")
                    .font(.footnote)
                    .foregroundColor(.secondary)
            }
            actions
        }
        .padding()
        .background(Color(.secondarySystemBackground), in: RoundedRectangle(cornerRadius: 16))
    }

    private var header: some View {
        HStack(alignment: .top) {
            VStack(alignment: .leading, spacing: 2) {
                Text(productName).font(.title3.bold())
                if let brand = outcome.lookup?.product?.brand {
                    Text(brand).foregroundColor(.secondary)
                }
            }
            Spacer()
            if let source = outcome.lookup?.source {
                SourceBadge(source: source)
            }
        }
    }

    private var productName: String {
        guard let product = outcome.lookup?.product else { return L("result.product.unknown") }
        return language.pick(vi: product.nameVi, en: product.nameEn)
    }

    /// Most serious first, as the core orders them.
    @ViewBuilder private func warningList(_ lookup: Lookup) -> some View {
        if lookup.warnings.isEmpty {
            Label("result.ok", systemImage: "checkmark.seal.fill").foregroundColor(.green)
        } else {
            ForEach(Array(lookup.warnings.enumerated()), id: \.offset) { _, warning in
                WarningRow(code: warning.code, text: language.pick(vi: warning.vi, en: warning.en))
            }
        }
    }

    private func facts(_ lookup: Lookup) -> some View {
        VStack(alignment: .leading, spacing: 6) {
            if let gtin = lookup.code.gtin ?? lookup.product?.gtin {
                Fact("result.gtin", gtin)
            }
            if let lot = lookup.lot?.lot ?? lookup.code.lot {
                Fact("result.lot", lot)
            }
            if let serial = lookup.code.serial {
                Fact("result.serial", serial)
            }
            if let produced = lookup.lot?.productionDate {
                Fact("result.produced", produced)
            }
            if let expiry = lookup.lot?.expiry {
                Fact("result.expiry", expiry)
            }
            if let company = lookup.company {
                Fact("result.company", [company.name, company.province.flatMap { model.provinceName($0) }]
                    .compactMap { $0 }.joined(separator: ", "))
            }
            if let origin = lookup.product?.originProvince.flatMap({ model.provinceName($0) }) {
                Fact("result.origin", origin)
            }
            if lookup.journeySteps > 0 {
                Fact("result.journey", String(lookup.journeySteps))
            }
            if lookup.chainComplete == false {
                Label("result.chain_incomplete", systemImage: "link")
                    .font(.footnote)
                    .foregroundColor(.orange)
            }
        }
    }

    /// Without a server answer: what the phone reads from the code itself.
    private var parsedFacts: some View {
        let parsed = outcome.parsed
        let info = parsed.info
        return VStack(alignment: .leading, spacing: 6) {
            if !parsed.valid {
                WarningRow(code: "invalid_code", text: info.error ?? L("result.invalid"))
            }
            Fact("result.code", info.elementString ?? info.input)
            ForEach(parsed.hri, id: \.self) { line in
                Text(line).font(.system(.footnote, design: .monospaced))
            }
            if let issuer = language == .en ? info.prefixIssuerEn : info.prefixIssuerVi {
                Fact("result.prefix", issuer)
            }
        }
    }

    private var actions: some View {
        HStack {
            Button(action: scanAgain) {
                Label("scan.again", systemImage: "barcode.viewfinder")
            }
            .buttonStyle(.borderedProminent)
            Spacer()
            if ["inspector", "authority"].contains(model.account?.role ?? "") {
                Button(action: inspect) {
                    Label("result.inspect", systemImage: "checkmark.shield")
                }
                .buttonStyle(.bordered)
            }
            Button(action: complain) {
                Label("result.complain", systemImage: "exclamationmark.bubble")
            }
            .buttonStyle(.bordered)
        }
    }
}

/// Where an answer came from. A saved answer says how old it is: a recall
/// declared since may be missing from it (unless the phone has synced it).
struct SourceBadge: View {
    let source: LookupSource

    var body: some View {
        switch source {
        case .online:
            badge(L("result.source.online"), icon: "antenna.radiowaves.left.and.right", color: .green)
        case .saved(_, let ageSecs):
            badge(L("result.source.saved", Dates.age(seconds: ageSecs)), icon: "clock.arrow.circlepath",
                  color: ageSecs > 86_400 ? .orange : .blue)
        case .local:
            badge(L("result.source.local"), icon: "iphone", color: .gray)
        }
    }

    private func badge(_ text: String, icon: String, color: Color) -> some View {
        Label(text, systemImage: icon)
            .font(.caption.weight(.semibold))
            .padding(.horizontal, 8)
            .padding(.vertical, 4)
            .foregroundColor(color)
            .background(color.opacity(0.15), in: Capsule())
    }
}

/// How serious a warning is, from its stable code.
enum WarningLevel {
    case danger, caution, info

    init(code: String) {
        switch code {
        case "revoked", "recalled", "possibly_cloned", "expired": self = .danger
        case "unknown_offline": self = .info
        // not_registered, invalid_code, foreign_prefix, and codes newer than this app
        default: self = .caution
        }
    }

    var color: Color {
        switch self {
        case .danger: return .red
        case .caution: return .orange
        case .info: return .blue
        }
    }

    var icon: String {
        switch self {
        case .danger: return "exclamationmark.octagon.fill"
        case .caution: return "exclamationmark.triangle.fill"
        case .info: return "info.circle.fill"
        }
    }
}

struct WarningRow: View {
    let code: String
    let text: String

    var body: some View {
        let level = WarningLevel(code: code)
        Label {
            Text(text).fixedSize(horizontal: false, vertical: true)
        } icon: {
            Image(systemName: level.icon).foregroundColor(level.color)
        }
        .frame(maxWidth: .infinity, alignment: .leading)
        .padding(10)
        .background(level.color.opacity(0.12), in: RoundedRectangle(cornerRadius: 10))
    }
}

private struct Fact: View {
    let label: LocalizedStringKey
    let value: String

    init(_ label: LocalizedStringKey, _ value: String) {
        self.label = label
        self.value = value
    }

    var body: some View {
        HStack(alignment: .firstTextBaseline) {
            Text(label).foregroundColor(.secondary)
            Spacer()
            Text(value).multilineTextAlignment(.trailing)
        }
        .font(.subheadline)
    }
}
