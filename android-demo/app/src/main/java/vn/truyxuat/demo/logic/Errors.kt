package vn.truyxuat.demo.logic

import vn.truyxuat.core.TruyxuatException

/** What an error from the core means to the person holding the phone. */
object ErrorText {
    fun of(e: Throwable): Bilingual = when (e) {
        is TruyxuatException.InvalidInput ->
            Bilingual("Chưa lưu: ${e.reason}", "Not saved: ${e.reason}")
        is TruyxuatException.Storage ->
            Bilingual("Lỗi bộ nhớ máy: ${e.reason}", "Phone storage error: ${e.reason}")
        is TruyxuatException.Offline ->
            Bilingual(
                "Không kết nối được máy chủ; dữ liệu vẫn được giữ trên máy",
                "Cannot reach the server; everything stays on this phone",
            )
        is TruyxuatException.SignInRequired ->
            Bilingual("Cần đăng nhập", "Please sign in")
        is TruyxuatException.Refused ->
            Bilingual("Máy chủ từ chối: ${e.reason}", "The server refused: ${e.reason}")
        is TruyxuatException.Server ->
            Bilingual("Máy chủ gặp lỗi: ${e.reason}", "Server error: ${e.reason}")
        else -> {
            val detail = e.message ?: e.javaClass.simpleName
            Bilingual("Lỗi không mong đợi: $detail", "Unexpected error: $detail")
        }
    }

    /** The core's own reason for refusing a form field, if that is what [e] is. */
    fun coreReason(e: Throwable): String? = (e as? TruyxuatException.InvalidInput)?.reason
}
