//! Building std programs for vibix (phase 1 on): the patched std (see
//! [`crate::building::std_port`]), a phase's programs twice (for vibix, and for the
//! host as the Linux oracle), and a user's own cargo project
//! (`runner run --phase N --manifest-path …`).
//!
//! A vibix build is an ordinary `cargo build` with
//!
//! ```text
//! --target <phase>/x86_64-unknown-vibix.json -Zjson-target-spec
//! -Zbuild-std=std,panic_abort -Zbuild-std-features=backtrace,compiler-builtins-mem
//! --config profile.release.panic="abort"
//! __CARGO_TESTS_ONLY_SRC_ROOT=target/std-port/phase<N>/library
//! ```
//!
//! (`compiler-builtins-mem`: there is no C library to provide `memcpy` and
//! friends; `backtrace`: std's panic message matches Linux's). All vibix
//! builds of phase N share `target/phase<N>-vibix/` and one profile, so std
//! is built once and then reused by the programs and by user projects.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::cmd_phase::Built;
use crate::phase::{self, Phase};
use crate::{
    Ctx, building::crate_port, building::kbuild, building::std_port, building::toolchain, step,
};

/// The custom target's name (and its JSON file's stem).
pub const TARGET: &str = "x86_64-unknown-vibix";
/// The host the Linux oracle runs on.
pub const HOST_TARGET: &str = "x86_64-unknown-linux-gnu";

/// Everything a vibix build of phase N needs.
pub struct VibixStd {
    pub target_json: PathBuf,
    /// The patched `library/`.
    pub library: PathBuf,
    /// Shared by every vibix build of the phase.
    pub target_dir: PathBuf,
    /// The toolchain to build with (`rust-toolchain.toml`'s), also for
    /// projects outside the repository.
    pub channel: String,
    /// The crates.io crates ported to vibix up to this phase (`libc`, `nix`):
    /// every build gets them through a `[patch]`.
    pub ported: Vec<crate_port::Ported>,
    /// From phase 4 on, the sysroot's `lib/` (`libc.a`): the ported `libc`
    /// crate links `-lc`, and std programs may call the C library.
    pub c_lib: Option<PathBuf>,
}

/// The phase's target spec: the latest phase up to N that has one.
fn target_json(phases: &[Phase]) -> Option<PathBuf> {
    phases
        .iter()
        .rev()
        .map(|p| p.dir.join(format!("{TARGET}.json")))
        .find(|p| p.is_file())
}

/// Applies phases 1..=n's std port layers (if that changed anything) and
/// says how to build for vibix; `None` when no phase up to n has a layer.
pub fn prepare(ctx: &Ctx, n: u32, phases: &[Phase]) -> Result<Option<VibixStd>> {
    let layers = std_port::load_layers(&ctx.repo, phases)?;
    if layers.is_empty() {
        return Ok(None);
    }
    let Some(target_json) = target_json(phases) else {
        bail!("phase {n} has a std port but no {TARGET}.json in any of its phases' directories");
    };
    let _dir = ctx.sh.push_dir(ctx.repo.root());
    let sysroot_library = std_port::toolchain_library(&ctx.sh)?;
    let version = toolchain::tool(&ctx.sh, "rustc")
        .arg("-vV")
        .read()
        .context("cannot run `rustc -vV`")?;
    let channel = std_port::pinned_channel(&ctx.repo)?;
    let library = std_port::prepare(&ctx.repo, n, &layers, &sysroot_library, &version, &channel)?;
    let ported = crate_port::prepare(ctx, phases)?;
    let target_dir = ctx.repo.target_dir().join(format!("phase{n}-vibix"));
    forget_std_of_another_port(&library, &ported, &target_dir)?;
    Ok(Some(VibixStd {
        target_json,
        library,
        target_dir,
        channel,
        ported,
        c_lib: None,
    }))
}

