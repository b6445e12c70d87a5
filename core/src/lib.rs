pub mod decode;
pub mod gs1;
