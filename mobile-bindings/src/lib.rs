//! The truyxuat core as the Android and iOS apps see it (uniffi).
//!
//! Invariant: no logic here. Each method turns its arguments into core types,
//! calls the core once, and converts the answer; a missing feature goes into
//! the core first. Errors become [`TruyxuatError`] in `error.rs` only.

mod bytes;
mod error;
mod types;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use truyxuat_core::decode::{self, LumaFrame, Rotation};
use truyxuat_core::journal::{self as core_journal, EventBody};
use truyxuat_core::sync::{self, Client, HttpTransport, meta_keys};
use truyxuat_core::{code, provinces, recall};

pub use bytes::Bytes;
pub use error::{Result, TruyxuatError};
pub use types::*;

uniffi::setup_scaffolding!();

/// A poisoned lock only means another call panicked; the journal itself is
/// transactional, so carry on with it.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Both frame entries: the plane as a core frame, decoded (`Stream` through
/// the scanner's stream).
#[allow(clippy::too_many_arguments)]
fn decode_luma(
    stream: &decode::Stream,
    data: &[u8],
    width: u32,
    height: u32,
    row_stride: u32,
    rotation: i32,
    crop: Option<Crop>,
    mode: DecodeMode,
) -> Result<Vec<Symbol>> {
    let frame = LumaFrame {
        data,
        width,
        height,
        row_stride,
        crop: crop.map(Into::into),
        rotation: Rotation::from_degrees(rotation)?,
    };
    let symbols = match mode {
        DecodeMode::Stream => stream.decode_frame(&frame)?,
        mode => decode::decode_frame(&frame, mode.into())?,
    };
    Ok(symbols.into_iter().map(Into::into).collect())
}

/// Barcode and QR decoding. Thread-safe: call it from the camera's analysis
/// thread for every frame. Its only state is the count of `Stream` frames
/// without a symbol.
#[derive(uniffi::Object, Default)]
pub struct Scanner {
    stream: decode::Stream,
}

#[uniffi::export]
impl Scanner {
    #[uniffi::constructor]
    pub fn new() -> Arc<Scanner> {
        Arc::new(Scanner::default())
    }

    /// Decode a camera frame's 8-bit luma (Y) plane. `rotation` is clockwise
    /// degrees (0, 90, 180, 270); `crop` is in the unrotated frame.
    #[allow(clippy::too_many_arguments)]
    pub fn decode_frame(
        &self,
        luma: Bytes,
        width: u32,
        height: u32,
        row_stride: u32,
        rotation: i32,
        crop: Option<Crop>,
        mode: DecodeMode,
    ) -> Result<Vec<Symbol>> {
        decode_luma(&self.stream, &luma, width, height, row_stride, rotation, crop, mode)
    }

    /// [`Scanner::decode_frame`] on a plane the app holds in native memory,
    /// read in place: `address` and `length` of CameraX's direct `ByteBuffer`
    /// (the Android app's `ScanFlow.onFrame(ByteBuffer)` takes them from it)
    /// or of a locked `CVPixelBuffer` plane. The caller promises the bytes
    /// stay readable and unchanged until this returns; a null address or an
    /// impossible length is an `InvalidInput`, a frame larger than `length`
    /// too.
    #[allow(clippy::too_many_arguments)]
    pub fn decode_frame_at(
        &self,
        address: u64,
        length: u64,
        width: u32,
        height: u32,
        row_stride: u32,
        rotation: i32,
        crop: Option<Crop>,
        mode: DecodeMode,
    ) -> Result<Vec<Symbol>> {
        bytes::with_native(address, length, |luma| {
            decode_luma(&self.stream, luma, width, height, row_stride, rotation, crop, mode)
        })?
    }

    /// Decode an encoded image (PNG, JPEG, WebP), e.g. a photo from the gallery.
    pub fn decode_image(&self, bytes: Bytes, mode: DecodeMode) -> Result<Vec<Symbol>> {
        Ok(decode::decode_image(&bytes, mode.into())?.into_iter().map(Into::into).collect())
    }
}

/// What a code is: GS1 element string, Digital Link, GTIN, or plain text,
/// with the validation verdict.
#[uniffi::export]
pub fn parse_code(text: String) -> ParsedCode {
    code::parse_code_detail(&text).into()
}

/// Viet Nam's 34 provinces (since 1 July 2025), for forms.
#[uniffi::export]
pub fn provinces() -> Vec<Province> {
    provinces::PROVINCES
        .iter()
        .map(|(c, vi, en)| Province { code: (*c).into(), name_vi: (*vi).into(), name_en: (*en).into() })
        .collect()
}

/// The complaint categories the server accepts.
#[uniffi::export]
pub fn complaint_categories() -> Vec<String> {
    core_journal::COMPLAINT_CATEGORIES.iter().map(|c| (*c).to_owned()).collect()
}

/// The phone's journal: every scan and event, kept on the phone until the
/// server has it, in a hash chain that shows any later change.
#[derive(uniffi::Object)]
pub struct Journal {
    path: PathBuf,
    inner: Mutex<core_journal::Journal>,
}

impl Journal {
    fn record(&self, body: EventBody) -> Result<core_journal::EventRecord> {
        Ok(lock(&self.inner).record(&body)?)
    }
}