/// Makes the next build compile std anew if the port changed since the
/// std in `target_dir` was built. Cargo does not look at the sources of
/// the crates `-Zbuild-std` builds (they count as the toolchain's, which do
/// not change), so an edited port file would otherwise go unbuilt. The
/// port's stamp (written beside `library` by `std_port::prepare`), with
/// those of the ported crates (std's `libc` is one), is kept in the target
/// dir; when they differ, the target's outputs go.
fn forget_std_of_another_port(
    library: &Path,
    ported: &[crate_port::Ported],
    target_dir: &Path,
) -> Result<()> {
    let port_stamp = library.with_file_name("stamp");
    let mut stamp = std::fs::read_to_string(&port_stamp)
        .with_context(|| format!("cannot read {}", port_stamp.display()))?;
    for p in ported {
        stamp.push_str(&format!("{} {} {}", p.name, p.version, p.stamp));
    }
    let built_with = target_dir.join("std-port-stamp");
    if std::fs::read_to_string(&built_with).is_ok_and(|s| s == stamp) {
        return Ok(());
    }
    let outputs = target_dir.join(TARGET);
    if outputs.exists() {
        std::fs::remove_dir_all(&outputs)
            .with_context(|| format!("cannot remove {}", outputs.display()))?;
    }
    std::fs::create_dir_all(target_dir)
        .with_context(|| format!("cannot create {}", target_dir.display()))?;
    std::fs::write(&built_with, stamp)
        .with_context(|| format!("cannot write {}", built_with.display()))
}

/// [`prepare`], and from the first phase with a C library on, that library
/// built (`cargo runner sysroot`) for programs to link.
pub fn prepare_linked(ctx: &Ctx, n: u32, phases: &[Phase]) -> Result<Option<VibixStd>> {
    let Some(mut std) = prepare(ctx, n, phases)? else {
        return Ok(None);
    };
    if n >= crate::sysroot::FIRST_PHASE {
        std.c_lib = Some(crate::sysroot::build(ctx, n)?.lib());
    }
    Ok(Some(std))
}

/// The `--config` that puts the C library on the linker's search path.
pub(crate) fn c_lib_args(std: &VibixStd) -> Vec<String> {
    std.c_lib
        .iter()
        .map(|lib| {
            format!(
                "--config=target.{TARGET}.rustflags=[\"-L\", {:?}]",
                format!("native={}", lib.display())
            )
        })
        .collect()
}

// ANCHOR: cargo
/// `cargo build --release` of `manifest` for vibix, with the patched std.
pub(crate) fn vibix_cargo<'a>(ctx: &'a Ctx, std: &VibixStd, manifest: &Path) -> xshell::Cmd<'a> {
    toolchain::tool(&ctx.sh, "cargo")
        .env("RUSTUP_TOOLCHAIN", &std.channel)
        .env("CARGO_TARGET_DIR", &std.target_dir)
        .env("__CARGO_TESTS_ONLY_SRC_ROOT", &std.library)
        .arg("build")
        .arg("--release")
        .arg("--manifest-path")
        .arg(manifest)
        .arg("--target")
        .arg(&std.target_json)
        // The target aborts on panic whatever the profile says; saying it in
        // every profile gives every project the same std build to share.
        .arg("--config=profile.release.panic=\"abort\"")
        .args([
            "-Zjson-target-spec",
            "-Zbuild-std=std,panic_abort",
            "-Zbuild-std-features=backtrace,compiler-builtins-mem",
            "--message-format=json-render-diagnostics",
        ])
        .args(crate_port::patch_args(&std.ported, Some(manifest)))
        .args(c_lib_args(std))
}
// ANCHOR_END: cargo

/// Runs a cargo build in the manifest's directory (so a project's own
/// `.cargo/config.toml`, if it has one, applies) and returns the binaries
/// it built.
pub(crate) fn run_build(
    ctx: &Ctx,
    cmd: xshell::Cmd<'_>,
    manifest: &Path,
    label: &str,
) -> Result<BTreeMap<String, PathBuf>> {
    let dir = manifest.parent().unwrap_or(Path::new("."));
    let _dir = ctx.sh.push_dir(dir);
    let out = step::run(cmd, label, ctx.verbose)?;
    Ok(kbuild::parse_artifacts(&out.stdout)
        .into_iter()
        .map(|a| (a.name, a.path))
        .collect())
}

/// A phase's std programs, for vibix and for the host.
#[derive(Default)]
pub struct StdPrograms {
    pub vibix: BTreeMap<String, PathBuf>,
    pub host: BTreeMap<String, PathBuf>,
    /// Shared objects for vibix's `/lib` (phase 5's C test libraries).
    pub libs: BTreeMap<String, PathBuf>,
}

/// `phases/phase<N>-*/programs/Cargo.toml`.
pub fn programs_manifest(phase: &Phase) -> PathBuf {
    phase.dir.join("programs").join("Cargo.toml")
}

