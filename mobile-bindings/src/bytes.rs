//! Frames from the app without copies: [`Bytes`], a byte array taken over
//! from Kotlin or Swift, and [`with_native`], a camera plane read where the
//! app holds it.
//!
//! uniffi 0.32 lifts a `Vec<u8>` argument one byte at a time (a length check
//! and a push per byte): for a 1280×720 camera frame that loop cost more than
//! the decode itself. `Bytes` has the same wire form and the same foreign type
//! (`ByteArray` in Kotlin, `Data` in Swift), but keeps the buffer the foreign
//! side filled: the frame is read in place, after its 4-byte length.
//!
//! Even so, handing a frame over as a byte array costs a copy into a buffer
//! uniffi allocates and zeroes (about 0.1 ms for 1280×720 on the bench
//! machine). CameraX and AVFoundation already hold the Y plane in native
//! memory, so `Scanner.decodeFrameAt` reads it there through [`with_native`].
//!
//! This is the crate's only `unsafe`, twice:
//! - uniffi's conversion traits are unsafe to implement because the generated
//!   foreign code relies on the wire form. The wire form here is exactly
//!   `Vec<u8>`'s (an `i32` big-endian length, then the bytes, in a
//!   `RustBuffer`), and the type id is `Vec<u8>`'s, so the generators emit the
//!   same foreign code for both.
//! - [`with_native`] trusts the app's address and length, as every JNI
//!   decoder trusts `GetDirectBufferAddress`: the wrappers that call it (the
//!   Android app's `ScanFlow.onFrame(ByteBuffer)`, the iOS `LumaPlane`) take
//!   them from the platform's own buffer objects, never from arithmetic.
#![allow(unsafe_code)]

use std::ops::Deref;

use uniffi::deps::anyhow::{Result, bail};
use uniffi::{Lift, MetadataBuffer, RustBuffer, TypeId};

use crate::UniFfiTag;

/// Bytes handed over by the app (a camera plane, an image file).
pub struct Bytes {
    /// The whole buffer as the foreign side wrote it: length prefix, then data.
    buf: Vec<u8>,
}

const PREFIX: usize = 4;

impl Bytes {
    /// Check a buffer in uniffi's wire form (length prefix, then exactly that
    /// many bytes) and keep it.
    fn from_wire(buf: Vec<u8>) -> Result<Bytes> {
        let Some((len, data)) = buf.split_first_chunk::<PREFIX>() else {
            bail!("byte array without its length ({} bytes)", buf.len());
        };
        let Ok(len) = usize::try_from(i32::from_be_bytes(*len)) else {
            bail!("byte array with a negative length");
        };
        if data.len() != len {
            bail!("byte array of {len} bytes carries {}", data.len());
        }
        Ok(Bytes { buf })
    }
}

impl std::fmt::Debug for Bytes {
    /// The length only: a camera frame is a megabyte.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bytes({} bytes)", self.len())
    }
}

impl Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.buf[PREFIX..]
    }
}

// SAFETY: same `FfiType` and wire form as uniffi's own `Vec<u8>` (see the
// module comment); reading never trusts the foreign length beyond the buffer.
unsafe impl Lift<UniFfiTag> for Bytes {
    type FfiType = RustBuffer;

    fn try_lift(v: RustBuffer) -> Result<Bytes> {
        Bytes::from_wire(v.destroy_into_vec())
    }

    /// Inside a record or a list (not used by the API today): one copy.
    fn try_read(buf: &mut &[u8]) -> Result<Bytes> {
        let Some((len, rest)) = buf.split_first_chunk::<PREFIX>() else {
            bail!("byte array without its length");
        };
        let Ok(len) = usize::try_from(i32::from_be_bytes(*len)) else {
            bail!("byte array with a negative length");
        };
        if rest.len() < len {
            bail!("byte array of {len} bytes carries {}", rest.len());
        }
        let (wire, tail) = buf.split_at(PREFIX + len);
        *buf = tail;
        Ok(Bytes { buf: wire.to_vec() })
    }
}

impl TypeId<UniFfiTag> for Bytes {
    const TYPE_ID_META: MetadataBuffer = <Vec<u8> as TypeId<UniFfiTag>>::TYPE_ID_META;
}

