//! Nothing but a home for `tests/skeptic.rs`: the workbook's host code
//! blocks, turned into tests by `build.rs` with skeptic.
