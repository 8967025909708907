//! The sysroot of phase 4 on: what a C compiler needs to build a program
//! for vibix, made from `vibix_libc` (`cargo runner sysroot`).
//!
//! ```text
//! target/sysroot/phase<N>/
//!   include/          the headers, generated from vibix_libc's sources (headers/)
//!   lib/libc.a        vibix_libc's staticlib, built for vibix (-Zbuild-std=core,alloc)
//!   lib/crt1.o        _start: calls __libc_start_main(main, initial stack pointer)
//!   lib/crti.o        _init/_fini's prologues (.init/.fini), as on Linux
//!   lib/crtn.o        their epilogues
//!   lib/libm.a, libpthread.a, librt.a   empty: all of it is in libc.a
//!   lib/libvibix_libc.so                  phase 5 on: the shared library,
//!   lib/dynamic/libc.so                   and the name dynamic links find
//! ```
//!
//! [`cc`] holds the compiler command line (`cargo runner cc`), and
//! [`c_programs`] a phase's C test programs and `run --c`, [`ports`] the
//! real C software built from crates.io packages (`ports.toml`).

pub mod c_dynamic;
pub mod c_programs;
pub mod cc;
pub mod headers;
pub mod ports;
pub mod shared;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::building::std_build::{self, TARGET};
use crate::phase::{self, Phase};
use crate::progress::Progress;
use crate::{Ctx, building::toolchain, step};

/// The first phase with a C library.
pub const FIRST_PHASE: u32 = 4;

/// A built sysroot.
pub struct Sysroot {
    pub dir: PathBuf,
}

impl Sysroot {
    /// Phase `n`'s sysroot, where [`build`] puts it (built or not).
    pub fn of_phase(ctx: &Ctx, n: u32) -> Sysroot {
        Sysroot {
            dir: ctx
                .repo
                .target_dir()
                .join("sysroot")
                .join(format!("phase{n}")),
        }
    }
    pub fn include(&self) -> PathBuf {
        self.dir.join("include")
    }
    pub fn lib(&self) -> PathBuf {
        self.dir.join("lib")
    }
    /// What the initramfs's `/lib` gets from the sysroot: the shared C
    /// library, if this phase has one (phase 5 on).
    pub fn shared_libs(&self) -> std::collections::BTreeMap<String, PathBuf> {
        let so = self.lib().join(shared::SONAME);
        so.is_file()
            .then(|| (shared::SONAME.to_string(), so))
            .into_iter()
            .collect()
    }
}

/// `vibix_libc`'s directory.
pub fn libc_dir(ctx: &Ctx) -> PathBuf {
    ctx.repo.root().join("phases/phase4-libc/vibix_libc")
}

/// The C runtime's sources: `crt1.rs`, `crti.rs`, `crtn.rs`.
pub fn crt_dir(ctx: &Ctx) -> PathBuf {
    ctx.repo.root().join("phases/phase4-libc/crt")
}

/// Checks that phase `n` has a C library (phase 4 or later, landed).
pub fn phases_with_libc(ctx: &Ctx, n: u32) -> Result<Vec<Phase>> {
    if n < FIRST_PHASE {
        bail!(
            "phase {n} has no C library: C programs need --phase {FIRST_PHASE} or later (phase \
             {FIRST_PHASE} is vibix_libc's)"
        );
    }
    phase::select(&ctx.repo, n)
}

/// `cargo runner sysroot [--phase N]`: builds it and prints where it is.
pub fn run(ctx: &Ctx, n: u32) -> Result<()> {
    let sysroot = build(ctx, n)?;
    println!("{}", sysroot.dir.display());
    Ok(())
}

