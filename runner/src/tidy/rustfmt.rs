//! `runner test`'s formatting check: `cargo fmt --check` on every cargo
//! package of the repository (the host workspace, the kernel, each phase's
//! bare-metal and std program packages), all under the one `rustfmt.toml`
//! at the root, and `rustfmt --check` on the std port's own files, which
//! belong to no package here (they are built inside std's), and on the C
//! runtime's files (`crt/*.rs`, each compiled alone with `rustc`).

use std::path::PathBuf;

use anyhow::Result;
use walkdir::WalkDir;

use crate::phase::{self, Phase};
use crate::repo::Repo;
use crate::{Ctx, building::toolchain};

/// One formatting check: where it runs, and on what.
pub struct FmtCheck {
    pub label: String,
    pub dir: PathBuf,
    /// `None`: the package in `dir` (`cargo fmt`); else these files.
    pub files: Option<Vec<PathBuf>>,
}

/// Every formatting check `runner test` makes.
pub fn checks(repo: &Repo) -> Result<Vec<FmtCheck>> {
    let mut dirs = vec![repo.root().to_path_buf(), repo.kernel_dir()];
    let mut phases: Vec<Phase> = vec![phase::phase_zero(repo)];
    phases.extend(phase::later_phases(repo)?.into_iter().filter(Phase::landed));
    let mut port_files = Vec::new();
    for p in &phases {
        for package in [p.dir.clone(), p.dir.join("programs")] {
            if package.join("Cargo.toml").is_file() && !dirs.contains(&package) {
                dirs.push(package);
            }
        }
        let port = p.dir.join("std-port").join("library");
        if !port.is_dir() {
            continue;
        }
        for entry in WalkDir::new(&port).sort_by_file_name() {
            let entry = entry?;
            if entry.path().extension().is_some_and(|e| e == "rs") {
                port_files.push(entry.into_path());
            }
        }
    }
    let mut out: Vec<FmtCheck> = dirs
        .into_iter()
        .map(|dir| {
            let shown = repo.rel(&dir).display().to_string();
            let shown = if shown.is_empty() {
                "the host workspace".into()
            } else {
                shown
            };
            FmtCheck {
                label: format!("rustfmt: {shown} (cargo fmt --check)"),
                dir,
                files: None,
            }
        })
        .collect();
    if !port_files.is_empty() {
        out.push(FmtCheck {
            label: format!("rustfmt: the std port's {} files", port_files.len()),
            dir: repo.root().to_path_buf(),
            files: Some(port_files),
        });
    }
    // The C runtime's files (`crt/*.rs`): compiled one by one with `rustc
    // --emit=obj`, in no package.
    let mut crt_files = Vec::new();
    for p in &phases {
        let crt = p.dir.join("crt");
        if !crt.is_dir() {
            continue;
        }
        for entry in WalkDir::new(&crt).sort_by_file_name() {
            let entry = entry?;
            if entry.path().extension().is_some_and(|e| e == "rs") {
                crt_files.push(entry.into_path());
            }
        }
    }
    if !crt_files.is_empty() {
        out.push(FmtCheck {
            label: format!("rustfmt: the C runtime's {} files", crt_files.len()),
            dir: repo.root().to_path_buf(),
            files: Some(crt_files),
        });
    }
    Ok(out)
}

/// The command for one check; it fails on any unformatted line.
pub fn command<'a>(ctx: &'a Ctx, check: &FmtCheck) -> xshell::Cmd<'a> {
    match &check.files {
        None => toolchain::tool(&ctx.sh, "cargo").args(["fmt", "--all", "--check"]),
        Some(files) => toolchain::tool(&ctx.sh, "rustfmt")
            .args(["--check", "--edition", "2024"])
            .args(files),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_every_package_and_the_port_files_of_this_repository() {
        let repo = Repo::find_from(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        let checks = checks(&repo).unwrap();
        let dirs: Vec<&std::path::Path> = checks
            .iter()
            .filter(|c| c.files.is_none())
            .map(|c| repo.rel(&c.dir))
            .collect();
        for dir in ["", "kernel", "kernel/user", "phases/phase1-println"] {
            assert!(
                dirs.contains(&std::path::Path::new(dir)),
                "{dir} is not checked"
            );
        }
        let port = checks
            .iter()
            .find_map(|c| c.files.as_ref())
            .expect("the port's files");
        assert!(port.iter().any(|f| f.ends_with("sys/pal/vibix/mod.rs")));
    }
}
