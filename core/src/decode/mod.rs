//! Barcode decoding: images and raw camera luma planes in, symbols out.
//!
//! Whatever rxing does internally, a [`Symbol`] follows one convention: GS1
//! separators are byte 0x1D, the text never repeats the symbology identifier,
//! GS1 DataBar is reported as AI data (`01…`), UPC-A as 12 digits, and the
//! GS1 parse is attached when the content is GS1 data or a Digital Link URI.
//!
//! Invariant: this module does no I/O and knows nothing of storage or
//! networks; callers hand it bytes or a luma plane.

mod ean;
mod frame;
mod reader;

use serde::Serialize;

pub use frame::{Crop, LumaFrame, Rotation};

use crate::gs1;

/// How much effort to spend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// One camera frame, within a budget fit for 30 frames/s: EAN/UPC along
    /// rows and columns, the 2D readers at their quick setting, the other
    /// linear readers on 64 rows and columns.
    Fast,
    /// A still photo: more rows, and further passes (2D trying harder, global
    /// threshold, inverted, EAN/UPC along the diagonals, half size).
    Thorough,
}

impl std::str::FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "fast" => Ok(Mode::Fast),
            "thorough" => Ok(Mode::Thorough),
            other => Err(format!("unknown mode {other:?} (expected fast or thorough)")),
        }
    }
}

/// Symbologies the decoder reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Format {
    #[serde(rename = "EAN-13")]
    Ean13,
    #[serde(rename = "EAN-8")]
    Ean8,
    #[serde(rename = "UPC-A")]
    UpcA,
    #[serde(rename = "UPC-E")]
    UpcE,
    #[serde(rename = "Code 128")]
    Code128,
    #[serde(rename = "ITF")]
    Itf,
    #[serde(rename = "DataBar")]
    DataBar,
    #[serde(rename = "DataBar Expanded")]
    DataBarExpanded,
    #[serde(rename = "QR Code")]
    QrCode,
    #[serde(rename = "Data Matrix")]
    DataMatrix,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Ean13 => "EAN-13",
            Format::Ean8 => "EAN-8",
            Format::UpcA => "UPC-A",
            Format::UpcE => "UPC-E",
            Format::Code128 => "Code 128",
            Format::Itf => "ITF",
            Format::DataBar => "DataBar",
            Format::DataBarExpanded => "DataBar Expanded",
            Format::QrCode => "QR Code",
            Format::DataMatrix => "Data Matrix",
        }
    }

    /// Linear (1D) symbologies.
    pub fn is_linear(self) -> bool {
        !matches!(self, Format::QrCode | Format::DataMatrix)
    }
}

/// A point in the input's pixel coordinates (after crop and rotation).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

/// One decoded symbol.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Symbol {
    pub format: Format,
    /// Decoded text; GS1 separators as 0x1D; no symbology identifier.
    pub text: String,
    /// The symbol's raw codewords where the symbology has them.
    #[serde(skip)]
    pub raw: Vec<u8>,
    /// ISO/IEC 15424 symbology identifier, e.g. `]C1`, `]d2`, `]Q3`, `]E0`.
    pub symbology_id: String,
    /// The symbology says the content is GS1 AI data.
    pub is_gs1: bool,
    /// Corner or end points of the symbol as the reader found them.
    pub points: Vec<Point>,
    /// GS1 parse of AI data or of a Digital Link URI; `None` otherwise.
    pub gs1: Option<Gs1Parse>,
}

/// What the GS1 engine made of a symbol's content.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Gs1Parse {
    pub valid: bool,
    pub error: Option<String>,
    pub element_string: Option<String>,
    pub ais: Vec<gs1::Element>,
    pub dl_uri: Option<String>,
    pub gtin: Option<String>,
}