/// Builds phase `n`'s sysroot (cargo rebuilds libc.a only when its sources
/// changed; the headers and the C runtime objects are cheap, and made
/// each time).
pub fn build(ctx: &Ctx, n: u32) -> Result<Sysroot> {
    let phases = phases_with_libc(ctx, n)?;
    cc::ensure_gcc(ctx)?;
    toolchain::ensure(&ctx.sh, &ctx.repo, ctx.verbose)?;
    let sysroot = Sysroot::of_phase(ctx, n);
    let lib = sysroot.lib();
    std::fs::create_dir_all(&lib).with_context(|| format!("cannot create {}", lib.display()))?;

    let progress = Progress::start("generating the C headers from vibix_libc's sources");
    let count = headers::write(
        &headers::Roots::of_repo(ctx.repo.root()),
        &sysroot.include(),
    )?;
    progress.done_with(&format!("{count} headers"));

    let archive = build_libc(ctx, n, &phases, None)?;
    let work = ctx.repo.target_dir().join(format!("phase{n}-libc"));
    let c_only = c_only_archive(ctx, &work, &archive)?;
    copy_if_changed(&c_only, &lib.join("libc.a"))?;
    if n >= shared::FIRST_PHASE {
        let so = shared::build(ctx, n, &phases)?;
        copy_if_changed(&so, &lib.join(shared::SONAME))?;
        let dynamic = lib.join(shared::DYNAMIC_DIR);
        std::fs::create_dir_all(&dynamic)
            .with_context(|| format!("cannot create {}", dynamic.display()))?;
        copy_if_changed(&so, &dynamic.join("libc.so"))?;
    }
    build_crt(ctx, &lib)?;
    for empty in ["libm.a", "libpthread.a", "librt.a", "libdl.a", "libutil.a"] {
        // An archive with no members: `-lm` and friends link, as the
        // functions are all in libc.a (as in glibc 2.34 and later).
        std::fs::write(lib.join(empty), b"!<arch>\n")
            .with_context(|| format!("cannot write {}", lib.join(empty).display()))?;
    }
    Ok(sysroot)
}

pub(crate) fn copy_if_changed(from: &Path, to: &Path) -> Result<()> {
    let new = std::fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
    if std::fs::read(to).is_ok_and(|old| old == new) {
        return Ok(());
    }
    std::fs::write(to, new).with_context(|| format!("cannot write {}", to.display()))
}

// ANCHOR: c_only
/// `libc.a` as a C library: only C names global. vibix_libc's staticlib
/// carries its own Rust runtime (core, alloc, an allocator, a panic
/// handler), and so does a Rust program that links it (phase 4 on, through
/// the `libc` crate): their Rust symbols would clash. So the archive's
/// objects are linked into one (`ld -r`), every Rust symbol in it is made
/// local (`objcopy`: v0 names start `_R`, legacy ones `_ZN`), and that one
/// object is the archive. The two names `vibix_abi` gives `errno`
/// (`__errno_location`, and `__vibix_errno`, the variable) are made weak:
/// in a Rust program std's copy of them wins, and the C library's code
/// reaches the same `errno`. A C program sees no difference.
pub(crate) fn c_only_archive(ctx: &Ctx, work: &Path, staticlib: &Path) -> Result<PathBuf> {
    let object = work.join("libc-c-only.o");
    let archive = work.join("libc-c-only.a");
    let _ = std::fs::remove_file(&archive);
    let sh = &ctx.sh;
    xshell::cmd!(sh, "ld -r --whole-archive {staticlib} -o {object}")
        .quiet()
        .run()
        .context("cannot link vibix_libc's objects into one (`ld -r`; binutils)")?;
    xshell::cmd!(
        sh,
        "objcopy --wildcard --localize-symbol=_R* --localize-symbol=_ZN*
            --weaken-symbol=__errno_location --weaken-symbol=__vibix_errno {object}"
    )
    .quiet()
    .run()
    .context("cannot make vibix_libc's Rust symbols local (`objcopy`; binutils)")?;
    xshell::cmd!(sh, "ar rcsD {archive} {object}")
        .quiet()
        .run()
        .context("cannot archive vibix_libc (`ar`; binutils)")?;
    Ok(archive)
}
// ANCHOR_END: c_only

