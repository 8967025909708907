//! Running mdBook from the runner: the pinned tools first on `PATH`, and the
//! book's preprocessor (`[preprocessor.vibix]` in `book.toml`, which says
//! `cargo runner book preprocess`) pointed at this very executable, so that
//! mdBook does not start a nested cargo, and the link checker pointed at
//! the installed one (`book.toml` names `target/tools/bin`, the default).
//! mdBook reads these overrides from `MDBOOK_PREPROCESSOR__VIBIX__COMMAND`
//! and `MDBOOK_OUTPUT__LINKCHECK2__COMMAND`.

use std::ffi::OsString;
use std::path::Path;

use anyhow::{Context, Result};
use xshell::Cmd;

use super::tools::LINKCHECK;
use crate::Ctx;

/// `mdbook` from `bin`, run at the repository root (where `book.toml` is).
pub fn command<'a>(ctx: &'a Ctx, bin: &Path) -> Result<Cmd<'a>> {
    let exe = std::env::current_exe().context("cannot find the runner's own executable")?;
    let exe = exe
        .to_str()
        .context("the runner's path is not UTF-8, which mdBook's command line needs")?;
    let linkcheck = bin.join(LINKCHECK.bin);
    let linkcheck = linkcheck
        .to_str()
        .context("the tools' path is not UTF-8, which mdBook's command line needs")?
        .to_owned();
    let mut path = OsString::from(bin.as_os_str());
    if let Some(old) = std::env::var_os("PATH") {
        path.push(":");
        path.push(old);
    }
    Ok(ctx
        .sh
        .cmd(bin.join("mdbook"))
        .quiet()
        .env("PATH", path)
        .env(
            "MDBOOK_PREPROCESSOR__VIBIX__COMMAND",
            format!("{} book preprocess", shell_quote(exe)),
        )
        .env(
            "MDBOOK_OUTPUT__LINKCHECK2__COMMAND",
            shell_quote(&linkcheck),
        ))
}

/// A word for mdBook's shell-like command line.
pub fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:@%".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_paths() {
        assert_eq!(
            shell_quote("/r/target/release/runner"),
            "/r/target/release/runner"
        );
        assert_eq!(shell_quote("/my dir/runner"), "'/my dir/runner'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
