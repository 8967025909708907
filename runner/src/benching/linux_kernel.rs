//! The Linux guest's kernel: Debian's packaged cloud kernel,
//! `linux-image-6.1.0-<abi>-cloud-amd64-unsigned`, or one the user names
//! with `--linux-kernel`.
//!
//! The runner keeps it in `target/linux-guest/` (`vmlinuz-<release>` and
//! `package.txt`, which names the package and its version). When that
//! directory holds none and the runner runs as root, it fetches the package
//! with `apt-get download` (the newest ABI that `apt-cache` knows, after an
//! `apt-get update` if it knows none) and unpacks `boot/vmlinuz-*` with the
//! system's `dpkg-deb` (a .deb is an `ar` archive holding `data.tar.xz`;
//! dpkg-deb is on every Debian system, where apt-get is). Without root it
//! stops and prints the commands to run. Nothing else is downloaded.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::Ctx;
use crate::booting::qemu::{find_on_path, is_root};
use crate::progress::Progress;

/// The package family.
const PREFIX: &str = "linux-image-6.1.0-";
const SUFFIX: &str = "-cloud-amd64-unsigned";

/// A kernel to boot as the Linux guest.
pub struct LinuxKernel {
    pub path: PathBuf,
    /// What it is, for the results: `linux-image-… 6.1.172-1`, or the file
    /// name of a kernel given with --linux-kernel.
    pub describe: String,
}

/// Where fetched kernels are kept.
pub fn cache_dir(ctx: &Ctx) -> PathBuf {
    ctx.repo.target_dir().join("linux-guest")
}

/// The kernel to boot: `given`, or the cached one, or a freshly fetched one.
pub fn locate(ctx: &Ctx, given: Option<&Path>) -> Result<LinuxKernel> {
    if let Some(path) = given {
        if !path.is_file() {
            bail!("--linux-kernel {}: no such file", path.display());
        }
        return Ok(LinuxKernel {
            path: path.to_path_buf(),
            describe: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        });
    }
    let dir = cache_dir(ctx);
    if let Some(found) = cached(&dir) {
        return Ok(found);
    }
    if !is_root() {
        let shown = ctx.repo.rel(&dir).display().to_string();
        bail!(
            "no Linux guest kernel yet. Run `cargo runner bench` as root to have it fetched, or \
             fetch Debian's yourself:\n\n    mkdir -p {shown} && cd {shown}\n    apt-get download \
             $(apt-cache search --names-only '^{}[0-9]+{}$' | sort -V | tail -n1 | cut -d' ' -f1)\n    \
             dpkg-deb --fsys-tarfile linux-image-*.deb | tar -x --strip-components=2 --wildcards \
             './boot/vmlinuz-*'\n\nthen run `cargo runner bench` again (or give any bzImage with \
             --linux-kernel PATH)",
            PREFIX.replace('.', "\\."),
            SUFFIX
        );
    }
    fetch(ctx, &dir)
}

/// The newest `vmlinuz-*` in `dir`.
fn cached(dir: &Path) -> Option<LinuxKernel> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("vmlinuz-"))
        })
        .collect();
    found.sort();
    let path = found.pop()?;
    let package = std::fs::read_to_string(dir.join("package.txt"))
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|_| {
            path.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into()
        });
    Some(LinuxKernel {
        path,
        describe: package,
    })
}

/// The newest ABI's package name among `apt-cache search` output lines.
pub fn newest_package(search_output: &str) -> Option<String> {
    search_output
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter_map(|name| {
            let abi: u32 = name
                .strip_prefix(PREFIX)?
                .strip_suffix(SUFFIX)?
                .parse()
                .ok()?;
            Some((abi, name.to_owned()))
        })
        .max()
        .map(|(_, name)| name)
}

fn fetch(ctx: &Ctx, dir: &Path) -> Result<LinuxKernel> {
    for tool in ["apt-get", "apt-cache", "dpkg-deb"] {
        if find_on_path(tool).is_none() {
            bail!(
                "`{tool}` is not installed, so the runner cannot fetch Debian's kernel; give a \
                 Linux bzImage with --linux-kernel PATH"
            );
        }
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let pattern = format!("^{}[0-9]+{SUFFIX}$", PREFIX.replace('.', "\\."));
    let search = || {
        ctx.sh
            .cmd("apt-cache")
            .args(["search", "--names-only", &pattern])
            .quiet()
            .read()
    };
    let mut package = newest_package(&search()?);
    if package.is_none() {
        let progress = Progress::start("apt-get update (no cloud kernel package known)");
        let out = ctx
            .sh
            .cmd("apt-get")
            .arg("update")
            .env("DEBIAN_FRONTEND", "noninteractive")
            .quiet()
            .ignore_status()
            .output()?;
        if out.status.success() {
            progress.done();
        } else {
            progress.fail();
        }
        package = newest_package(&search()?);
    }
    let Some(package) = package else {
        bail!(
            "apt-cache knows no package {PREFIX}<abi>{SUFFIX} (is this Debian 12 with its \
             security repository?); give a Linux bzImage with --linux-kernel PATH"
        );
    };
    let progress = Progress::start(format!(
        "fetching the Linux guest kernel (apt-get download {package})"
    ));
    let _in_dir = ctx.sh.push_dir(dir);
    let out = ctx
        .sh
        .cmd("apt-get")
        .args(["download", &package])
        .quiet()
        .ignore_status()
        .output()?;
    if !out.status.success() {
        progress.fail();
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
        bail!("`apt-get download {package}` failed (output above)");
    }
    let deb = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.extension().is_some_and(|e| e == "deb")
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(&package))
        })
        .context("apt-get download left no .deb")?;
    let version = ctx
        .sh
        .cmd("dpkg-deb")
        .args(["--field"])
        .arg(&deb)
        .arg("Version")
        .quiet()
        .read()
        .context("cannot read the package's version with dpkg-deb")?;
    let unpacked = dir.join("unpacked");
    let _ = std::fs::remove_dir_all(&unpacked);
    ctx.sh
        .cmd("dpkg-deb")
        .arg("--extract")
        .arg(&deb)
        .arg(&unpacked)
        .quiet()
        .run()
        .context("dpkg-deb could not unpack the package")?;
    let boot = unpacked.join("boot");
    let vmlinuz = std::fs::read_dir(&boot)
        .with_context(|| format!("the package has no {}", boot.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("vmlinuz-"))
        })
        .context("the package holds no boot/vmlinuz-*")?;
    let dest = dir.join(vmlinuz.file_name().context("a file name")?);
    std::fs::rename(&vmlinuz, &dest)?;
    std::fs::remove_dir_all(&unpacked)?;
    std::fs::remove_file(&deb)?;
    let describe = format!("{package} {}", version.trim());
    std::fs::write(dir.join("package.txt"), format!("{describe}\n"))?;
    progress.done_with(&describe);
    Ok(LinuxKernel {
        path: dest,
        describe,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_newest_abi() {
        let out = "linux-image-6.1.0-9-cloud-amd64-unsigned - Linux 6.1\n\
                   linux-image-6.1.0-48-cloud-amd64-unsigned - Linux 6.1\n\
                   linux-image-6.1.0-45-cloud-amd64-unsigned - Linux 6.1\n\
                   linux-image-6.1.0-50-cloud-amd64-dbg - debug\n";
        assert_eq!(
            newest_package(out).as_deref(),
            Some("linux-image-6.1.0-48-cloud-amd64-unsigned")
        );
        assert_eq!(newest_package(""), None);
    }
}
