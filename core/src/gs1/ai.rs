//! The Application Identifier table: types and look-ups.
//!
//! The table itself (`table.rs`) is generated from GS1's Barcode Syntax
//! Dictionary by `scripts/gen-ai-table.py`.

use super::table::AI_TABLE;

/// Character set of one component of an AI's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cset {
    /// Digits only.
    Numeric,
    /// GS1 AI encodable character set 82.
    Cset82,
    /// GS1 AI encodable character set 39.
    Cset39,
    /// The URL- and filename-safe base64 alphabet (RFC 4648 §5).
    Cset64,
}

/// A content check applied to one component ("linter" in GS1's terms).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Linter {
    Couponcode,
    Couponposoffer,
    Csum,
    Csumalpha,
    Gcppos1,
    Gcppos2,
    Hasnondigit,
    Hh,
    Hhmi,
    Hyphen,
    Iban,
    Importeridx,
    Iso3166,
    Iso3166999,
    Iso3166alpha2,
    Iso4217,
    Iso5218,
    Latitude,
    Longitude,
    Mediatype,
    Mi,
    Nonzero,
    Nozeroprefix,
    Packagetype,
    Pcenc,
    Pieceoftotal,
    Posinseqslash,
    Ss,
    Winding,
    Yesno,
    Yymmd0,
    Yymmdd,
    Yyyymmdd,
    Zero,
}

/// One component of an AI's value: a character set, a length range and checks.
#[derive(Debug)]
pub(crate) struct Component {
    pub cset: Cset,
    pub min: u8,
    pub max: u8,
    pub optional: bool,
    pub linters: &'static [Linter],
}

/// Everything the engine knows about one Application Identifier.
#[derive(Debug)]
pub(crate) struct AiEntry {
    pub ai: &'static str,
    /// An FNC1 separator must follow the value unless it ends the message.
    pub fnc1: bool,
    /// May appear as a Digital Link query-string data attribute.
    pub dl_attr: bool,
    pub components: &'static [Component],
    /// Each string is one requirement: alternatives separated by `,`, each
    /// alternative a `+`-joined set of AIs or patterns (`n` = any digit).
    pub req: &'static [&'static str],
    /// AIs or patterns that must not appear together with this AI.
    pub ex: &'static [&'static str],
    /// `Some` for a Digital Link primary key: its alternative qualifier
    /// sequences (each a `,`-separated ordered list; empty = no qualifiers).
    pub dl_pkey: Option<&'static [&'static str]>,
    pub title: &'static str,
}

impl AiEntry {
    pub(crate) fn min_len(&self) -> usize {
        self.components.iter().filter(|c| !c.optional).map(|c| c.min as usize).sum()
    }

    pub(crate) fn max_len(&self) -> usize {
        self.components.iter().map(|c| c.max as usize).sum()
    }

    /// The qualifier sequences of a primary key, each as a list of AIs.
    pub(crate) fn qualifier_sequences(&self) -> impl Iterator<Item = Vec<&'static str>> {
        self.dl_pkey.unwrap_or(&[]).iter().map(|seq| seq.split(',').filter(|s| !s.is_empty()).collect())
    }
}

/// Look up an AI by its exact digits.
pub(crate) fn lookup(ai: &str) -> Option<&'static AiEntry> {
    AI_TABLE.binary_search_by(|e| e.ai.cmp(ai)).ok().map(|i| &AI_TABLE[i])
}

/// The length of the AIs that start with these two digits, when the table
/// has any (the first two digits of an AI fix its length).
pub(crate) fn length_for_prefix(prefix: &str) -> Option<usize> {
    let start = AI_TABLE.partition_point(|e| e.ai < prefix);
    AI_TABLE.get(start).filter(|e| e.ai.starts_with(prefix)).map(|e| e.ai.len())
}

/// Find the AI that is a prefix of `data` (AIs are prefix-free).
pub(crate) fn lookup_prefix(data: &[u8]) -> Option<&'static AiEntry> {
    (2..=4).filter(|&n| n <= data.len()).find_map(|n| {
        let head = std::str::from_utf8(&data[..n]).ok()?;
        lookup(head)
    })
}

/// Does `ai` match a dictionary pattern such as `31nn`, `394n` or `01`?
pub(crate) fn matches_pattern(ai: &str, pattern: &str) -> bool {
    ai.len() == pattern.len()
        && ai.bytes().zip(pattern.bytes()).all(|(a, p)| a == p || (p == b'n' && a.is_ascii_digit()))
}

/// All entries, in AI order.
pub(crate) fn all() -> &'static [AiEntry] {
    AI_TABLE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_prefix_free() {
        for pair in AI_TABLE.windows(2) {
            assert!(pair[0].ai < pair[1].ai, "{} before {}", pair[0].ai, pair[1].ai);
        }
        for a in AI_TABLE {
            for b in AI_TABLE {
                if a.ai != b.ai {
                    assert!(!b.ai.starts_with(a.ai), "{} is a prefix of {}", a.ai, b.ai);
                }
            }
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(lookup("01").map(|e| e.title), Some("GTIN"));
        assert_eq!(lookup("3103").map(|e| e.min_len()), Some(6));
        assert!(lookup("89").is_none());
        assert_eq!(lookup_prefix(b"3103000500").map(|e| e.ai), Some("3103"));
        assert_eq!(lookup_prefix(b"10ABC").map(|e| e.ai), Some("10"));
        assert!(lookup_prefix(b"2").is_none());
        assert!(matches_pattern("3103", "310n"));
        assert!(matches_pattern("3103", "31nn"));
        assert!(!matches_pattern("3203", "31nn"));
        let gtin: Vec<_> = lookup("01").unwrap().qualifier_sequences().collect();
        assert!(gtin.iter().any(|seq| seq.contains(&"235")));
        assert!(gtin.iter().all(|seq| !seq.contains(&"17")));
        assert_eq!(lookup("00").unwrap().qualifier_sequences().count(), 0);
        assert_eq!(length_for_prefix("23"), Some(3));
        assert_eq!(length_for_prefix("01"), Some(2));
        assert_eq!(length_for_prefix("89"), None);
    }
}
