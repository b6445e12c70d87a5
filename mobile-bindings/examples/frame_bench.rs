//! The Rust side of the FFI-overhead figure: builds a 1280×720 luma frame
//! holding the story lot's QR code (the same frame the Kotlin side then
//! decodes through the bindings), writes it as raw bytes, and times
//! `decode_frame` called directly.
//!
//! `cargo run --release -p truyxuat-mobile --example frame_bench -- OUT.y [ROUNDS]`
//! (run by `mobile-bindings/bench-ffi.sh`).

use std::time::Instant;

use truyxuat_core::decode::{self, Crop, LumaFrame, Mode, Rotation};

const WIDTH: u32 = 1280;
const HEIGHT: u32 = 720;

fn main() {
    let mut args = std::env::args().skip(1);
    let out = args.next().expect("usage: frame_bench OUT.y [ROUNDS]");
    let rounds: usize = args.next().map_or(200, |r| r.parse().expect("ROUNDS is a number"));
    let png =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/codes/stories/08936120900017-HP07-261126-qr.png");
    let code = decode::load_luma(&std::fs::read(png).expect("fixture")).expect("png");
    // A grey, slightly textured background, the code in the middle.
    let mut frame: Vec<u8> =
        (0..WIDTH * HEIGHT).map(|i| 170 + ((i % WIDTH + i / WIDTH) % 7) as u8 * 3).collect();
    let (left, top) = ((WIDTH - code.width) / 2, (HEIGHT - code.height) / 2);
    for y in 0..code.height {
        let src = &code.pixels[(y * code.width) as usize..((y + 1) * code.width) as usize];
        let at = ((top + y) * WIDTH + left) as usize;
        frame[at..at + code.width as usize].copy_from_slice(src);
    }
    std::fs::write(&out, &frame).expect("write frame");
    let view = LumaFrame {
        data: &frame,
        width: WIDTH,
        height: HEIGHT,
        row_stride: WIDTH,
        crop: None,
        rotation: Rotation::R0,
    };
    let found = decode::decode_frame(&view, Mode::Fast).expect("frame");
    assert_eq!(found.len(), 1, "the bench frame must hold one code");
    time("rust_direct", &view, rounds);
    // The blank corner: next to no decoding (the Kotlin side does the same).
    let corner = LumaFrame { crop: Some(Crop { left: 0, top: 0, width: 16, height: 16 }), ..view };
    time("rust_direct_corner", &corner, rounds);
}

/// Median and mean of `rounds` decodes after 20 warm-up calls.
fn time(name: &str, view: &LumaFrame<'_>, rounds: usize) {
    for _ in 0..20 {
        decode::decode_frame(view, Mode::Fast).expect("frame");
    }
    let mut times: Vec<u128> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            decode::decode_frame(view, Mode::Fast).expect("frame");
            t.elapsed().as_nanos()
        })
        .collect();
    times.sort_unstable();
    let mean = times.iter().sum::<u128>() / rounds as u128;
    println!("{name} median_us={} mean_us={} rounds={rounds}", times[rounds / 2] / 1000, mean / 1000);
}
