//! `runner book …`: the workbook's machinery. The book is an mdBook
//! (`book.toml` at the root, chapters in `book/`); these commands build and
//! serve it with pinned tools, check its links, chapters and generated
//! pages, and run its code.
//!
//! ```text
//! cargo runner book serve          # installs the pinned mdBook tools if missing, serves on localhost
//! cargo runner book build          # HTML + link check
//! cargo runner book test           # runs every runnable code block and checks its output
//! cargo runner book run phase0/hello
//! cargo runner book gen            # regenerates book/reference/{runner,syscalls}.md
//! ```
//!
//! One concept per file: `markdown` (fences), `info` (info strings),
//! `blocks` (the book's blocks and their problems), `summary`, `includes`,
//! `links`, `separator` and `compare` (one program per phase and its
//! output), `program` and `phase0` (the generated crate), `phases` (which
//! phase builds how), `stage` (kernel + initramfs), `tools` and `mdbook`
//! (the pinned tools), `preprocess`, `cli_ref`, `syscalls` and
//! `kernel_table` (generated pages), `generated` (their staleness), and one
//! `cmd_*` file per command.

mod blocks;
mod cli;
mod cli_ref;
mod cmd_build;
mod cmd_gen;
mod cmd_run;
mod cmd_serve;
mod cmd_test;
mod compare;
pub(crate) mod generated;
mod includes;
mod info;
mod kernel_table;
mod links;
mod markdown;
mod mdbook;
mod phase0;
mod phase1;
mod phases;
mod preprocess;
mod program;
mod separator;
mod stage;
mod summary;
mod syscalls;
pub mod tools;

use std::process::ExitCode;

use anyhow::Result;

pub use cli::BookArgs;
use cli::{BookCommand, PreprocessQuery};
pub use cmd_test::Tally;

use crate::Ctx;
use crate::booting::accel::Request;

/// How to boot QEMU.
#[derive(Debug, Clone, Copy)]
pub struct BootChoice {
    pub accel: Request,
    pub timeout: Option<u64>,
}

impl BootChoice {
    fn of(args: &crate::cli::AccelArgs) -> BootChoice {
        BootChoice {
            accel: args.request(),
            timeout: args.timeout,
        }
    }
}

/// The runner's whole command line, for the generated CLI reference.
fn runner_cli() -> clap::Command {
    <crate::Cli as clap::CommandFactory>::command()
}

/// Runs `runner book …`.
pub fn run(ctx: &Ctx, args: BookArgs) -> Result<ExitCode> {
    let cli = runner_cli();
    match args.command {
        BookCommand::Serve { port, open } => cmd_serve::run(ctx, port, open),
        BookCommand::Build => cmd_build::run(ctx, cli).map(|()| ExitCode::SUCCESS),
        BookCommand::Test { accel } => {
            let tally = cmd_test::run(ctx, &BootChoice::of(&accel))?;
            Ok(if tally.failed == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        BookCommand::Run { id, accel } => cmd_run::run(ctx, &id, &BootChoice::of(&accel)),
        BookCommand::Gen { accel } => {
            cmd_gen::run(ctx, cli, &BootChoice::of(&accel)).map(|()| ExitCode::SUCCESS)
        }
        BookCommand::Preprocess { query: None } => preprocess::run().map(|()| ExitCode::SUCCESS),
        BookCommand::Preprocess {
            query: Some(PreprocessQuery::Supports { .. }),
        } => Ok(ExitCode::SUCCESS),
    }
}

/// `runner test`'s book step: `book build`, then `book test`.
pub fn check_all(ctx: &Ctx, boot: &BootChoice) -> Result<Tally> {
    let built = cmd_build::run(ctx, runner_cli());
    if let Err(e) = &built {
        crate::print_error(e);
    }
    let mut tally = cmd_test::run(ctx, boot)?;
    if built.is_err() {
        tally.failed += 1;
    }
    Ok(tally)
}
