package vn.truyxuat.demo.logic

/** The app's two languages: Vietnamese first, English second. */
enum class Lang {
    VI,
    EN;

    companion object {
        /** From a language tag ("vi", "vi-VN", "en-GB" …); anything but English is Vietnamese. */
        fun fromTag(tag: String?): Lang =
            if (tag != null && tag.lowercase().startsWith("en")) EN else VI
    }
}

/** A text in both languages; screens pick one with [text]. */
data class Bilingual(val vi: String, val en: String) {
    fun text(lang: Lang): String = when (lang) {
        Lang.VI -> vi
        Lang.EN -> en
    }

    /** Both at once, "vi / en", for notifications and logs. */
    fun both(): String = if (vi == en) vi else "$vi / $en"

    companion object {
        /** A text that reads the same in both languages (a code, a name). */
        fun same(text: String): Bilingual = Bilingual(text, text)
    }
}
