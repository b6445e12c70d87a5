//! Decoding benchmark driver used by `scripts/bench-decode.sh`.
//!
//!     decode_bench [--mode fast|thorough] [--repeat N] (--stdin | PATH...)
//!         one JSON line per image: {"file", "ms", "results": [{"format", "text"}]}
//!         (ms = fastest of N decodes of the already loaded luma image)
//!     decode_bench --frame-bench FILE [--frames N]
//!         fast-mode cost of one camera frame: {"file", "width", "height",
//!         "ms_per_frame", "frames", "symbols"}

use std::io::BufRead;
use std::time::Instant;

use serde_json::json;
use truyxuat_core::decode::{self, Crop, LumaFrame, Mode, Rotation};

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut mode, mut repeat, mut frames, mut paths, mut frame_file) =
        (Mode::Thorough, 1, 200, Vec::new(), None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--mode" => mode = args.next().and_then(|m| m.parse().ok()).expect("--mode fast|thorough"),
            "--repeat" => repeat = args.next().and_then(|n| n.parse().ok()).expect("--repeat N"),
            "--frames" => frames = args.next().and_then(|n| n.parse().ok()).expect("--frames N"),
            "--frame-bench" => frame_file = args.next(),
            "--stdin" => {
                paths.extend(std::io::stdin().lock().lines().map_while(Result::ok).filter(|l| !l.is_empty()))
            }
            _ => paths.push(a),
        }
    }
    if let Some(file) = frame_file {
        return frame_bench(&file, frames);
    }
    for path in paths {
        let luma = match std::fs::read(&path)
            .map_err(|e| e.to_string())
            .and_then(|b| decode::load_luma(&b).map_err(|e| e.to_string()))
        {
            Ok(l) => l,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let mut best = f64::MAX;
        let mut symbols = Vec::new();
        for _ in 0..repeat.max(1) {
            let t = Instant::now();
            symbols = decode::decode_luma(&luma, mode);
            best = best.min(t.elapsed().as_secs_f64() * 1000.0);
        }
        let results: Vec<_> =
            symbols.iter().map(|s| json!({"format": s.format.name(), "text": s.text})).collect();
        println!("{}", json!({"file": path, "ms": best, "results": results}));
    }
}

fn frame_bench(file: &str, frames: u32) {
    let bytes = std::fs::read(file).expect("read frame image");
    let luma = decode::load_luma(&bytes).expect("decode frame image");
    // Present it as a camera would: a Y plane with row padding.
    let stride = luma.width + 64;
    let mut plane = vec![0u8; (stride * luma.height) as usize];
    for y in 0..luma.height as usize {
        let row = &luma.pixels[y * luma.width as usize..][..luma.width as usize];
        plane[y * stride as usize..][..luma.width as usize].copy_from_slice(row);
    }
    let frame = LumaFrame {
        data: &plane,
        width: luma.width,
        height: luma.height,
        row_stride: stride,
        crop: Some(Crop { left: 0, top: 0, width: luma.width, height: luma.height }),
        rotation: Rotation::R0,
    };
    let mut symbols = 0;
    let t = Instant::now();
    for _ in 0..frames {
        symbols = decode::decode_frame(&frame, Mode::Fast).map(|s| s.len()).unwrap_or(0);
    }
    let ms = t.elapsed().as_secs_f64() * 1000.0 / f64::from(frames);
    println!(
        "{}",
        json!({"file": file, "width": luma.width, "height": luma.height, "ms_per_frame": ms, "frames": frames, "symbols": symbols})
    );
}
