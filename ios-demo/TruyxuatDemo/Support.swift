import Foundation
import os

// Small helpers shared by the screens: running core calls off the main
// thread, the app's language, error texts, dates and form values.

let logger = Logger(subsystem: "vn.truyxuat.demo", category: "app")

/// Core calls block (SQLite, network, decoding), so none runs on the main
/// thread. The core's objects are thread-safe: the queue is concurrent.
enum CoreQueue {
    private static let queue = DispatchQueue(label: "vn.truyxuat.demo.core", qos: .userInitiated, attributes: .concurrent)

    static func run<T>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result(catching: work)) }
        }
    }
}

// MARK: - Language

/// Vietnamese first; English when the phone prefers it. The core gives
/// texts in both languages (warnings, product and province names).
enum AppLanguage {
    case vi, en

    static let current: AppLanguage = Bundle.main.preferredLocalizations.first?.hasPrefix("en") == true ? .en : .vi

    var locale: Locale { Locale(identifier: self == .en ? "en" : "vi") }

    func pick(vi: String, en: String?) -> String {
        self == .en ? (en ?? vi) : vi
    }
}

/// The text for `key` from Localizable.strings.
func L(_ key: String) -> String {
    NSLocalizedString(key, comment: "")
}

/// The text for `key` with its `%@` placeholders filled in order.
func L(_ key: String, _ args: String...) -> String {
    String(format: L(key), locale: AppLanguage.current.locale, arguments: args.map { $0 as CVarArg })
}

/// The text for `key`, or `fallback` when the strings files lack it (a role
/// or category the server introduced after this app was built).
func L(_ key: String, or fallback: String) -> String {
    NSLocalizedString(key, tableName: nil, bundle: .main, value: fallback, comment: "")
}

/// What to tell the user about a failed core call.
func describe(_ error: Error) -> String {
    guard let error = error as? TruyxuatError else { return error.localizedDescription }
    switch error {
    case .InvalidInput(let reason): return L("error.invalid_input", reason)
    case .Storage(let reason): return L("error.storage", reason)
    case .Offline: return L("error.offline")
    case .SignInRequired: return L("error.sign_in_required")
    case .Refused(_, let reason): return L("error.refused", reason)
    case .Server(let reason): return L("error.server", reason)
    }
}

// MARK: - Dates and numbers

enum Dates {
    private static let dayFormatter: DateFormatter = {
        let f = DateFormatter()
        f.calendar = Calendar(identifier: .gregorian)  // whatever calendar the phone uses
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd"
        return f
    }()

    private static let showFormatter: DateFormatter = {
        let f = DateFormatter()
        f.locale = AppLanguage.current.locale
        f.dateStyle = .medium
        f.timeStyle = .short
        return f
    }()

    private static let ageFormatter: RelativeDateTimeFormatter = {
        let f = RelativeDateTimeFormatter()
        f.locale = AppLanguage.current.locale
        f.unitsStyle = .full
        return f
    }()

    /// `YYYY-MM-DD` in the phone's time zone: the form fields' date format.
    static func day(_ date: Date) -> String {
        dayFormatter.string(from: date)
    }

    static func show(_ date: Date) -> String {
        showFormatter.string(from: date)
    }

    /// An RFC 3339 time from the core, for people (as given if unreadable).
    static func show(rfc3339 text: String) -> String {
        let parser = ISO8601DateFormatter()
        if let date = parser.date(from: text) { return show(date) }
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return parser.date(from: text).map { show($0) } ?? text
    }

    /// "3 giờ trước" / "3 hours ago".
    static func age(seconds: UInt64) -> String {
        ageFormatter.localizedString(fromTimeInterval: -TimeInterval(seconds))
    }
}

/// A number from a decimal pad: `320,5` (Vietnamese) or `320.5` (English).
func parseDecimal(_ text: String) -> Double? {
    Double(text.trimmed.replacingOccurrences(of: ",", with: "."))
}

func formatNumber(_ value: Double) -> String {
    let f = NumberFormatter()
    f.locale = AppLanguage.current.locale
    f.numberStyle = .decimal
    f.maximumFractionDigits = 3
    return f.string(from: NSNumber(value: value)) ?? String(value)
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }

    /// Trimmed, or nil when blank: for optional form fields.
    var trimmedOrNil: String? {
        let t = trimmed
        return t.isEmpty ? nil : t
    }
}
