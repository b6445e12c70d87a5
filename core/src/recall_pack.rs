//! The offline recall pack: the recalls in force for a province, signed by
//! the server (Ed25519), kept up to date by deltas and checked on the phone
//! before it is used, so an inspector without a network still knows which
//! lots must not be on sale.
//!
//! Invariant: pure (no I/O). A pack is used only after its signature
//! verifies against the key the phone pinned, and a delta only on top of
//! the exact version it was made from; anything else is refused whole and
//! the phone keeps the pack it had.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::journal::canonical_json;
use crate::lookup::{RecallNote, RevokedCode};

/// The pack format this code reads and the server writes.
pub const FORMAT: u32 = 1;

/// What the server signs: the recalls of a province (and the nationwide
/// ones), whole (`base_version` none) or as changes since `base_version`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackBody {
    pub format: u32,
    /// None: nationwide recalls only.
    pub province: Option<String>,
    /// Grows with every recall change the server makes.
    pub version: i64,
    /// For a delta, the version it applies to.
    pub base_version: Option<i64>,
    pub issued_at: String,
    /// Recalls in force (whole pack), or declared or changed since the base.
    pub recalls: Vec<RecallNote>,
    /// Recall ids no longer in force (deltas only).
    pub withdrawn: Vec<String>,
    /// Codes revoked (whole pack), or revoked since the base.
    #[serde(default)]
    pub revoked: Vec<RevokedCode>,
    /// Keys (`gtin/lot/serial`) of revocations lifted (deltas only).
    #[serde(default)]
    pub reinstated: Vec<String>,
}

/// A pack as it travels: its body (kept as sent, for the signature), who
/// signed it and the signature, both in lowercase hex.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignedPack {
    pub body: serde_json::Value,
    pub key_id: String,
    pub signature: String,
}

/// The server's public key, as the phone pins it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackKey {
    pub key_id: String,
    /// 32 bytes, lowercase hex.
    pub public_key: String,
}

/// What the phone keeps: the verified pack, with deltas applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackState {
    pub province: Option<String>,
    pub version: i64,
    pub issued_at: String,
    pub key_id: String,
    pub recalls: Vec<RecallNote>,
    #[serde(default)]
    pub revoked: Vec<RevokedCode>,
}

impl PackState {
    /// The recalls in force for this GTIN-14 and lot.
    pub fn covering<'a>(&'a self, gtin: &'a str, lot: &'a str) -> impl Iterator<Item = &'a RecallNote> + 'a {
        self.recalls.iter().filter(move |r| r.covers(gtin, lot))
    }

    /// Lots named, counting each recall's lots.
    pub fn lot_count(&self) -> usize {
        self.recalls.iter().map(|r| r.lots.len()).sum()
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PackError {
    #[error(
        "gói thu hồi ký bằng khóa lạ / the recall pack is signed by key {got}, not the trusted {expected}"
    )]
    UnknownKey { expected: String, got: String },
    #[error("chữ ký gói thu hồi không hợp lệ / the recall pack's signature does not verify")]
    BadSignature,
    #[error("gói thu hồi hỏng / malformed recall pack: {0}")]
    Malformed(String),
    #[error("gói thu hồi định dạng {0} chưa được hỗ trợ / recall pack format {0} is not supported")]
    Format(u32),
    /// A delta for another version than the one kept: ask for a whole pack.
    #[error("recall pack delta from version {base} does not apply to version {have:?}")]
    Gap { have: Option<i64>, base: i64 },
    #[error("recall pack for province {got:?}, not {expected:?}")]
    WrongProvince { expected: Option<String>, got: Option<String> },
}

/// A key's id: the first 8 bytes of its SHA-256, in hex.
pub fn key_id(public_key: &[u8]) -> String {
    hex(&Sha256::digest(public_key)[..8])
}

/// The bytes a pack's signature covers: its body's canonical JSON.
pub fn signed_bytes(body: &serde_json::Value) -> Vec<u8> {
    canonical_json(body).into_bytes()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok()).collect()
}

