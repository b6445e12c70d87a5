pub mod code;
pub mod decode;
pub mod gs1;
pub mod journal;
pub mod lookup;
pub mod provinces;
pub mod recall;
pub mod sync;
