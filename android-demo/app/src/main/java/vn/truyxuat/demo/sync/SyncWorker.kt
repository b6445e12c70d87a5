package vn.truyxuat.demo.sync

import android.content.Context
import androidx.work.BackoffPolicy
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.ExistingWorkPolicy
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import java.util.concurrent.TimeUnit
import vn.truyxuat.demo.TruyxuatApp
import vn.truyxuat.demo.logic.SyncOutcome
import vn.truyxuat.demo.logic.SyncRunner

/** Sends what the phone recorded and fetches what is new (recalls, catalog, verdicts). */
class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val core = (applicationContext as TruyxuatApp).core
        return when (val outcome = SyncRunner(core.journal, core::session).syncNow()) {
            // Recorded while the sync ran: go again shortly.
            is SyncOutcome.Done -> if (outcome.report.pending > 0u) Result.retry() else Result.success()
            // No network or the server is down; WorkManager backs off and tries again.
            is SyncOutcome.TryLater -> Result.retry()
            // Nothing can go out before someone signs in; the account screen syncs then.
            is SyncOutcome.NeedsSignIn -> Result.success()
            is SyncOutcome.Failed -> Result.failure()
        }
    }
}

object SyncWork {
    private const val PERIODIC = "truyxuat-sync-periodic"
    private const val SOON = "truyxuat-sync-soon"

    private val online = Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build()

    /** Once an hour when online, and once as soon as there is a network. */
    fun schedule(context: Context) {
        val periodic = PeriodicWorkRequestBuilder<SyncWorker>(1, TimeUnit.HOURS)
            .setConstraints(online)
            .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, 30, TimeUnit.SECONDS)
            .build()
        WorkManager.getInstance(context)
            .enqueueUniquePeriodicWork(PERIODIC, ExistingPeriodicWorkPolicy.KEEP, periodic)
        syncSoon(context)
    }

    /**
     * A sync when the network is (or comes) up. One waits at a time: an
     * event recorded while it runs makes it go again (see [SyncWorker]).
     */
    fun syncSoon(context: Context) {
        val once = OneTimeWorkRequestBuilder<SyncWorker>()
            .setConstraints(online)
            .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, 30, TimeUnit.SECONDS)
            .build()
        WorkManager.getInstance(context).enqueueUniqueWork(SOON, ExistingWorkPolicy.KEEP, once)
    }
}
