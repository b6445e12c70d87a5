//! The generated fixture codes (`fixtures/codes/`, made by the `gen_codes`
//! example) decode to exactly what the manifest says, from files and from
//! camera-like luma frames.

mod support;

use serde_json::Value;
use truyxuat_core::decode::{self, Crop, DecodeError, Format, LumaFrame, Mode, Rotation};

fn manifest() -> Vec<Value> {
    let text = std::fs::read_to_string(support::fixtures_dir().join("codes/manifest.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn every_fixture_decodes_in_both_modes() {
    let codes = manifest();
    assert!(codes.len() >= 6);
    for code in codes {
        let file = code["file"].as_str().unwrap();
        let bytes = std::fs::read(support::fixtures_dir().join("codes").join(file)).unwrap();
        for mode in [Mode::Fast, Mode::Thorough] {
            let symbols = decode::decode_image(&bytes, mode).unwrap();
            assert_eq!(symbols.len(), 1, "{file} {mode:?}: {symbols:?}");
            assert_eq!(symbols[0].text, code["text"].as_str().unwrap(), "{file} {mode:?}");
        }
    }
}

#[test]
fn gs1_content_is_parsed() {
    let bytes = std::fs::read(support::fixtures_dir().join("codes/gs1-128-lot-expiry.png")).unwrap();
    let sym = &decode::decode_image(&bytes, Mode::Thorough).unwrap()[0];
    assert_eq!(sym.format, Format::Code128);
    assert_eq!(sym.symbology_id, "]C1");
    assert!(sym.is_gs1);
    let gs1 = sym.gs1.as_ref().unwrap();
    assert!(gs1.valid, "{:?}", gs1.error);
    assert_eq!(gs1.element_string.as_deref(), Some("(01)08934563138011(17)271231(10)CP2026-07"));
    assert_eq!(gs1.gtin.as_deref(), Some("08934563138011"));

    let bytes = std::fs::read(support::fixtures_dir().join("codes/gs1-datamatrix-serial.png")).unwrap();
    let sym = &decode::decode_image(&bytes, Mode::Fast).unwrap()[0];
    assert_eq!((sym.format, sym.symbology_id.as_str()), (Format::DataMatrix, "]d2"));
    assert_eq!(sym.gs1.as_ref().unwrap().ais.len(), 4);

    let bytes = std::fs::read(support::fixtures_dir().join("codes/dl-qr-rice-lot.png")).unwrap();
    let sym = &decode::decode_image(&bytes, Mode::Fast).unwrap()[0];
    assert!(!sym.is_gs1, "a Digital Link QR is not GS1-mode QR");
    let gs1 = sym.gs1.as_ref().unwrap();
    assert_eq!(gs1.dl_uri.as_deref(), Some("https://id.gs1.org/01/08936045210024/10/ST25-2611?17=270531"));

    let bytes = std::fs::read(support::fixtures_dir().join("codes/ean13-coffee.png")).unwrap();
    let sym = &decode::decode_image(&bytes, Mode::Fast).unwrap()[0];
    assert_eq!((sym.format, sym.symbology_id.as_str()), (Format::Ean13, "]E0"));
    assert_eq!(sym.gs1.as_ref().unwrap().gtin.as_deref(), Some("08934563138011"));
}

/// Put `img` into a larger camera-like Y plane (row padding, margins), turned
/// by `turns` quarter turns anticlockwise, so that a clockwise `rotation` undoes it.
fn camera_plane(img: &image::GrayImage, turns: u32) -> (Vec<u8>, u32, u32, u32, Crop) {
    let mut img = img.clone();
    for _ in 0..turns {
        img = image::imageops::rotate270(&img);
    }
    let (w, h) = (img.width() + 200, img.height() + 120);
    let stride = w + 32;
    let mut plane = vec![200u8; (stride * h) as usize];
    for (x, y, p) in img.enumerate_pixels() {
        plane[((y + 60) * stride + x + 100) as usize] = p.0[0];
    }
    let crop = Crop { left: 40, top: 20, width: img.width() + 120, height: img.height() + 80 };
    (plane, w, h, stride, crop)
}

#[test]
fn luma_frames_with_stride_crop_and_rotation() {
    for file in ["gs1-datamatrix-serial.png", "ean13-rice.png", "dl-qr-rice-lot.png"] {
        let img = image::open(support::fixtures_dir().join("codes").join(file)).unwrap().into_luma8();
        let want = decode::decode_image(
            &std::fs::read(support::fixtures_dir().join("codes").join(file)).unwrap(),
            Mode::Fast,
        )
        .unwrap();
        for (turns, rotation) in
            [(0, Rotation::R0), (1, Rotation::R90), (2, Rotation::R180), (3, Rotation::R270)]
        {
            let (plane, width, height, row_stride, crop) = camera_plane(&img, turns);
            let frame = LumaFrame { data: &plane, width, height, row_stride, crop: Some(crop), rotation };
            let got = decode::decode_frame(&frame, Mode::Fast).unwrap();
            assert_eq!(got.len(), 1, "{file} turned {turns}: {got:?}");
            assert_eq!(got[0].text, want[0].text, "{file} turned {turns}");
        }
    }
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    assert!(matches!(decode::decode_image(b"", Mode::Fast), Err(DecodeError::Empty)));
    assert!(matches!(decode::decode_image(&[0xff; 64], Mode::Fast), Err(DecodeError::UnknownFormat)));
    let bytes = std::fs::read(support::fixtures_dir().join("codes/ean13-coffee.png")).unwrap();
    let truncated = &bytes[..bytes.len() / 2];
    assert!(decode::decode_image(truncated, Mode::Thorough).is_err());
    let frame =
        LumaFrame { data: &[0; 16], width: 8, height: 8, row_stride: 8, crop: None, rotation: Rotation::R0 };
    assert!(matches!(decode::decode_frame(&frame, Mode::Fast), Err(DecodeError::Frame(_))));
    // A blank frame is no error: it has no symbols.
    let blank = vec![255u8; 640 * 480];
    let frame = LumaFrame {
        data: &blank,
        width: 640,
        height: 480,
        row_stride: 640,
        crop: None,
        rotation: Rotation::R0,
    };
    assert!(decode::decode_frame(&frame, Mode::Thorough).unwrap().is_empty());
}

#[test]
fn a_camera_stream_tries_a_thorough_frame_after_fast_ones_find_nothing() {
    // Light on dark: fast mode cannot read it, thorough mode can.
    let mut img =
        image::open(support::fixtures_dir().join("codes/gs1-datamatrix-serial.png")).unwrap().into_luma8();
    image::imageops::invert(&mut img);
    let (plane, width, height, row_stride, crop) = camera_plane(&img, 0);
    let frame =
        LumaFrame { data: &plane, width, height, row_stride, crop: Some(crop), rotation: Rotation::R0 };
    assert!(decode::decode_frame(&frame, Mode::Fast).unwrap().is_empty());

    let stream = decode::Stream::default();
    for n in 0..decode::Stream::ESCALATE_AFTER {
        assert_eq!(stream.next_mode(), Mode::Fast, "frame {n}");
        assert!(stream.decode_frame(&frame).unwrap().is_empty(), "frame {n}");
    }
    assert_eq!(stream.next_mode(), Mode::Thorough);
    let found = stream.decode_frame(&frame).unwrap();
    assert_eq!(found[0].text, "010893871200450917280630\u{1d}10NM-2611\u{1d}21PQ000127");
    // A read starts the count again.
    assert_eq!(stream.next_mode(), Mode::Fast);
    // A bad frame is an error and leaves the count alone.
    let bad = LumaFrame { data: &plane[..10], ..frame };
    assert!(stream.decode_frame(&bad).is_err());
    assert_eq!(stream.next_mode(), Mode::Fast);
}
