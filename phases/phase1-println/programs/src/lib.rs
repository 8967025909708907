//! Empty on purpose: `cargo build --lib` here builds std for the target and
//! nothing else (the runner's "building std" step).