// ANCHOR: libc_build
/// `libvibix_libc.a` for vibix: core and alloc built from the phase's
/// patched `library/` (`__CARGO_TESTS_ONLY_SRC_ROOT`, as for std), panics
/// abort (no unwinder in a C program), in a target dir of its own. With
/// `pic`, the position-independent build for the shared library
/// ([`shared`]): the target spec it names, and the feature `shared`.
pub(crate) fn build_libc(
    ctx: &Ctx,
    n: u32,
    phases: &[Phase],
    pic: Option<&Path>,
) -> Result<PathBuf> {
    let Some(std) = std_build::prepare(ctx, n, phases)? else {
        bail!("phase {n} has no std port: vibix_libc is built with its target spec and library");
    };
    let (target_dir, target_json, what) = match pic {
        None => (
            ctx.repo.target_dir().join(format!("phase{n}-libc")),
            std.target_json.clone(),
            "libc.a",
        ),
        Some(spec) => (
            ctx.repo.target_dir().join(format!("phase{n}-libc-pic")),
            shared::write_pic_spec(&std.target_json, spec)?,
            "position-independent, for libvibix_libc.so",
        ),
    };
    let manifest = libc_dir(ctx).join("Cargo.toml");
    let mut cmd = toolchain::tool(&ctx.sh, "cargo")
        .env("RUSTUP_TOOLCHAIN", &std.channel)
        .env("CARGO_TARGET_DIR", &target_dir)
        .env("__CARGO_TESTS_ONLY_SRC_ROOT", &std.library)
        .arg("build")
        .arg("--release")
        .arg("--manifest-path")
        .arg(&manifest)
        .arg("--target")
        .arg(&target_json)
        .args([
            "-Zjson-target-spec",
            "-Zbuild-std=core,alloc",
            // memcpy and friends for core's own use until the library's
            // string functions define them (theirs win: these are weak).
            "-Zbuild-std-features=compiler-builtins-mem",
            "--config=build.rustflags=[\"-Cpanic=abort\"]",
            "--config=profile.release.panic=\"abort\"",
        ]);
    if pic.is_some() {
        cmd = cmd.args(["--features", "shared"]);
    }
    let _dir = ctx.sh.push_dir(ctx.repo.root());
    step::run(
        cmd,
        &format!("building vibix_libc for {TARGET} ({what})"),
        ctx.verbose,
    )?;
    let archive = target_dir
        .join(TARGET)
        .join("release")
        .join("libvibix_libc.a");
    if !archive.is_file() {
        bail!(
            "cargo built vibix_libc, but {} is missing",
            archive.display()
        );
    }
    Ok(archive)
}
// ANCHOR_END: libc_build

/// `crt1.o`, `crti.o`, `crtn.o`: each a `#![no_std]` Rust file of global
/// assembly, compiled to an object with `rustc --emit=obj`.
fn build_crt(ctx: &Ctx, lib: &Path) -> Result<()> {
    let dir = crt_dir(ctx);
    let progress = Progress::start("compiling crt1.o, crti.o, crtn.o");
    for name in ["crt1", "crti", "crtn"] {
        let src = dir.join(format!("{name}.rs"));
        let obj = lib.join(format!("{name}.o"));
        let out = toolchain::tool(&ctx.sh, "rustc")
            .args(["--edition=2024", "--crate-type=lib", "--crate-name", name])
            .args(["--target", "x86_64-unknown-none"])
            .args([
                "-C",
                "panic=abort",
                "-C",
                "relocation-model=static",
                "-C",
                "opt-level=2",
            ])
            .arg(format!("--emit=obj={}", obj.display()))
            .arg(&src)
            .ignore_status()
            .output()
            .with_context(|| format!("cannot run rustc on {}", src.display()))?;
        if !out.status.success() {
            bail!(
                "rustc failed on {}:\n{}",
                ctx.repo.rel(&src).display(),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    progress.done();
    Ok(())
}