/// Builds std for vibix and the std programs of every phase up to n, linked
/// with `sysroot`'s C library when the phase has one.
pub fn build_phase_programs(
    ctx: &Ctx,
    n: u32,
    phases: &[Phase],
    sysroot: Option<&crate::sysroot::Sysroot>,
) -> Result<StdPrograms> {
    let mut all = StdPrograms::default();
    let with_programs: Vec<&Phase> = phases
        .iter()
        .filter(|p| p.number >= 1 && programs_manifest(p).is_file())
        .collect();
    if with_programs.is_empty() {
        return Ok(all);
    }
    let Some(mut std) = prepare(ctx, n, phases)? else {
        bail!(
            "{} has std programs, but no phase up to {n} has a std port (std-port/port.toml)",
            ctx.repo.rel(&with_programs[0].dir).display()
        );
    };
    std.c_lib = sysroot.map(crate::sysroot::Sysroot::lib);
    for (i, phase) in with_programs.iter().enumerate() {
        let manifest = programs_manifest(phase);
        if i == 0 {
            // std alone first: its own progress line and time.
            let label = format!("building std for {TARGET} (phase {n})");
            run_build(
                ctx,
                vibix_cargo(ctx, &std, &manifest).arg("--lib"),
                &manifest,
                &label,
            )?;
        }
        let m = phase.number;
        let dynamic = dynamic_package(&manifest)?;
        let label = match dynamic {
            Some(_) => format!("building phase-{m} programs for {TARGET}, linked dynamically"),
            None => format!("building phase-{m} programs for {TARGET}"),
        };
        let mut cmd = vibix_cargo(ctx, &std, &manifest).arg("--bins");
        if let Some(package) = &dynamic {
            let Some(lib) = &std.c_lib else {
                bail!(
                    "{} links dynamically, but phase {n} has no C library",
                    ctx.repo.rel(&manifest).display()
                );
            };
            if n < crate::sysroot::shared::FIRST_PHASE {
                bail!(
                    "{} links dynamically: that needs phase {} (the shared C library)",
                    ctx.repo.rel(&manifest).display(),
                    crate::sysroot::shared::FIRST_PHASE
                );
            }
            cmd = cmd.args(dynamic_link_config(package, lib));
        }
        let vibix = run_build(ctx, cmd, &manifest, &label)?;
        let label = format!("building phase-{m} programs for the host ({HOST_TARGET})");
        let host = run_build(ctx, host_cargo(ctx, &std, &manifest, m), &manifest, &label)?;
        for name in vibix.keys() {
            if !host.contains_key(name) {
                bail!("program `{name}` was built for vibix but not for the host");
            }
        }
        all.vibix.extend(vibix);
        all.host.extend(host);
    }
    Ok(all)
}

/// The package name of `manifest` if its binaries link dynamically
/// (`[package.metadata.vibix] linking = "dynamic"`), `None` if statically
/// (no such key, or `"static"`).
pub fn dynamic_package(manifest: &Path) -> Result<Option<String>> {
    let text = std::fs::read_to_string(manifest)
        .with_context(|| format!("cannot read {}", manifest.display()))?;
    let table: toml::Table =
        toml::from_str(&text).with_context(|| format!("{} is not TOML", manifest.display()))?;
    let package = table.get("package").and_then(toml::Value::as_table);
    let linking = package
        .and_then(|p| p.get("metadata"))
        .and_then(|m| m.get("vibix"))
        .and_then(|v| v.get("linking"));
    match linking.map(|l| l.as_str()) {
        None | Some(Some("static")) => Ok(None),
        Some(Some("dynamic")) => {
            let name = package
                .and_then(|p| p.get("name"))
                .and_then(toml::Value::as_str);
            match name {
                Some(name) => Ok(Some(name.to_owned())),
                None => bail!("{} has no package name", manifest.display()),
            }
        }
        Some(other) => bail!(
            "{}: package.metadata.vibix.linking is {}; it must be \"static\" or \"dynamic\"",
            manifest.display(),
            other.map_or_else(|| "not a string".to_owned(), |s| format!("{s:?}"))
        ),
    }
}

/// The cargo arguments that link `package`'s binaries (and only its:
/// std and the dependencies are the same build as every other package's)
/// against the shared C library of the sysroot `lib`: profile rustflags
/// for that one package.
pub(crate) fn dynamic_link_config(package: &str, lib: &Path) -> Vec<String> {
    let flags = crate::sysroot::shared::rust_program_flags(lib);
    vec![
        "-Zprofile-rustflags".into(),
        format!("--config=profile.release.package.{package}.rustflags={flags:?}"),
    ]
}

