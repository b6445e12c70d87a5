//! The binding generator, built from the same uniffi version as the library
//! so that generated code and library always match:
//! `cargo run -p truyxuat-mobile --bin uniffi-bindgen -- generate --library
//! target/release/libtruyxuat_mobile.so --language kotlin --out-dir OUT --no-format`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
