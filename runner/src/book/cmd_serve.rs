//! `runner book serve`: `mdbook serve` on localhost with the pinned tools,
//! rebuilding on every change, until Ctrl-C.

use std::process::ExitCode;

use anyhow::{Context, Result};

use super::{mdbook, tools};
use crate::Ctx;

pub fn run(ctx: &Ctx, port: u16, open: bool) -> Result<ExitCode> {
    let bin = tools::ensure(ctx)?;
    let _dir = ctx.sh.push_dir(ctx.repo.root());
    eprintln!(
        "serving the book on http://127.0.0.1:{port}/ (Ctrl-C stops); the same without the \
         runner: {}/mdbook serve",
        ctx.repo.rel(&bin).display()
    );
    let mut cmd = mdbook::command(ctx, &bin)?
        .args(["serve", "--hostname", "127.0.0.1", "--port"])
        .arg(port.to_string());
    if open {
        cmd = cmd.arg("--open");
    }
    cmd.run().context("mdbook serve stopped with an error")?;
    Ok(ExitCode::SUCCESS)
}
