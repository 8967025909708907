//! The header generator: vibix_libc's C headers, written from its Rust
//! sources (no `.h` file is committed).
//!
//! Each file of `phases/phase4-libc/vibix_libc/src/` names on its first
//! line the header it contributes to (`` //! `<stdio.h>`: ... ``; a file
//! naming several writes into the first, and the others include it; an
//! `(internal)` file contributes nothing). From that file the header gets:
//!
//! | Rust | C |
//! |---|---|
//! | `#[cfg_attr(not(test), unsafe(no_mangle))] pub unsafe extern "C" fn f(..)` | its prototype (`...` for `args: ...`; `__attribute__((__noreturn__))` for `-> !`) |
//! | an exported `pub static` | `extern T name;` |
//! | `pub const NAME: T = expr;` | `#define NAME value` (the expression evaluated: [`eval`]) |
//! | `pub use vibix_uapi::m::{NAME, Rust as cname};` | the ABI's constant, struct, function as if written here |
//! | `#[repr(C)] pub struct` / `union` | `struct name { ... };` in `<bits/alltypes.h>` |
//! | `pub type name = T;` | `typedef T name;` in `<bits/alltypes.h>` |
//! | a ```` ```c ```` block of the module doc | copied verbatim |
//!
//! Types map as [`ctype`] says; a name that is neither C's nor declared by
//! some file is an error, as is a constant the evaluator cannot compute.

pub mod collect;
pub mod ctype;
pub mod emit;
pub mod eval;
pub mod source;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};

pub use source::{Roots, Sources};

// ANCHOR: generate
/// Every header's text, by its path under `include/` (`stdio.h`,
/// `sys/stat.h`, `bits/alltypes.h`).
pub fn generate(sources: &Sources) -> Result<BTreeMap<String, String>> {
    let library = collect::read(sources).context("cannot read vibix_libc's declarations")?;
    emit::headers(&library)
}
// ANCHOR_END: generate

/// Writes the headers under `include`, replacing what was there; returns
/// how many.
pub fn write(roots: &Roots, include: &Path) -> Result<usize> {
    let sources = Sources::load(roots)?;
    let headers = generate(&sources)?;
    if include.exists() {
        std::fs::remove_dir_all(include)
            .with_context(|| format!("cannot clear {}", include.display()))?;
    }
    for (name, text) in &headers {
        let path = include.join(name);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(headers.len())
}

#[cfg(test)]
mod tests;
