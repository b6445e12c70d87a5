//! Getting pixels into one shape: a contiguous 8-bit luma image.

use std::io::Cursor;

use super::{DecodeError, Luma, MAX_SIDE};

/// Clockwise rotation to apply to a frame before decoding (the sensor's
/// orientation relative to the screen).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Rotation {
    #[default]
    R0,
    R90,
    R180,
    R270,
}

impl Rotation {
    /// From degrees (0, 90, 180, 270; negative or ≥ 360 are normalised).
    pub fn from_degrees(deg: i32) -> Result<Rotation, DecodeError> {
        match deg.rem_euclid(360) {
            0 => Ok(Rotation::R0),
            90 => Ok(Rotation::R90),
            180 => Ok(Rotation::R180),
            270 => Ok(Rotation::R270),
            _ => Err(DecodeError::Frame(format!("rotation must be a multiple of 90°, got {deg}"))),
        }
    }
}

/// A rectangle within the frame, in the frame's own (unrotated) pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Crop {
    pub left: u32,
    pub top: u32,
    pub width: u32,
    pub height: u32,
}

/// A borrowed 8-bit luma plane, as Android's CameraX Y plane or iOS's
/// biplanar Y plane hands it over.
#[derive(Clone, Copy, Debug)]
pub struct LumaFrame<'a> {
    pub data: &'a [u8],
    pub width: u32,
    pub height: u32,
    /// Bytes from one row to the next (≥ width).
    pub row_stride: u32,
    pub crop: Option<Crop>,
    pub rotation: Rotation,
}

impl LumaFrame<'_> {
    /// Copy the cropped, rotated region into a contiguous image.
    pub(crate) fn to_luma(self) -> Result<Luma, DecodeError> {
        let bad = |m: String| Err(DecodeError::Frame(m));
        if self.width == 0 || self.height == 0 {
            return bad(format!("empty frame {}×{}", self.width, self.height));
        }
        if self.width > MAX_SIDE || self.height > MAX_SIDE {
            return Err(DecodeError::TooLarge { width: self.width, height: self.height, max: MAX_SIDE });
        }
        if self.row_stride < self.width {
            return bad(format!("row stride {} is less than width {}", self.row_stride, self.width));
        }
        let needed = self.row_stride as usize * (self.height as usize - 1) + self.width as usize;
        if self.data.len() < needed {
            return bad(format!("{} bytes given, {needed} needed for the frame", self.data.len()));
        }
        let c = self.crop.unwrap_or(Crop { left: 0, top: 0, width: self.width, height: self.height });
        let fits = c.width > 0
            && c.height > 0
            && c.left.checked_add(c.width).is_some_and(|r| r <= self.width)
            && c.top.checked_add(c.height).is_some_and(|b| b <= self.height);
        if !fits {
            return bad(format!(
                "crop {}×{} at ({}, {}) is outside the {}×{} frame",
                c.width, c.height, c.left, c.top, self.width, self.height
            ));
        }
        let (w, h) = (c.width as usize, c.height as usize);
        let stride = self.row_stride as usize;
        let at = |x: usize, y: usize| self.data[(c.top as usize + y) * stride + c.left as usize + x];
        let mut pixels = Vec::with_capacity(w * h);
        let (out_w, out_h) = match self.rotation {
            Rotation::R0 => {
                for y in 0..h {
                    let start = (c.top as usize + y) * stride + c.left as usize;
                    pixels.extend_from_slice(&self.data[start..start + w]);
                }
                (w, h)
            }
            Rotation::R180 => {
                for y in (0..h).rev() {
                    pixels.extend((0..w).rev().map(|x| at(x, y)));
                }
                (w, h)
            }
            // Clockwise 90°: output row r is input column r, read bottom-up.
            Rotation::R90 => {
                for x in 0..w {
                    pixels.extend((0..h).rev().map(|y| at(x, y)));
                }
                (h, w)
            }
            Rotation::R270 => {
                for x in (0..w).rev() {
                    pixels.extend((0..h).map(|y| at(x, y)));
                }
                (h, w)
            }
        };
        Ok(Luma { width: out_w as u32, height: out_h as u32, pixels })
    }
}

/// Decode an encoded image into luma, refusing oversized images before
/// their pixels are allocated.
pub(crate) fn load_luma(bytes: &[u8]) -> Result<Luma, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| DecodeError::Image(e.to_string()))?;
    if reader.format().is_none() {
        return Err(DecodeError::UnknownFormat);
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits.clone());
    let (width, height) = reader.into_dimensions().map_err(|e| DecodeError::Image(e.to_string()))?;
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(DecodeError::TooLarge { width, height, max: MAX_SIDE });
    }
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| DecodeError::Image(e.to_string()))?;
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => DecodeError::TooLarge { width, height, max: MAX_SIDE },
        other => DecodeError::Image(other.to_string()),
    })?;
    let luma = img.into_luma8();
    let (width, height) = luma.dimensions();
    Ok(Luma { width, height, pixels: luma.into_raw() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(data: &[u8], w: u32, h: u32, stride: u32, rotation: Rotation, crop: Option<Crop>) -> Luma {
        LumaFrame { data, width: w, height: h, row_stride: stride, crop, rotation }.to_luma().unwrap()
    }

    #[test]
    fn rotations_and_crop() {
        // 3×2 image with a stride of 4 (one padding byte per row).
        let data = [1, 2, 3, 0, 4, 5, 6, 0];
        assert_eq!(frame(&data, 3, 2, 4, Rotation::R0, None).pixels, [1, 2, 3, 4, 5, 6]);
        assert_eq!(frame(&data, 3, 2, 4, Rotation::R180, None).pixels, [6, 5, 4, 3, 2, 1]);
        let r90 = frame(&data, 3, 2, 4, Rotation::R90, None);
        assert_eq!((r90.width, r90.height, r90.pixels), (2, 3, vec![4, 1, 5, 2, 6, 3]));
        let r270 = frame(&data, 3, 2, 4, Rotation::R270, None);
        assert_eq!((r270.width, r270.height, r270.pixels), (2, 3, vec![3, 6, 2, 5, 1, 4]));
        let crop = Some(Crop { left: 1, top: 1, width: 2, height: 1 });
        assert_eq!(frame(&data, 3, 2, 4, Rotation::R0, crop).pixels, [5, 6]);
    }

    #[test]
    fn bad_frames_are_errors() {
        let data = [0u8; 10];
        let f = |w, h, stride, crop| {
            LumaFrame { data: &data, width: w, height: h, row_stride: stride, crop, rotation: Rotation::R0 }
                .to_luma()
        };
        assert!(f(4, 4, 4, None).is_err(), "too few bytes");
        assert!(f(4, 2, 3, None).is_err(), "stride < width");
        assert!(f(0, 2, 4, None).is_err(), "empty");
        assert!(f(2, 2, 2, Some(Crop { left: 1, top: 0, width: 2, height: 1 })).is_err(), "crop outside");
        assert!(f(2, 2, 2, Some(Crop { left: u32::MAX, top: 0, width: 2, height: 1 })).is_err(), "overflow");
    }

    #[test]
    fn bad_images_are_errors() {
        assert!(matches!(load_luma(b""), Err(DecodeError::Empty)));
        assert!(matches!(load_luma(b"not an image"), Err(DecodeError::UnknownFormat)));
        // A PNG header claiming 100000×100000 pixels: refused before allocation.
        let mut png =
            vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R'];
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&[8, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert!(load_luma(&png).is_err());
    }
}
