//! The generated reference pages (`book/reference/runner.md` from the CLI,
//! `book/reference/syscalls.md` from the kernels) are committed, so that the
//! book builds with plain `mdbook` and changes to them show up in review.
//! `cargo runner book gen` rewrites them; `book build` (the CLI page) and
//! `book test` (the syscall page, which needs QEMU) fail when one is stale.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use crate::Ctx;
use crate::text::first_difference;

/// The page's path under the repository (`book/<rel>`).
fn path(ctx: &Ctx, rel: &str) -> PathBuf {
    ctx.repo.root().join("book").join(rel)
}

/// Fails if `book/<rel>` differs from `content`.
pub fn check_fresh(ctx: &Ctx, rel: &str, content: &str) -> Result<()> {
    let file = path(ctx, rel);
    let current = std::fs::read_to_string(&file).unwrap_or_default();
    if let Some(diff) = first_difference(current.as_bytes(), content.as_bytes()) {
        let past_end = || "(end of file)".to_string();
        bail!(
            "book/{rel} is stale: it differs from what the runner generates now, first at line \
             {} (committed: {}, now: {}); run `cargo runner book gen` and commit the result",
            diff.line,
            diff.left.unwrap_or_else(past_end),
            diff.right.unwrap_or_else(past_end)
        );
    }
    Ok(())
}

/// Writes `book/<rel>` if it differs; true if it changed.
pub fn write(ctx: &Ctx, rel: &str, content: &str) -> Result<bool> {
    let file = path(ctx, rel);
    if std::fs::read_to_string(&file).ok().as_deref() == Some(content) {
        return Ok(false);
    }
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(&file, content).with_context(|| format!("cannot write {}", file.display()))?;
    Ok(true)
}
