//! `runner book gen`: rewrites the generated reference pages, the CLI
//! reference, the syscall table (which boots each landed phase's kernel)
//! and the Performance page's results (from the committed results file),
//! and says which changed.

use anyhow::Result;

use super::{BootChoice, cli_ref, generated, kernel_table, syscalls};
use crate::Ctx;
use crate::benching::book_page;

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
    let changed = book_page::render(ctx)?;
    println!(
        "book/{}: {} (from book/{})",
        book_page::PAGE,
        if changed {
            "updated (commit it)"
        } else {
            "up to date"
        },
        book_page::RESULTS
    );
    Ok(())
}
