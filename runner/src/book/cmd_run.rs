//! `runner book run <id>`: boot one block's program as init, with the
//! console on this terminal, and exit with its status (as `runner run`
//! does). The id is `phase<N>/<name>`, or just the name; the preprocessor
//! prints it under every runnable block of the book.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use super::blocks::{self, Runnable};
use super::{BootChoice, phases, program, stage};
use crate::booting::accel::AccelState;
use crate::booting::boot::{ConsoleMode, Machine};
use crate::booting::cmdline::kernel_cmdline;
use crate::booting::outcome::Outcome;
use crate::cmd_run::NO_STATUS;
use crate::{Ctx, booting::qemu};

/// The block `id` names, among `runnable`.
fn find<'a>(runnable: &'a [Runnable], id: &str) -> Option<&'a Runnable> {
    runnable.iter().find(|b| b.id() == id || b.name == id)
}

pub fn run(ctx: &Ctx, id: &str, boot: &BootChoice) -> Result<ExitCode> {
    let found = blocks::scan(ctx.repo.root(), &ctx.repo.root().join("book"))?;
    let Some(block) = find(&found.runnable, id) else {
        let ids: Vec<String> = found.runnable.iter().map(Runnable::id).collect();
        bail!(
            "the book has no runnable block `{id}` (blocks: {})",
            if ids.is_empty() {
                "none".into()
            } else {
                ids.join(", ")
            }
        );
    };
    // The phase's whole crate, as `book test` builds it: no rebuild churn.
    let same_phase: Vec<&Runnable> = found
        .runnable
        .iter()
        .filter(|b| b.phase == block.phase)
        .collect();
    let built = phases::build(ctx, block.phase, &same_phase)?;
    let staged = stage::stage(ctx, block.phase, &built.programs)?;
    let mut machine = Machine {
        qemu: qemu::ensure_installed(&ctx.sh)?,
        kernel: staged.kernel,
        initrd: staged.initrd,
        accel: AccelState::new(boot.accel, boot.timeout)?,
        verbose: ctx.verbose,
    };
    let bin = program::block_bin(&block.name);
    let cmdline = kernel_cmdline(&bin, &[], &[])?;
    let dir = ctx
        .repo
        .run_dir(block.phase, &format!("book-{}", block.name));
    eprintln!(
        "booting {} ({}) as /bin/{bin}; the book expects it to print {} line{}",
        block.id(),
        block.location(),
        block.expected.lines().count(),
        if block.expected.lines().count() == 1 {
            ""
        } else {
            "s"
        }
    );
    let run = machine
        .boot(&dir, &cmdline, ConsoleMode::Terminal { no_stdin: ctx.ci })
        .context("cannot boot vibix")?;
    match run.outcome {
        Outcome::Ended(_, ending) => Ok(ExitCode::from(ending.shell_status())),
        other => {
            eprintln!("vibix: {other} (logs: {}/)", ctx.repo.rel(&dir).display());
            Ok(ExitCode::from(NO_STATUS))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn finds_blocks_by_id_or_name() {
        let b = blocks::extract(
            Path::new("book/k.md"),
            "```rust,vibix,phase=0,name=hello\n```\n```text,output\n```\n",
        );
        assert_eq!(find(&b.runnable, "phase0/hello").map(|b| b.line), Some(1));
        assert_eq!(find(&b.runnable, "hello").map(|b| b.line), Some(1));
        assert!(find(&b.runnable, "phase1/hello").is_none());
    }
}
