package vn.truyxuat.demo.logic

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import vn.truyxuat.core.Session
import vn.truyxuat.core.SignedIn
import vn.truyxuat.core.TruyxuatException

/** Who is signed in on this phone, for the settings screen. */
data class AccountStatus(val user: String?, val role: String?, val expiresAt: Long?) {
    val signedIn: Boolean get() = user != null

    fun line(): Bilingual = when (user) {
        null -> Bilingual("Chưa đăng nhập", "Not signed in")
        else -> {
            val r = roleLabel(role ?: "")
            Bilingual("Đã đăng nhập: $user (${r.vi})", "Signed in as $user (${r.en})")
        }
    }

    companion object {
        val SIGNED_OUT = AccountStatus(null, null, null)

        fun of(s: SignedIn?): AccountStatus =
            if (s == null) SIGNED_OUT else AccountStatus(s.user, s.role, s.expiresAt)

        fun roleLabel(role: String): Bilingual = when (role) {
            "farmer" -> Bilingual("nông dân", "farmer")
            "enterprise" -> Bilingual("doanh nghiệp", "enterprise")
            "inspector" -> Bilingual("thanh tra", "inspector")
            "authority" -> Bilingual("cơ quan quản lý", "authority")
            "consumer" -> Bilingual("người tiêu dùng", "consumer")
            "admin" -> Bilingual("quản trị", "administrator")
            else -> Bilingual.same(role)
        }
    }
}

/** The result of a button on the settings screen. */
sealed class ActionResult {
    abstract val message: Bilingual

    data class Done(override val message: Bilingual) : ActionResult()

    data class NotDone(override val message: Bilingual) : ActionResult()
}

/** Sign in and out. The token lives in the journal file, so it survives restarts. */
class AccountLogic(
    private val session: () -> Session,
    private val io: CoroutineDispatcher = Dispatchers.IO,
) {
    suspend fun status(): AccountStatus = try {
        AccountStatus.of(withContext(io) { session().signedIn() })
    } catch (e: CancellationException) {
        throw e
    } catch (e: Exception) {
        AccountStatus.SIGNED_OUT
    }

    suspend fun signIn(user: String, password: String): ActionResult {
        if (user.isBlank() || password.isEmpty()) {
            return ActionResult.NotDone(Bilingual("Nhập tên đăng nhập và mật khẩu", "Enter the user name and password"))
        }
        return act {
            val s = session().login(user.trim(), password)
            val r = AccountStatus.roleLabel(s.role)
            Bilingual("Xin chào ${s.user} (${r.vi})", "Welcome, ${s.user} (${r.en})")
        }
    }

    /** Forget the token; what is recorded stays and goes out after the next sign-in. */
    suspend fun signOut(): ActionResult = act {
        session().signOut()
        Bilingual("Đã đăng xuất", "Signed out")
    }

    private suspend fun act(block: () -> Bilingual): ActionResult = try {
        ActionResult.Done(withContext(io) { block() })
    } catch (e: CancellationException) {
        throw e
    } catch (e: TruyxuatException.Refused) {
        if (e.code == "unauthorized") {
            ActionResult.NotDone(Bilingual("Sai tên đăng nhập hoặc mật khẩu", "Wrong user name or password"))
        } else {
            ActionResult.NotDone(ErrorText.of(e))
        }
    } catch (e: Exception) {
        ActionResult.NotDone(ErrorText.of(e))
    }
}