/// Why native memory cannot be lent.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NativeMemoryError {
    /// Null, or beyond what a pointer holds on this phone (32-bit ARM).
    #[error("địa chỉ khung hình không hợp lệ / the frame's address {0:#x} is not valid")]
    BadAddress(u64),
    #[error("khung hình {0} byte quá lớn / a frame of {0} bytes is too large")]
    TooLarge(u64),
}

/// Lend `length` bytes of the app's native memory at `address` to `read`.
///
/// The app's promise (written on `Scanner.decodeFrameAt`): the bytes are
/// readable and do not change until the call returns. CameraX keeps an
/// `ImageProxy`'s planes until `close()`, AVFoundation a locked pixel
/// buffer's base address until it is unlocked; the call returns before both.
pub fn with_native<R>(
    address: u64,
    length: u64,
    read: impl FnOnce(&[u8]) -> R,
) -> Result<R, NativeMemoryError> {
    let ptr =
        usize::try_from(address).ok().filter(|&a| a != 0).ok_or(NativeMemoryError::BadAddress(address))?
            as *const u8;
    let len = usize::try_from(length)
        .ok()
        .filter(|&n| isize::try_from(n).is_ok())
        .ok_or(NativeMemoryError::TooLarge(length))?;
    // SAFETY: non-null (checked above), `u8` needs no alignment, the length fits `isize`; the
    // app promises `len` readable bytes unchanged for the call, and the slice
    // does not outlive `read`.
    let data = unsafe { std::slice::from_raw_parts(ptr, len) };
    Ok(read(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire(data: &[u8]) -> Vec<u8> {
        let mut v = (data.len() as i32).to_be_bytes().to_vec();
        v.extend_from_slice(data);
        v
    }

    #[test]
    fn lifts_what_vec_u8_lowers() {
        let frame: Vec<u8> = (0..=255).cycle().take(1000).collect();
        let buf = <Vec<u8> as uniffi::Lower<UniFfiTag>>::lower(frame.clone());
        let bytes = <Bytes as Lift<UniFfiTag>>::try_lift(buf).unwrap();
        assert_eq!(&*bytes, &frame[..]);

        let empty = <Bytes as Lift<UniFfiTag>>::try_lift(RustBuffer::new()).unwrap_err();
        assert!(empty.to_string().contains("without its length"), "{empty}");
    }

    #[test]
    fn refuses_lengths_that_disagree() {
        let mut long = wire(b"abc");
        long.push(0);
        let err = Bytes::from_wire(long).unwrap_err().to_string();
        assert_eq!(err, "byte array of 3 bytes carries 4");
        let short = wire(b"abc")[..6].to_vec();
        assert!(Bytes::from_wire(short).is_err());
        let negative = (-1i32).to_be_bytes().to_vec();
        assert!(Bytes::from_wire(negative).is_err());
    }

    #[test]
    fn lends_native_memory_for_one_call() {
        let frame = [7u8; 64];
        let address = frame.as_ptr() as u64;
        let sum = with_native(address, 64, |data| data.iter().map(|&b| u32::from(b)).sum::<u32>());
        assert_eq!(sum, Ok(7 * 64));
        assert_eq!(with_native(0, 64, |d| d.len()), Err(NativeMemoryError::BadAddress(0)));
        assert_eq!(with_native(address, u64::MAX, |d| d.len()), Err(NativeMemoryError::TooLarge(u64::MAX)));
    }

    #[test]
    fn reads_in_a_sequence() {
        let mut both = wire(b"ab");
        both.extend(wire(b"cde"));
        let mut rest = both.as_slice();
        let first = <Bytes as Lift<UniFfiTag>>::try_read(&mut rest).unwrap();
        let second = <Bytes as Lift<UniFfiTag>>::try_read(&mut rest).unwrap();
        assert_eq!((&*first, &*second, rest.len()), (&b"ab"[..], &b"cde"[..], 0));
        let mut cut = &wire(b"abc")[..5];
        assert!(<Bytes as Lift<UniFfiTag>>::try_read(&mut cut).is_err());
    }
}
