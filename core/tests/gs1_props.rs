//! Property tests: the three spellings of AI data round-trip, and no input
//! makes the parser panic.

use proptest::prelude::*;
use truyxuat_core::gs1::{self, Options};

/// A valid GTIN-14 from 13 random digits.
fn gtin() -> impl Strategy<Value = String> {
    "[0-9]{13}".prop_map(|d| format!("{d}{}", gs1::check_digit(&d).unwrap()))
}

/// A CSET 82 value of 1..=20 characters (lot or serial).
fn cset82() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[!\"%&'()*+,./0-9:;<=>?A-Z_a-z-]{1,20}").unwrap()
}

fn date() -> impl Strategy<Value = String> {
    (0u32..100, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y:02}{m:02}{d:02}"))
}

fn element_string() -> impl Strategy<Value = String> {
    (gtin(), proptest::option::of(date()), proptest::option::of(cset82()), proptest::option::of(cset82()))
        .prop_map(|(g, exp, lot, serial)| {
            let mut s = format!("(01){g}");
            if let Some(e) = exp {
                s.push_str(&format!("(17){e}"));
            }
            if let Some(l) = lot {
                s.push_str(&format!("(10){}", l.replace('(', "\\(")));
            }
            if let Some(sn) = serial {
                s.push_str(&format!("(21){}", sn.replace('(', "\\(")));
            }
            s
        })
}

proptest! {
    #[test]
    fn bracketed_data_string_and_digital_link_round_trip(es in element_string()) {
        let opts = Options::default();
        let msg = gs1::parse_bracketed(&es, &opts).unwrap();
        prop_assert_eq!(msg.element_string().unwrap(), es.clone());

        let data = msg.data_string().unwrap();
        let again = gs1::parse_data(&data, &opts).unwrap();
        prop_assert_eq!(&again.elements, &msg.elements);

        let uri = msg.digital_link(gs1::DL_STEM).unwrap();
        let from_dl = gs1::parse_data(&uri, &opts).unwrap();
        let mut a = from_dl.elements.clone();
        let mut b = msg.elements.clone();
        a.sort_by(|x, y| x.ai.cmp(&y.ai));
        b.sort_by(|x, y| x.ai.cmp(&y.ai));
        prop_assert_eq!(a, b);
        prop_assert_eq!(from_dl.digital_link(gs1::DL_STEM).unwrap(), uri);

        let scan = format!("]d2{}", data[1..].replace('^', "\u{1d}"));
        prop_assert_eq!(gs1::parse_scan(&scan, &opts).unwrap().elements, msg.elements);
    }

    #[test]
    fn parsers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let text = String::from_utf8_lossy(&bytes);
        let opts = Options { permit_unknown_ais: true, check_associations: false, permit_zero_suppressed_gtin: true };
        for input in [text.to_string(), format!("({text}"), format!("^{text}"), format!("]C1{text}"), format!("https://x/01/{text}")] {
            let _ = gs1::parse_bracketed(&input, &opts);
            let _ = gs1::parse_data(&input, &opts);
            let _ = gs1::parse_scan(&input, &opts);
            if let Ok(msg) = gs1::parse_any(&input, &Options::default()) {
                let _ = msg.digital_link(gs1::DL_STEM);
                let _ = msg.hri_with_titles();
            }
        }
    }

    #[test]
    fn structured_garbage_never_panics(ai in "[0-9]{2,4}", value in "\\PC{0,40}", sep in "[\\^()\u{1d}/?=&%]{0,3}") {
        let opts = Options::default();
        let _ = gs1::parse_bracketed(&format!("({ai}){value}{sep}"), &opts);
        let _ = gs1::parse_data(&format!("^{ai}{value}{sep}{ai}"), &opts);
        let _ = gs1::parse_data(&format!("https://h/{ai}/{value}{sep}?{ai}={value}"), &opts);
    }
}

#[test]
fn huge_input_is_refused_quickly() {
    let big = "(01)".to_owned() + &"9".repeat(10 * 1024 * 1024);
    let err = gs1::parse_any(&big, &Options::default()).unwrap_err();
    assert!(matches!(err, gs1::Gs1Error::TooLong { .. }));
    assert!(gs1::parse_data(&"^".repeat(10_000_000), &Options::default()).is_err());
}