/// `cargo build --release` for the host, as any Linux program is built:
/// dynamically linked against glibc. (Not statically: a static glibc
/// program does not run the main thread's thread-local destructors at exit,
/// std falls back to a pthread key there, while the dynamic one does, as
/// vibix does.)
pub(crate) fn host_cargo<'a>(
    ctx: &'a Ctx,
    std: &VibixStd,
    manifest: &Path,
    phase: u32,
) -> xshell::Cmd<'a> {
    toolchain::tool(&ctx.sh, "cargo")
        .env("RUSTUP_TOOLCHAIN", &std.channel)
        .env(
            "CARGO_TARGET_DIR",
            ctx.repo.target_dir().join(format!("phase{phase}-host")),
        )
        .arg("build")
        .arg("--release")
        .arg("--bins")
        .arg("--manifest-path")
        .arg(manifest)
        .args(["--target", HOST_TARGET])
        .arg("--message-format=json-render-diagnostics")
        // The ported crates leave Linux as it was; with them the host
        // build resolves as the vibix build does, and one lock serves both.
        .args(crate_port::patch_args(&std.ported, Some(manifest)))
}

/// `runner run --phase N --manifest-path M`: the kernel, std, the project
/// and an initramfs holding the phase's files and the project's binary.
/// Returns the build and the binary's name.
pub fn build_project(
    ctx: &Ctx,
    n: u32,
    manifest: &Path,
    bin: Option<&str>,
) -> Result<(Built, String)> {
    if n == 0 {
        bail!(
            "phase 0 has no std: a cargo project needs --phase 1 or later (phase 1 is the \
             first with std)"
        );
    }
    let manifest = std::path::absolute(manifest)
        .with_context(|| format!("cannot resolve {}", manifest.display()))?;
    if !manifest.is_file() {
        bail!("{} does not exist", manifest.display());
    }
    let phases = phase::select(&ctx.repo, n)?;
    kbuild::preflight(&ctx.repo, &phases)?;
    toolchain::ensure(&ctx.sh, &ctx.repo, ctx.verbose)?;
    let kernel = kbuild::build_kernel(&ctx.sh, &ctx.repo, n, ctx.verbose)?;
    let Some(std) = prepare_linked(ctx, n, &phases)? else {
        bail!("no phase up to {n} has a std port");
    };
    let mut cmd = vibix_cargo(ctx, &std, &manifest);
    cmd = match bin {
        Some(name) => cmd.args(["--bin", name]),
        None => cmd.arg("--bins"),
    };
    let shown = ctx.repo.rel(&manifest).display().to_string();
    let label = format!("building {shown} for {TARGET} (phase {n}'s std)");
    let built = run_build(ctx, cmd, &manifest, &label)?;
    let (name, path) = match (bin, built.len()) {
        (Some(name), _) => match built.get(name) {
            Some(path) => (name.to_owned(), path.clone()),
            None => bail!("cargo did not build a binary named `{name}`"),
        },
        (None, 1) => built.into_iter().next().expect("one binary"),
        (None, 0) => bail!("{shown} has no binary target"),
        (None, _) => bail!(
            "{shown} has several binaries ({}): choose one with --bin",
            built.keys().cloned().collect::<Vec<_>>().join(", ")
        ),
    };
    crate::cmd_phase::one_program(ctx, n, &phases, kernel, name, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(text: &str) -> Result<Option<String>> {
        let dir = crate::testutil::TempDir::new("linking");
        let path = dir.path().join("Cargo.toml");
        std::fs::write(&path, text).unwrap();
        dynamic_package(&path)
    }

    #[test]
    fn a_package_links_statically_unless_its_manifest_says_dynamic() {
        let head = "[package]\nname = \"p\"\n";
        assert_eq!(manifest(head).unwrap(), None);
        let with = |v: &str| format!("{head}[package.metadata.vibix]\nlinking = {v}\n");
        assert_eq!(manifest(&with("\"static\"")).unwrap(), None);
        assert_eq!(manifest(&with("\"dynamic\"")).unwrap(), Some("p".into()));
        let err = manifest(&with("\"shared\"")).unwrap_err().to_string();
        assert!(err.contains("must be \"static\" or \"dynamic\""), "{err}");
        assert!(manifest(&with("1")).is_err());
    }

    #[test]
    fn the_dynamic_flags_go_to_one_package() {
        let args = dynamic_link_config("phase5-programs", Path::new("/s/lib"));
        assert_eq!(args[0], "-Zprofile-rustflags");
        assert!(
            args[1].starts_with("--config=profile.release.package.phase5-programs.rustflags=[\""),
            "{}",
            args[1]
        );
        assert!(args[1].contains("-Zpre-link-arg=-L/s/lib/dynamic"));
    }
}
