//! The initramfs: a staged directory tree, then packed as cpio newc.
//!
//! `target/phase<N>/rootfs/` gets each phase's `rootfs/` copied in (modes
//! and symlinks kept), then every program at `bin/<name>` with mode 0755.
//! That tree is packed into `target/phase<N>/initramfs.cpio`: all
//! directories first (parents before children), then files and symlinks,
//! names relative (`bin/hello`), ending with `TRAILER!!!`. The staged tree is
//! also the current directory of the Linux oracle's runs.

use std::collections::BTreeMap;
use std::fs;
use std::io::BufWriter;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use walkdir::WalkDir;

use crate::building::cpio;

/// Fills `rootfs` afresh: the overlays (those that exist), then the programs.
pub fn stage(
    rootfs: &Path,
    overlays: &[PathBuf],
    programs: &BTreeMap<String, PathBuf>,
) -> Result<()> {
    if rootfs.exists() {
        fs::remove_dir_all(rootfs).with_context(|| format!("cannot clear {}", rootfs.display()))?;
    }
    let bin = rootfs.join("bin");
    fs::create_dir_all(&bin).with_context(|| format!("cannot create {}", bin.display()))?;
    for dir in [rootfs, &bin] {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o755))?;
    }
    // An empty `/tmp`, writable by all with the sticky bit, as on Linux:
    // `std::env::temp_dir()`, C's `tmpfile` and `mkstemp` expect it.
    let tmp = rootfs.join("tmp");
    fs::create_dir_all(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    fs::set_permissions(&tmp, fs::Permissions::from_mode(0o1777))?;
    for overlay in overlays.iter().filter(|o| o.is_dir()) {
        copy_tree(overlay, rootfs)
            .with_context(|| format!("cannot copy {} into the initramfs", overlay.display()))?;
    }
    for (name, path) in programs {
        install_file(path, &bin.join(name))?;
    }
    Ok(())
}

/// Installs `files` (name → built file) in `rootfs/<dir>`, mode 0755 (as
/// shared objects are installed on Linux): `/lib`'s shared libraries and
/// dynamic linker, phase 5 on.
pub fn install(rootfs: &Path, dir: &str, files: &BTreeMap<String, PathBuf>) -> Result<()> {
    if files.is_empty() {
        return Ok(());
    }
    let to = rootfs.join(dir);
    fs::create_dir_all(&to).with_context(|| format!("cannot create {}", to.display()))?;
    fs::set_permissions(&to, fs::Permissions::from_mode(0o755))?;
    for (name, path) in files {
        install_file(path, &to.join(name))?;
    }
    Ok(())
}

/// Copies the built file `path` to `dest`, replacing whatever is there
/// (an overlay's file or symlink), mode 0755.
fn install_file(path: &Path, dest: &Path) -> Result<()> {
    if dest.symlink_metadata().is_ok() {
        fs::remove_file(dest)?;
    }
    fs::copy(path, dest)
        .with_context(|| format!("cannot copy {} to {}", path.display(), dest.display()))?;
    fs::set_permissions(dest, fs::Permissions::from_mode(0o755))?;
    Ok(())
}

/// Copies `from`'s contents into `to`, keeping modes and symlinks.
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    copy_tree_except(from, to, &[])
}

/// [`copy_tree`] without the directories directly under `from` named in
/// `skip` (a package's `target/`); creates `to` and its parents.
pub fn copy_tree_except(from: &Path, to: &Path, skip: &[&str]) -> Result<()> {
    fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    let walk = WalkDir::new(from)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !(e.depth() == 1 && skip.iter().any(|s| e.file_name() == *s)));
    for entry in walk {
        let entry = entry?;
        let rel = entry.path().strip_prefix(from)?;
        let dest = to.join(rel);
        let kind = entry.file_type();
        let meta = entry.metadata()?;
        if kind.is_dir() {
            fs::create_dir_all(&dest)?;
            fs::set_permissions(
                &dest,
                fs::Permissions::from_mode(meta.permissions().mode() & 0o7777),
            )?;
        } else if kind.is_symlink() {
            if dest.symlink_metadata().is_ok() {
                fs::remove_file(&dest)?;
            }
            std::os::unix::fs::symlink(fs::read_link(entry.path())?, &dest)?;
        } else if kind.is_file() {
            if dest.symlink_metadata().is_ok() {
                fs::remove_file(&dest)?;
            }
            fs::copy(entry.path(), &dest)?;
        } else {
            bail!(
                "{} is neither a file, a directory nor a symlink; the initramfs cannot hold it",
                entry.path().display()
            );
        }
    }
    Ok(())
}