#[uniffi::export]
impl Journal {
    /// Open (creating if needed) the journal file at `path`.
    #[uniffi::constructor]
    pub fn open(path: String) -> Result<Arc<Journal>> {
        let inner = core_journal::Journal::open(path.as_ref())?;
        Ok(Arc::new(Journal { path: path.into(), inner: Mutex::new(inner) }))
    }

    pub fn device_id(&self) -> String {
        lock(&self.inner).device_id().to_owned()
    }

    /// Record a scan (`symbology_id` as the decoder gave it, e.g. `]Q1`).
    pub fn record_scan(
        &self,
        text: String,
        symbology_id: Option<String>,
        location: Option<GeoPoint>,
        answer_shown: Option<String>,
    ) -> Result<Recorded> {
        Ok(self.record(EventBody::scan(text, symbology_id, location.map(Into::into), answer_shown))?.into())
    }

    pub fn record_harvest(&self, form: HarvestForm) -> Result<Recorded> {
        Ok(self.record(form.into())?.into())
    }

    pub fn record_farm_diary(&self, form: FarmDiaryForm) -> Result<Recorded> {
        Ok(self.record(form.into())?.into())
    }

    pub fn record_inspection(&self, form: InspectionForm) -> Result<Recorded> {
        Ok(self.record(form.into())?.into())
    }

    /// File a complaint; it reaches the server with the next sync.
    pub fn record_complaint(&self, form: ComplaintForm) -> Result<ComplaintReceipt> {
        Ok(self.record(form.into())?.into())
    }

    /// Events after `after_seq` (0 for the first page), oldest first.
    pub fn list(&self, after_seq: i64, limit: u32) -> Result<Vec<JournalEntry>> {
        Ok(lock(&self.inner).list(after_seq, limit)?.into_iter().map(Into::into).collect())
    }

    /// Events before `before_seq` (`None` for the newest), newest first.
    pub fn list_recent(&self, before_seq: Option<i64>, limit: u32) -> Result<Vec<JournalEntry>> {
        Ok(lock(&self.inner).list_recent(before_seq, limit)?.into_iter().map(Into::into).collect())
    }

    /// Keep a photo (JPEG, PNG, WebP) for an event until the next sync sends
    /// it; returns its name for the form's `photos`.
    pub fn add_photo(&self, bytes: Bytes) -> Result<String> {
        Ok(lock(&self.inner).add_photo(&bytes)?)
    }

    pub fn counts(&self) -> Result<Counts> {
        Ok(lock(&self.inner).counts()?.into())
    }

    /// Check the hash chain: any edit, removal or reordering shows.
    pub fn verify(&self) -> Result<VerifyReport> {
        Ok(lock(&self.inner).verify()?.into())
    }

    /// This phone's past scans of lots recalled since (from the last sync).
    pub fn recalled_scans(&self) -> Result<Vec<RecalledScan>> {
        Ok(recall::recalled_scans(&lock(&self.inner))?.into_iter().map(Into::into).collect())
    }

    /// When the last sync finished (RFC 3339), if ever.
    pub fn last_sync(&self) -> Result<Option<String>> {
        Ok(lock(&self.inner).meta(meta_keys::LAST_SYNC)?)
    }
}

/// The link to the server. It has its own connection to the journal file,
/// so recording goes on while a sync runs.
#[derive(uniffi::Object)]
pub struct Session {
    journal: Mutex<core_journal::Journal>,
    client: Client<HttpTransport>,
}

#[uniffi::export]
impl Session {
    /// `server_url` like `https://truyxuat.example.vn`.
    #[uniffi::constructor]
    pub fn new(journal: Arc<Journal>, server_url: String) -> Result<Arc<Session>> {
        let (own, client) = sync::connect(&journal.path, &server_url)?;
        Ok(Arc::new(Session { journal: Mutex::new(own), client }))
    }

    /// Sign in and register this phone for the account.
    pub fn login(&self, username: String, password: String) -> Result<SignedIn> {
        Ok(self.client.login(&mut lock(&self.journal), &username, &password)?.into())
    }

    /// Who is signed in (the token may have expired: see `expires_at`).
    pub fn signed_in(&self) -> Result<Option<SignedIn>> {
        Ok(sync::signed_in(&lock(&self.journal))?.map(Into::into))
    }

    /// A fresh token before the current one expires (`sync` does this by
    /// itself); returns the new expiry time (Unix seconds).
    pub fn refresh(&self) -> Result<i64> {
        Ok(self.client.refresh(&mut lock(&self.journal))?)
    }

    pub fn sign_out(&self) -> Result<()> {
        Ok(sync::sign_out(&mut lock(&self.journal))?)
    }

    /// Send what is pending, fetch what is new (recalls, catalog, verdicts).
    /// Safe to repeat; what is not sent now goes next time.
    pub fn sync(&self) -> Result<SyncReport> {
        Ok(self.client.sync(&mut lock(&self.journal))?.into())
    }

    /// What is known about a code: online, or offline from what the phone
    /// saved or synced (the answer says which, and how old).
    pub fn resolve(&self, code: String) -> Result<Lookup> {
        Ok(self.client.resolve(&mut lock(&self.journal), &code)?.into())
    }

    /// Bring the signed offline recall pack of `province` (none: the
    /// account's) up to date; offline answers and recalled scans use it.
    /// A pack that fails verification is refused and the kept one stays.
    pub fn update_recall_pack(&self, province: Option<String>) -> Result<RecallPackReport> {
        Ok(self.client.update_recall_pack(&mut lock(&self.journal), province.as_deref())?.into())
    }
}
