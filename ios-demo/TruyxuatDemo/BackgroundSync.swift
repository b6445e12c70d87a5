import BackgroundTasks
import Foundation

/// Syncs while the app is not open (BGAppRefreshTask): what farmers and
/// inspectors recorded offline leaves the phone when a connection comes, and
/// recalls of products the user scanned arrive.
///
/// iOS decides when the task runs (from how the app is used); the app only
/// asks for "not before 15 minutes".
enum BackgroundSync {
    /// Also in Info.plist, `BGTaskSchedulerPermittedIdentifiers`.
    static let taskID = "vn.truyxuat.demo.sync"

    /// Must be called before the app finishes launching; `model` is nil when
    /// the journal could not be opened (the task then does nothing).
    static func register(model: AppModel?) {
        let id = taskID
        let registered = BGTaskScheduler.shared.register(forTaskWithIdentifier: id, using: nil) { task in
            run(task, model: model)
        }
        if !registered {
            logger.error("background sync not registered: is \(id, privacy: .public) in Info.plist?")
        }
    }

    /// Ask for the next run (when the app goes to the background).
    static func schedule() {
        let request = BGAppRefreshTaskRequest(identifier: taskID)
        request.earliestBeginDate = Date(timeIntervalSinceNow: 15 * 60)
        do {
            try BGTaskScheduler.shared.submit(request)
        } catch {
            // The simulator cannot run background tasks.
            logger.info("background sync not scheduled: \(String(describing: error), privacy: .public)")
        }
    }

    private static func run(_ task: BGTask, model: AppModel?) {
        schedule()  // the next run, whatever happens to this one
        let finish = Once { success in task.setTaskCompleted(success: success) }
        // A sync cannot be stopped halfway, but it is safe to cut short: the
        // journal is transactional and the next sync sends what this one did not.
        task.expirationHandler = { finish(false) }
        Task { @MainActor in
            let synced = await model?.syncNow(quiet: true) ?? false
            finish(synced)
        }
    }
}

/// Calls its action the first time only: a task is completed exactly once,
/// by the sync finishing or by iOS cutting it short, whichever comes first.
private final class Once: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    private let action: (Bool) -> Void

    init(_ action: @escaping (Bool) -> Void) {
        self.action = action
    }

    func callAsFunction(_ value: Bool) {
        lock.lock()
        let first = !done
        done = true
        lock.unlock()
        if first { action(value) }
    }
}