/// Check a pack against the pinned key; the body once it verifies.
pub fn verify(pack: &SignedPack, key: &PackKey) -> Result<PackBody, PackError> {
    if pack.key_id != key.key_id {
        return Err(PackError::UnknownKey { expected: key.key_id.clone(), got: pack.key_id.clone() });
    }
    let public = unhex(&key.public_key).filter(|k| k.len() == 32).ok_or(PackError::BadSignature)?;
    if key_id(&public) != key.key_id {
        return Err(PackError::UnknownKey { expected: key.key_id.clone(), got: key_id(&public) });
    }
    let signature = unhex(&pack.signature).ok_or(PackError::BadSignature)?;
    ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, &public)
        .verify(&signed_bytes(&pack.body), &signature)
        .map_err(|_| PackError::BadSignature)?;
    let body: PackBody =
        serde_json::from_value(pack.body.clone()).map_err(|e| PackError::Malformed(e.to_string()))?;
    if body.format != FORMAT {
        return Err(PackError::Format(body.format));
    }
    Ok(body)
}

/// The state after a verified pack: a whole pack replaces what was kept, a
/// delta applies to exactly its base version of the same province.
pub fn apply(kept: Option<&PackState>, pack: &SignedPack, key: &PackKey) -> Result<PackState, PackError> {
    let body = verify(pack, key)?;
    let (mut recalls, mut revoked) = match (body.base_version, kept) {
        (None, _) => (Vec::new(), Vec::new()),
        (Some(base), Some(k)) if k.version == base => {
            if k.province != body.province {
                return Err(PackError::WrongProvince { expected: k.province.clone(), got: body.province });
            }
            (
                k.recalls.iter().filter(|r| !body.withdrawn.contains(&r.id)).cloned().collect(),
                k.revoked.iter().filter(|r| !body.reinstated.contains(&r.key())).cloned().collect::<Vec<_>>(),
            )
        }
        (Some(base), k) => return Err(PackError::Gap { have: k.map(|k| k.version), base }),
    };
    for r in body.revoked {
        revoked.retain(|known| known.key() != r.key());
        revoked.push(r);
    }
    revoked.sort_by_key(RevokedCode::key);
    for r in body.recalls {
        match recalls.iter_mut().find(|known| known.id == r.id) {
            Some(known) => *known = r,
            None => recalls.push(r),
        }
    }
    recalls.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(PackState {
        province: body.province,
        version: body.version,
        issued_at: body.issued_at,
        key_id: pack.key_id.clone(),
        recalls,
        revoked,
    })
}

#[cfg(test)]
mod tests {
    use ring::signature::{Ed25519KeyPair, KeyPair};

    use super::*;

    fn note(id: &str, lots: &[&str]) -> RecallNote {
        RecallNote {
            id: id.into(),
            gtin: "08936120100110".into(),
            lots: lots.iter().map(|l| l.to_string()).collect(),
            severity: "high".into(),
            reason_vi: "Nấm mốc".into(),
            reason_en: None,
        }
    }

    fn body(base: Option<i64>, version: i64, recalls: Vec<RecallNote>, withdrawn: &[&str]) -> PackBody {
        PackBody {
            format: FORMAT,
            province: Some("01".into()),
            version,
            base_version: base,
            issued_at: "2026-11-27T01:00:00.000Z".into(),
            recalls,
            withdrawn: withdrawn.iter().map(|w| w.to_string()).collect(),
            revoked: Vec::new(),
            reinstated: Vec::new(),
        }
    }

    struct Signer(Ed25519KeyPair);

    impl Signer {
        fn new() -> Signer {
            let pkcs8 = Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new()).unwrap();
            Signer(Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap())
        }

        fn key(&self) -> PackKey {
            let public = self.0.public_key().as_ref();
            PackKey { key_id: key_id(public), public_key: hex(public) }
        }

