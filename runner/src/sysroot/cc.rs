//! The C compiler for vibix: the host's gcc with the sysroot's headers,
//! C runtime and library in place of glibc's (`cargo runner cc -- ARGS`).
//!
//! ```text
//! gcc -std=gnu11 -nostdinc -isystem <sysroot>/include -fno-pic -fno-stack-protector
//!     ARGS                                        (compiling: -c, -S, -E, -M…)
//! gcc … -static -nostdlib -no-pie <lib>/crt1.o <lib>/crti.o ARGS
//!     -L<lib> -lc -lgcc <lib>/crtn.o -Wl,--gc-sections   (linking)
//! ```
//!
//! Builtins stay on, as with glibc: `printf("x\n")` may become `puts`,
//! `memcpy` of a constant size inline code, which the library provides.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use super::Sysroot;
use crate::Ctx;

/// Whether gcc is there; if not, how to get it.
pub fn ensure_gcc(ctx: &Ctx) -> Result<()> {
    if ctx
        .sh
        .cmd("gcc")
        .arg("--version")
        .quiet()
        .ignore_stdout()
        .ignore_stderr()
        .run()
        .is_err()
    {
        bail!(
            "gcc is not installed: C programs for vibix are compiled with the host's gcc \
             (Debian/Ubuntu: `apt-get install gcc`)"
        );
    }
    Ok(())
}

/// The flags of every compilation for vibix.
pub fn compile_flags(sysroot: &Sysroot) -> Vec<String> {
    vec![
        "-std=gnu11".into(),
        "-nostdinc".into(),
        "-isystem".into(),
        sysroot.include().display().to_string(),
        "-fno-pic".into(),
        "-fno-stack-protector".into(),
        // Our headers are not glibc's: no `_FORTIFY_SOURCE` wrappers.
        "-U_FORTIFY_SOURCE".into(),
    ]
}

/// Whether `args` ask gcc to stop before linking.
pub fn compiles_only(args: &[String]) -> bool {
    args.iter().any(|a| {
        matches!(
            a.as_str(),
            "-c" | "-S" | "-E" | "-M" | "-MM" | "-fsyntax-only"
        )
    })
}

/// gcc's whole argument list for `args`: the flags, and around `args` the
/// C runtime and the library when it links.
pub fn gcc_args(sysroot: &Sysroot, args: &[String]) -> Vec<String> {
    let mut out = compile_flags(sysroot);
    if compiles_only(args) {
        out.extend(args.iter().cloned());
        return out;
    }
    let lib = sysroot.lib();
    let obj = |name: &str| lib.join(name).display().to_string();
    out.extend(["-static".into(), "-nostdlib".into(), "-no-pie".into()]);
    out.push(obj("crt1.o"));
    out.push(obj("crti.o"));
    out.extend(args.iter().cloned());
    out.push(format!("-L{}", lib.display()));
    out.extend(["-lc".into(), "-lgcc".into()]);
    out.push(obj("crtn.o"));
    out.push("-Wl,--gc-sections".into());
    out
}

/// `cargo runner cc --phase N -- ARGS`: gcc for vibix; exits with gcc's
/// status.
pub fn run(ctx: &Ctx, n: u32, args: &[String]) -> Result<ExitCode> {
    let sysroot = super::build(ctx, n)?;
    let full = gcc_args(&sysroot, args);
    if ctx.verbose {
        eprintln!("$ gcc {}", full.join(" "));
    }
    let status = std::process::Command::new("gcc")
        .args(&full)
        .status()
        .context("cannot run gcc")?;
    Ok(ExitCode::from(
        status.code().map_or(1, |c| u8::try_from(c).unwrap_or(1)),
    ))
}

/// Compiles and links C `sources` into `out` for vibix, at `-O2`; gcc's
/// messages are the error.
pub fn build_for_vibix(
    sysroot: &Sysroot,
    sources: &[PathBuf],
    out: &std::path::Path,
) -> Result<()> {
    let mut args: Vec<String> = vec!["-O2".into(), "-o".into(), out.display().to_string()];
    args.extend(sources.iter().map(|s| s.display().to_string()));
    args.extend(LIBS.map(String::from));
    gcc(&gcc_args(sysroot, &args), sources, "vibix")
}

/// The libraries every test program links, as a C program using `<math.h>`
/// and `<pthread.h>` would name them (in the sysroot both are empty: the
/// functions are `libc.a`'s, as in musl and glibc 2.34+).
pub const LIBS: [&str; 2] = ["-lm", "-lpthread"];

/// Compiles C `sources` into `out` for the host, as any Linux program is
/// built (`gcc -O2`, glibc): the Linux oracle.
pub fn build_for_host(sources: &[PathBuf], out: &std::path::Path) -> Result<()> {
    let mut args: Vec<String> = vec!["-O2".into(), "-o".into(), out.display().to_string()];
    args.extend(sources.iter().map(|s| s.display().to_string()));
    args.extend(LIBS.map(String::from));
    gcc(&args, sources, "the host (glibc)")
}

/// Runs gcc with `args`; on failure, its messages (naming `sources`) are
/// the error.
pub fn gcc(args: &[String], sources: &[PathBuf], what: &str) -> Result<()> {
    let out = std::process::Command::new("gcc")
        .args(args)
        .output()
        .context("cannot run gcc")?;
    if !out.status.success() {
        let files: Vec<String> = sources.iter().map(|s| s.display().to_string()).collect();
        bail!(
            "gcc could not build {} for {what}:\n{}\n(gcc {})",
            files.join(" "),
            String::from_utf8_lossy(&out.stderr).trim_end(),
            args.join(" ")
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sysroot() -> Sysroot {
        Sysroot {
            dir: PathBuf::from("/s"),
        }
    }

    #[test]
    fn links_with_the_runtime() {
        let args = gcc_args(&sysroot(), &["-O2".into(), "a.c".into(), "-lm".into()]);
        let at = |s: &str| {
            args.iter()
                .position(|a| a == s)
                .unwrap_or_else(|| panic!("{s} in {args:?}"))
        };
        assert!(at("-nostdinc") < at("a.c"));
        assert!(at("/s/lib/crt1.o") < at("/s/lib/crti.o"));
        assert!(at("/s/lib/crti.o") < at("a.c"));
        assert!(at("a.c") < at("-lm") && at("-lm") < at("-lc"));
        assert!(at("-lc") < at("/s/lib/crtn.o"));
        assert_eq!(args[at("-isystem") + 1], "/s/include");
    }

    #[test]
    fn compiles_without_linking() {
        let args = gcc_args(&sysroot(), &["-c".into(), "a.c".into()]);
        assert!(
            !args.iter().any(|a| a.contains("crt1") || a == "-lc"),
            "{args:?}"
        );
        assert!(args.contains(&"-nostdinc".to_string()));
    }
}
