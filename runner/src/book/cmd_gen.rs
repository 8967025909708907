//! `runner book gen`: rewrites the generated reference pages, the CLI
//! reference and the syscall table (which boots each landed phase's
//! kernel), and says which changed.

use anyhow::Result;

use super::{BootChoice, cli_ref, generated, kernel_table, syscalls};
use crate::Ctx;

pub fn run(ctx: &Ctx, cli: clap::Command, boot: &BootChoice) -> Result<()> {
    let pages = [
        (cli_ref::PAGE, cli_ref::render(cli)),
        (syscalls::PAGE, kernel_table::page(ctx, boot)?),
    ];
    for (rel, content) in pages {
        let changed = generated::write(ctx, rel, &content)?;
        println!(
            "book/{rel}: {}",
            if changed {
                "updated (commit it)"
            } else {
                "up to date"
            }
        );
    }
    Ok(())
}
