package vn.truyxuat.demo.logic

import java.util.Locale
import java.util.TimeZone

/**
 * Times as people read them. Plain arithmetic on Unix seconds, no java.time:
 * the app runs from Android 7 (API 24), where java.time is missing.
 */
object TimeText {
    /** "3 giờ trước" / "3 h ago"; whole units, rounded down. */
    fun ago(seconds: Long): Bilingual {
        val s = if (seconds < 0) 0 else seconds
        return when {
            s < 60 -> Bilingual("vừa xong", "just now")
            s < 3_600 -> unit(s / 60, "phút", "min")
            s < 86_400 -> unit(s / 3_600, "giờ", "h")
            else -> unit(s / 86_400, "ngày", if (s / 86_400 == 1L) "day" else "days")
        }
    }

    private fun unit(n: Long, vi: String, en: String) = Bilingual("$n $vi trước", "$n $en ago")

    /**
     * Unix seconds of an RFC 3339 time such as `2026-01-08T09:00:00.000Z` or
     * `2026-01-08T16:00:00+07:00`; null when it is not one.
     */
    fun parseRfc3339(text: String): Long? {
        val m = RFC3339.matchEntire(text.trim()) ?: return null
        val g = m.groupValues
        val year = g[1].toInt()
        val month = g[2].toInt()
        val day = g[3].toInt()
        val hour = g[4].toInt()
        val minute = g[5].toInt()
        val second = g[6].toInt()
        if (month !in 1..12 || day !in 1..31 || hour > 23 || minute > 59 || second > 60) return null
        val offset = when {
            g[7].equals("Z", ignoreCase = true) -> 0
            else -> {
                val sign = if (g[7].startsWith("-")) -1 else 1
                sign * (g[7].substring(1, 3).toInt() * 3_600 + g[7].substring(4, 6).toInt() * 60)
            }
        }
        return daysFromCivil(year, month, day) * 86_400 + hour * 3_600L + minute * 60L + second - offset
    }

    /** `dd/MM/yyyy HH:mm` in the phone's time zone (or the offset given), as Vietnam writes dates. */
    fun localDateTime(rfc3339: String, offsetSeconds: Long? = null): String {
        val secs = parseRfc3339(rfc3339) ?: return rfc3339
        val local = secs + (offsetSeconds ?: zoneOffsetSeconds(secs * 1000))
        val (y, mo, d) = civilFromDays(local.floorDiv(86_400L))
        val inDay = local.mod(86_400L)
        return "%02d/%02d/%04d %02d:%02d".format(Locale.ROOT, d, mo, y, inDay / 3_600, inDay % 3_600 / 60)
    }

    /** Today as `YYYY-MM-DD` in the phone's time zone: the default of the forms' date fields. */
    fun today(nowMillis: Long = System.currentTimeMillis()): String {
        val local = nowMillis / 1000 + zoneOffsetSeconds(nowMillis)
        val (y, m, d) = civilFromDays(local.floorDiv(86_400L))
        return "%04d-%02d-%02d".format(Locale.ROOT, y, m, d)
    }

    fun nowSeconds(): Long = System.currentTimeMillis() / 1000

    private fun zoneOffsetSeconds(atMillis: Long): Long = TimeZone.getDefault().getOffset(atMillis) / 1000L

    private val RFC3339 =
        Regex("""(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?([Zz]|[+-]\d{2}:\d{2})""")

    // Days since 1970-01-01 of a proleptic Gregorian date, and back
    // (H. Hinnant's civil-calendar algorithms).
    private fun daysFromCivil(year: Int, month: Int, day: Int): Long {
        val y = (if (month <= 2) year - 1 else year).toLong()
        val era = y.floorDiv(400L)
        val yoe = y - era * 400
        val mp = (month + 9) % 12
        val doy = (153 * mp + 2) / 5 + day - 1
        val doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private fun civilFromDays(days: Long): Triple<Int, Int, Int> {
        val z = days + 719_468
        val era = z.floorDiv(146_097L)
        val doe = z - era * 146_097
        val yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        val doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        val mp = (5 * doy + 2) / 153
        val day = (doy - (153 * mp + 2) / 5 + 1).toInt()
        val month = (if (mp < 10) mp + 3 else mp - 9).toInt()
        val year = (yoe + era * 400 + if (month <= 2) 1 else 0).toInt()
        return Triple(year, month, day)
    }
}
