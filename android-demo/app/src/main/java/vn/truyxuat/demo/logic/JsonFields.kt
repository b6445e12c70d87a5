package vn.truyxuat.demo.logic

/**
 * Reads single string fields out of an event's payload JSON for the history
 * list. Not a JSON parser: it finds the first `"key":` and decodes the string
 * after it, which is all a one-line summary needs.
 */
object JsonFields {
    fun string(json: String, key: String): String? {
        val needle = "\"" + key + "\""
        var from = 0
        while (true) {
            val at = json.indexOf(needle, from)
            if (at < 0) return null
            var i = skipSpaces(json, at + needle.length)
            if (i < json.length && json[i] == ':') {
                i = skipSpaces(json, i + 1)
                return if (i < json.length && json[i] == '"') readString(json, i + 1) else null
            }
            from = at + needle.length
        }
    }

    private fun skipSpaces(s: String, start: Int): Int {
        var i = start
        while (i < s.length && s[i].isWhitespace()) i++
        return i
    }

    /** The string starting after its opening quote at [start]. */
    private fun readString(s: String, start: Int): String? {
        val out = StringBuilder()
        var i = start
        while (i < s.length) {
            val c = s[i]
            when {
                c == '"' -> return out.toString()
                c != '\\' -> out.append(c)
                i + 1 >= s.length -> return null
                else -> {
                    i++
                    when (val e = s[i]) {
                        'n' -> out.append('\n')
                        't' -> out.append('\t')
                        'r' -> out.append('\r')
                        'b' -> out.append('\b')
                        'f' -> out.append('\u000C')
                        'u' -> {
                            val hex = s.substring(i + 1, minOf(i + 5, s.length))
                            val code = hex.takeIf { it.length == 4 }?.toIntOrNull(16) ?: return null
                            out.append(code.toChar())
                            i += 4
                        }
                        else -> out.append(e)
                    }
                }
            }
            i++
        }
        return null
    }
}