impl Gs1Parse {
    fn of(symbology_id: &str, text: &str) -> Option<Gs1Parse> {
        let opts = gs1::Options::default();
        match gs1::parse_scan(&format!("{symbology_id}{text}"), &opts) {
            Ok(msg) if msg.is_ai_data() => Some(Gs1Parse {
                valid: true,
                error: None,
                element_string: msg.element_string(),
                dl_uri: msg.digital_link(gs1::DL_STEM).ok(),
                gtin: msg.gtin14(),
                ais: msg.elements,
            }),
            Ok(_) => None,
            // GS1 symbology or a URL that looked like Digital Link but is not valid.
            Err(e) if reader::is_gs1_symbology(symbology_id) || gs1::parse_data(text, &opts).is_err() => {
                Some(Gs1Parse {
                    valid: false,
                    error: Some(e.to_string()),
                    element_string: None,
                    ais: Vec::new(),
                    dl_uri: None,
                    gtin: None,
                })
            }
            Err(_) => None,
        }
    }
}

/// Why an input could not be decoded at all (finding no symbol is not an error).
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("the file is empty")]
    Empty,
    #[error("image format not recognised or not supported")]
    UnknownFormat,
    #[error("image is too large ({width}×{height}; at most {max}×{max} pixels)")]
    TooLarge { width: u32, height: u32, max: u32 },
    #[error("image could not be decoded: {0}")]
    Image(String),
    #[error("invalid frame: {0}")]
    Frame(String),
}

/// Largest image side accepted, in pixels (decompression-bomb guard).
pub const MAX_SIDE: u32 = 8192;

/// Decode every symbol in an encoded image (PNG, JPEG, WebP).
pub fn decode_image(bytes: &[u8], mode: Mode) -> Result<Vec<Symbol>, DecodeError> {
    let luma = frame::load_luma(bytes)?;
    Ok(reader::decode(&luma, mode))
}

/// Decode every symbol in a raw 8-bit luma plane (a camera's Y plane).
pub fn decode_frame(frame: &LumaFrame<'_>, mode: Mode) -> Result<Vec<Symbol>, DecodeError> {
    let luma = frame.to_luma()?;
    Ok(reader::decode(&luma, mode))
}

/// A camera stream: every frame in fast mode, except that after
/// [`Stream::ESCALATE_AFTER`] frames in a row without a symbol one frame is
/// read in thorough mode (light-on-dark codes, a linear symbol at an angle,
/// 2D symbols that need the harder passes). Shared between threads.
#[derive(Debug, Default)]
pub struct Stream {
    misses: std::sync::atomic::AtomicU32,
}

impl Stream {
    /// Fast frames without a symbol before a thorough one: about half a
    /// second of a 30 frames/s camera.
    pub const ESCALATE_AFTER: u32 = 15;

    /// The mode the next frame will be read in.
    pub fn next_mode(&self) -> Mode {
        if self.misses.load(std::sync::atomic::Ordering::Relaxed) >= Self::ESCALATE_AFTER {
            Mode::Thorough
        } else {
            Mode::Fast
        }
    }

    /// Decode the stream's next frame. Of frames decoded at the same time on
    /// several threads, only one takes the thorough turn; a frame that is
    /// not a valid plane is an error and leaves the count alone.
    pub fn decode_frame(&self, frame: &LumaFrame<'_>) -> Result<Vec<Symbol>, DecodeError> {
        use std::sync::atomic::Ordering::Relaxed;
        let luma = frame.to_luma()?;
        let misses = self.misses.load(Relaxed);
        let thorough = misses >= Self::ESCALATE_AFTER
            && self.misses.compare_exchange(misses, 0, Relaxed, Relaxed).is_ok();
        let found = reader::decode(&luma, if thorough { Mode::Thorough } else { Mode::Fast });
        if !found.is_empty() {
            self.misses.store(0, Relaxed);
        } else if !thorough {
            self.misses.fetch_add(1, Relaxed);
        }
        Ok(found)
    }
}

/// Decode an already loaded 8-bit luma image.
pub fn decode_luma(luma: &Luma, mode: Mode) -> Vec<Symbol> {
    reader::decode(luma, mode)
}

/// Load an encoded image into 8-bit luma (for callers that time decoding alone).
pub fn load_luma(bytes: &[u8]) -> Result<Luma, DecodeError> {
    frame::load_luma(bytes)
}

/// A contiguous 8-bit luma image.
#[derive(Clone, Debug)]
pub struct Luma {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}
