//! Building a phase's blocks: the one place that knows how each phase's
//! programs are made, and where a later phase plugs in.
//!
//! Phase 0 blocks are `no_std` programs on `vrt` (`phase0.rs`). Blocks of
//! phase 1 and later are std programs: once a phase has landed, its builder
//! goes here (a generated crate like phase 0's, built with the runner's std
//! for that phase); until then its blocks fail with the phase's own "has not
//! landed" message.

use anyhow::{Result, anyhow};

use super::blocks::Runnable;
use super::phase0::{self, BuiltBlocks};
use crate::{Ctx, phase};

/// Builds the blocks of phase `n` (all of `blocks` are of that phase).
pub fn build(ctx: &Ctx, n: u32, blocks: &[&Runnable]) -> Result<BuiltBlocks> {
    match n {
        0 => phase0::build(ctx, blocks),
        n => Err(cannot_build(ctx, n, blocks)),
    }
}

/// Why the blocks of phase `n` cannot be built (yet).
fn cannot_build(ctx: &Ctx, n: u32, blocks: &[&Runnable]) -> anyhow::Error {
    let places: Vec<String> = blocks
        .iter()
        .map(|b| format!("{} ({})", b.location(), b.id()))
        .collect();
    let why = match phase::select(&ctx.repo, n) {
        Err(e) => format!("{e}; its blocks run once it has"),
        Ok(_) => format!(
            "phase {n} has landed, but `book test` cannot build its std blocks yet: add phase \
             {n}'s builder to runner/src/book/phases.rs"
        ),
    };
    anyhow!("{why}: {}", places.join(", "))
}