/// What went into an archive.
#[derive(Debug, PartialEq, Eq)]
pub struct Packed {
    pub entries: usize,
    pub bytes: u64,
}

/// Packs the tree at `rootfs` into the newc archive `out`.
pub fn pack(rootfs: &Path, out: &Path) -> Result<Packed> {
    let mut dirs = Vec::new();
    let mut others = Vec::new();
    for entry in WalkDir::new(rootfs)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = entry.with_context(|| format!("cannot read {}", rootfs.display()))?;
        let rel = entry.path().strip_prefix(rootfs)?;
        let Some(name) = rel.to_str() else {
            bail!("{} has a name that is not UTF-8", entry.path().display());
        };
        if entry.file_type().is_dir() {
            dirs.push((name.to_owned(), entry));
        } else {
            others.push((name.to_owned(), entry));
        }
    }

    let tmp = out.with_extension("cpio.tmp");
    let file =
        fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    let mut writer = cpio::Writer::new(BufWriter::new(file));
    for (name, entry) in &dirs {
        writer.dir(name, entry.metadata()?.permissions().mode())?;
    }
    for (name, entry) in &others {
        let kind = entry.file_type();
        if kind.is_symlink() {
            let target = fs::read_link(entry.path())?;
            let Some(target) = target.to_str() else {
                bail!(
                    "symlink {} has a target that is not UTF-8",
                    entry.path().display()
                );
            };
            writer.symlink(name, target)?;
        } else if kind.is_file() {
            let data = fs::read(entry.path())
                .with_context(|| format!("cannot read {}", entry.path().display()))?;
            writer.file(name, entry.metadata()?.permissions().mode(), &data)?;
        } else {
            bail!(
                "{} is not a file, a directory or a symlink",
                entry.path().display()
            );
        }
    }
    writer.finish()?;
    fs::rename(&tmp, out).with_context(|| format!("cannot write {}", out.display()))?;
    let bytes = fs::metadata(out)?.len();
    Ok(Packed {
        entries: dirs.len() + others.len(),
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::TempDir;

    #[test]
    fn stages_and_packs() {
        let tmp = TempDir::new("initramfs");
        let t = tmp.path();
        // A phase's rootfs overlay, with a symlink and a private dir.
        fs::create_dir_all(t.join("overlay/etc/private")).unwrap();
        fs::write(t.join("overlay/etc/motd"), "hi\n").unwrap();
        fs::set_permissions(
            t.join("overlay/etc/private"),
            fs::Permissions::from_mode(0o700),
        )
        .unwrap();
        std::os::unix::fs::symlink("motd", t.join("overlay/etc/issue")).unwrap();
        // A built program, not executable in the build dir.
        fs::write(t.join("hello.elf"), b"\x7fELF").unwrap();
        fs::set_permissions(t.join("hello.elf"), fs::Permissions::from_mode(0o644)).unwrap();
        let programs = BTreeMap::from([("hello".to_string(), t.join("hello.elf"))]);

        let rootfs = t.join("rootfs");
        fs::create_dir_all(rootfs.join("stale")).unwrap();
        let overlays = [t.join("overlay"), t.join("absent")];
        stage(&rootfs, &overlays, &programs).unwrap();
        assert!(!rootfs.join("stale").exists(), "staging starts afresh");
        let mode = |p: &str| {
            fs::symlink_metadata(rootfs.join(p))
                .unwrap()
                .permissions()
                .mode()
        };
        assert_eq!(mode("bin/hello") & 0o7777, 0o755);
        assert_eq!(mode("etc/private") & 0o7777, 0o700);
        assert_eq!(mode("tmp") & 0o7777, 0o1777, "an empty /tmp, as on Linux");
        assert_eq!(
            fs::read_link(rootfs.join("etc/issue")).unwrap(),
            Path::new("motd")
        );

        let out = t.join("initramfs.cpio");
        let packed = pack(&rootfs, &out).unwrap();
        assert_eq!(packed.entries, 7);
        let archive = fs::read(&out).unwrap();
        assert_eq!(packed.bytes, archive.len() as u64);
        // Names in order: directories first, then the rest; no leading slash.
        let text = String::from_utf8_lossy(&archive);
        let order: Vec<usize> = [
            "bin\0",
            "etc\0",
            "etc/private\0",
            "bin/hello\0",
            "etc/issue\0",
            "etc/motd\0",
            "TRAILER!!!\0",
        ]
        .iter()
        .map(|n| text.find(n).unwrap_or_else(|| panic!("{n} missing")))
        .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
        assert!(!text.contains("/bin/hello"));
    }
}
