pub mod decode;
pub mod gs1;
pub mod journal;
pub mod recall;
pub mod sync;
