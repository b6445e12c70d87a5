//! Photos sent with complaints: the type is read from the bytes (JPEG, PNG
//! or WebP, whatever the request says), the size and dimensions are capped,
//! and a photo is kept once, named by the SHA-256 of its bytes (the name
//! phone events already use).
//!
//! Invariant: pure; the store keeps the bytes, the API decides who sees them.

use sha2::{Digest, Sha256};

/// The largest photo accepted (the phone keeps no larger one).
pub const MAX_BYTES: usize = truyxuat_core::journal::MAX_PHOTO_BYTES;
/// The longest side accepted (a phone's camera is under 8,000 px).
pub const MAX_SIDE: u32 = 10_000;
/// Photos per complaint.
pub const MAX_PER_COMPLAINT: usize = 5;

/// A checked photo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Photo {
    pub hash: String,
    pub media_type: &'static str,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("ảnh quá lớn / the photo has {0} bytes; at most {MAX_BYTES}")]
    TooLarge(usize),
    #[error("không phải ảnh JPEG, PNG hay WebP / not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error("ảnh hỏng / the image cannot be read: {0}")]
    Unreadable(String),
    #[error("ảnh {0}×{1} quá lớn / a {0}×{1} image is larger than {MAX_SIDE} px a side")]
    TooManyPixels(u32, u32),
}

/// The media type the bytes are, by their signature (the phone's check too).
pub use truyxuat_core::journal::photo_media as sniff;

/// Check a photo and name it.
pub fn check(bytes: &[u8]) -> Result<Photo, PhotoError> {
    if bytes.len() > MAX_BYTES {
        return Err(PhotoError::TooLarge(bytes.len()));
    }
    let media_type = sniff(bytes).ok_or(PhotoError::NotAnImage)?;
    let format = match media_type {
        "image/jpeg" => image::ImageFormat::Jpeg,
        "image/png" => image::ImageFormat::Png,
        _ => image::ImageFormat::WebP,
    };
    // The header only: the pixels are not decoded here.
    let (width, height) = image::ImageReader::with_format(std::io::Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|e| PhotoError::Unreadable(e.to_string()))?;
    if width > MAX_SIDE || height > MAX_SIDE || width == 0 || height == 0 {
        return Err(PhotoError::TooManyPixels(width, height));
    }
    let hash = Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
    Ok(Photo { hash, media_type, width, height })
}

/// A photo's name as events carry it: 64 lowercase hex digits.
pub fn is_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        image::GrayImage::new(w, h)
            .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn photos_are_named_by_their_bytes_and_checked_by_them() {
        let bytes = png(40, 30);
        let p = check(&bytes).unwrap();
        assert_eq!((p.media_type, p.width, p.height), ("image/png", 40, 30));
        assert!(is_hash(&p.hash));
        assert_eq!(check(&bytes).unwrap().hash, p.hash, "the same bytes, the same name");
        assert_ne!(check(&png(41, 30)).unwrap().hash, p.hash);

        assert_eq!(check(b"GIF89a......"), Err(PhotoError::NotAnImage));
        assert_eq!(check(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), Err(PhotoError::NotAnImage));
        assert!(matches!(check(&bytes[..20]), Err(PhotoError::Unreadable(_))), "a cut PNG");
        assert_eq!(check(&vec![0xFF; MAX_BYTES + 1]), Err(PhotoError::TooLarge(MAX_BYTES + 1)));
        assert!(matches!(check(&png(MAX_SIDE + 1, 1)), Err(PhotoError::TooManyPixels(..))));
    }
}