        fn sign(&self, b: &PackBody) -> SignedPack {
            let body = serde_json::to_value(b).unwrap();
            let signature = hex(self.0.sign(&signed_bytes(&body)).as_ref());
            SignedPack { body, key_id: self.key().key_id, signature }
        }
    }

    #[test]
    fn whole_packs_and_deltas() {
        let s = Signer::new();
        let key = s.key();
        let first =
            apply(None, &s.sign(&body(None, 10, vec![note("R1", &["A"]), note("R2", &["B"])], &[])), &key)
                .unwrap();
        assert_eq!((first.version, first.lot_count()), (10, 2));
        assert_eq!(first.covering("08936120100110", "B").map(|r| r.id.as_str()).collect::<Vec<_>>(), ["R2"]);

        // R1 withdrawn, R2 widened, R3 new.
        let delta = s.sign(&body(Some(10), 14, vec![note("R2", &["B", "C"]), note("R3", &["D"])], &["R1"]));
        let next = apply(Some(&first), &delta, &key).unwrap();
        assert_eq!(next.recalls.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["R2", "R3"]);
        assert_eq!((next.version, next.lot_count()), (14, 3));
        assert_eq!(next.covering("08936120100110", "A").count(), 0);

        // The same delta again, or one from another base, is a gap.
        assert_eq!(apply(Some(&next), &delta, &key), Err(PackError::Gap { have: Some(14), base: 10 }));
        assert_eq!(apply(None, &delta, &key), Err(PackError::Gap { have: None, base: 10 }));
        let mut other = body(Some(14), 15, vec![], &[]);
        other.province = Some("79".into());
        assert!(matches!(apply(Some(&next), &s.sign(&other), &key), Err(PackError::WrongProvince { .. })));
    }

    #[test]
    fn revoked_codes_come_and_go_with_the_pack() {
        let s = Signer::new();
        let key = s.key();
        let code = |serial: &str| RevokedCode {
            gtin: "08936120100110".into(),
            lot: String::new(),
            serial: serial.into(),
            reason_vi: "Tem giả".into(),
            reason_en: None,
        };
        let mut whole = body(None, 5, vec![], &[]);
        whole.revoked = vec![code("S1"), code("S2")];
        let first = apply(None, &s.sign(&whole), &key).unwrap();
        assert!(first.revoked.iter().any(|r| r.covers("08936120100110", None, Some("S1"))));
        assert!(!first.revoked.iter().any(|r| r.covers("08936120100110", None, Some("S3"))));
        let mut delta = body(Some(5), 6, vec![], &[]);
        delta.reinstated = vec![code("S1").key()];
        delta.revoked = vec![code("S3")];
        let next = apply(Some(&first), &s.sign(&delta), &key).unwrap();
        let serials: Vec<&str> = next.revoked.iter().map(|r| r.serial.as_str()).collect();
        assert_eq!(serials, ["S2", "S3"]);
        // A GTIN revoked whole covers all its lots and serials.
        let gtin = RevokedCode { serial: String::new(), ..code("") };
        assert!(
            gtin.covers("08936120100110", Some("L1"), None) && !gtin.covers("08936120100127", None, None)
        );
    }

    #[test]
    fn anything_not_signed_by_the_pinned_key_is_refused() {
        let (s, stranger) = (Signer::new(), Signer::new());
        let key = s.key();
        let good = s.sign(&body(None, 3, vec![note("R1", &["A"])], &[]));
        assert!(apply(None, &good, &key).is_ok());

        // A lot slipped out of (or into) the body after signing.
        let mut tampered = good.clone();
        tampered.body["recalls"][0]["lots"] = serde_json::json!([]);
        assert_eq!(apply(None, &tampered, &key), Err(PackError::BadSignature));
        let mut older = good.clone();
        older.body["version"] = serde_json::json!(99);
        assert_eq!(verify(&older, &key), Err(PackError::BadSignature));

        // Another key, even under the trusted key's id.
        let foreign = stranger.sign(&body(None, 3, vec![], &[]));
        assert!(matches!(verify(&foreign, &key), Err(PackError::UnknownKey { .. })));
        let disguised = SignedPack { key_id: key.key_id.clone(), ..foreign };
        assert_eq!(verify(&disguised, &key), Err(PackError::BadSignature));
        let swapped = PackKey { key_id: key.key_id.clone(), public_key: stranger.key().public_key };
        assert!(matches!(verify(&good, &swapped), Err(PackError::UnknownKey { .. })));

        // Garbage is an error, never a panic.
        for sig in ["", "zz", "abc", &"00".repeat(64)] {
            let bad = SignedPack { signature: sig.into(), ..good.clone() };
            assert_eq!(verify(&bad, &key), Err(PackError::BadSignature), "{sig:?}");
        }
        let mut future = body(None, 3, vec![], &[]);
        future.format = 2;
        assert_eq!(verify(&s.sign(&future), &key), Err(PackError::Format(2)));
    }
}
