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
//! Phase 5 on, two more ways to link ([`Linking`]): a program linked
//! dynamically (`cargo runner cc --dynamic`: no `-static`, `PT_INTERP`
//! naming `/lib/ld-vibix.so`, `DT_NEEDED` naming `libvibix_libc.so`; still
//! not a PIE, T-B1), and a shared object (`-shared` among the arguments:
//! compiled with `-fPIC`, no `crt1.o`). Static stays the default.
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

// ANCHOR: linking
/// How a program is linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Linking {
    /// Static, not position-independent: `libc.a` (every phase's default).
    Static,
    /// A program linked against `libvibix_libc.so`, started by the
    /// dynamic linker (phase 5 on); not position-independent either.
    Dynamic,
    /// A shared object (`-shared`): position-independent code.
    Shared,
}

impl Linking {
    /// `-shared` among gcc's arguments makes a shared object whatever was
    /// asked; otherwise `dynamic` chooses.
    pub fn of(args: &[String], dynamic: bool) -> Linking {
        if args.iter().any(|a| a == "-shared") {
            Linking::Shared
        } else if dynamic {
            Linking::Dynamic
        } else {
            Linking::Static
        }
    }
}
// ANCHOR_END: linking

/// The flags of a compilation for vibix linked as `linking` says.
pub fn compile_flags_for(sysroot: &Sysroot, linking: Linking) -> Vec<String> {
    vec![
        "-std=gnu11".into(),
        "-nostdinc".into(),
        "-isystem".into(),
        sysroot.include().display().to_string(),
        if linking == Linking::Shared {
            "-fPIC".into()
        } else {
            "-fno-pic".into()
        },
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
    gcc_args_for(sysroot, args, Linking::Static)
}

/// [`gcc_args`] for a link of the kind `linking` says.
pub fn gcc_args_for(sysroot: &Sysroot, args: &[String], linking: Linking) -> Vec<String> {
    let mut out = compile_flags_for(sysroot, linking);
    if compiles_only(args) {
        out.extend(args.iter().cloned());
        return out;
    }
    let lib = sysroot.lib();
    let obj = |name: &str| lib.join(name).display().to_string();
    match linking {
        Linking::Static => {
            out.extend(["-static".into(), "-nostdlib".into(), "-no-pie".into()]);
            out.push(obj("crt1.o"));
        }
        Linking::Dynamic => {
            out.extend(["-nostdlib".into(), "-no-pie".into()]);
            out.extend(super::shared::program_ld_flags().map(|f| format!("-Wl,{f}")));
            out.push(obj("crt1.o"));
        }
        Linking::Shared => {
            out.extend(["-nostdlib".into(), "-Wl,-z,now".into()]);
        }
    }
    out.push(obj("crti.o"));
    out.extend(args.iter().cloned());
    if linking != Linking::Static {
        // `libc.so` is found only by dynamic links (`shared::DYNAMIC_DIR`).
        out.push(format!(
            "-L{}",
            lib.join(super::shared::DYNAMIC_DIR).display()
        ));
    }
    out.push(format!("-L{}", lib.display()));
    out.extend(["-lc".into(), "-lgcc".into()]);
    out.push(obj("crtn.o"));
    out.push("-Wl,--gc-sections".into());
    out
}

/// `cargo runner cc --phase N [--dynamic] -- ARGS`: gcc for vibix; exits
/// with gcc's status.
pub fn run(ctx: &Ctx, n: u32, dynamic: bool, args: &[String]) -> Result<ExitCode> {
    let linking = Linking::of(args, dynamic);
    if linking != Linking::Static && n < super::shared::FIRST_PHASE {
        bail!(
            "phase {n} has no shared C library: dynamic linking needs --phase {} or later",
            super::shared::FIRST_PHASE
        );
    }
    let sysroot = super::build(ctx, n)?;
    let full = gcc_args_for(&sysroot, args, linking);
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

/// [`build_for_host`], linked statically (`gcc -static`, glibc's `libc.a`).
pub fn build_for_host_static(sources: &[PathBuf], out: &std::path::Path) -> Result<()> {
    let mut args: Vec<String> = vec!["-O2".into(), "-static".into(), "-o".into()];
    args.push(out.display().to_string());
    args.extend(sources.iter().map(|s| s.display().to_string()));
    args.extend(LIBS.map(String::from));
    gcc(&args, sources, "the host (glibc, static)")
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
    fn links_dynamically_or_as_a_shared_object() {
        let args = gcc_args_for(&sysroot(), &["a.c".into()], Linking::Dynamic);
        assert!(!args.contains(&"-static".to_string()), "{args:?}");
        assert!(args.contains(&"-no-pie".to_string()), "T-B1: not a PIE");
        assert!(args.contains(&"-Wl,--dynamic-linker=/lib/ld-vibix.so".to_string()));
        assert!(args.contains(&"/s/lib/crt1.o".to_string()));
        let dynamic_dir = args.iter().position(|a| a == "-L/s/lib/dynamic").unwrap();
        let lib_dir = args.iter().position(|a| a == "-L/s/lib").unwrap();
        assert!(dynamic_dir < lib_dir, "libc.so before libc.a");
        let static_args = gcc_args(&sysroot(), &["a.c".into()]);
        assert!(!static_args.iter().any(|a| a.ends_with("/dynamic")), "T-B1");
        let so: Vec<String> = vec!["-shared".into(), "a.c".into()];
        assert_eq!(Linking::of(&so, false), Linking::Shared);
        let args = gcc_args_for(&sysroot(), &so, Linking::Shared);
        assert!(args.contains(&"-fPIC".to_string()), "{args:?}");
        assert!(!args.iter().any(|a| a.contains("crt1") || a == "-static"));
        assert_eq!(Linking::of(&["a.c".into()], false), Linking::Static);
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
