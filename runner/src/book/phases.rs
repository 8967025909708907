//! Building a phase's blocks: the one place that knows how each phase's
//! programs are made, and where a later phase plugs in.
//!
//! Phase 0 blocks are `no_std` programs on `vrt` (`phase0.rs`). Blocks of
//! phase 1 and later are std programs (`phase1.rs`), built with the
//! runner's std for that phase once it has landed; until then they fail
//! with the phase's own "has not landed" message.

use anyhow::{Result, anyhow};

use super::blocks::Runnable;
use super::phase0::{self, BuiltBlocks};
use super::phase1;
use crate::{Ctx, phase};

/// Builds the blocks of phase `n` (all of `blocks` are of that phase).
pub fn build(ctx: &Ctx, n: u32, blocks: &[&Runnable]) -> Result<BuiltBlocks> {
    match n {
        0 => phase0::build(ctx, blocks),
        n => match phase::select(&ctx.repo, n) {
            Ok(_) => phase1::build(ctx, n, blocks),
            Err(e) => Err(cannot_build(n, blocks, &e)),
        },
    }
}

/// Why the blocks of phase `n` cannot be built: the phase has not landed.
fn cannot_build(n: u32, blocks: &[&Runnable], why: &anyhow::Error) -> anyhow::Error {
    let places: Vec<String> = blocks
        .iter()
        .map(|b| format!("{} ({})", b.location(), b.id()))
        .collect();
    anyhow!(
        "{why}; its blocks run once it has (phase {n}): {}",
        places.join(", ")
    )
}
