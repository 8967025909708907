//! Judging a test: its manifest entry, the Linux oracle's run, the
//! comparison of endings and output, and the report.

pub mod check;
pub mod conformance;
pub mod linux;
pub mod manifest;
pub mod normalize;
pub mod report;
pub mod status;
