//! The shared C library, phase 5 on: `libvibix_libc.so`, the same
//! `vibix_libc` built position-independent and linked as a shared object,
//! which dynamically linked programs load through the dynamic linker.
//!
//! ```text
//! target/phase<N>-pic-spec/x86_64-unknown-vibix.json   the PIC variant of the target (T-A3)
//! target/phase<N>-libc-pic/…/libvibix_libc.a           vibix_libc, --features shared, PIC
//! target/phase<N>-libc-pic/libvibix_libc.so            ld -shared of its C-only object
//! ```
//!
//! No target spec is copied between phases: the PIC variant is derived
//! from the phase's own spec (phase 4's, which stays static non-PIE, the
//! default of every program: T-B1) by [`pic_spec`], written into `target/`.
//! The soname is `libvibix_libc.so`; the sysroot has it as
//! `lib/libvibix_libc.so` and as `lib/dynamic/libc.so`, which `-lc` finds
//! in a dynamic link (`cc --dynamic`); a program linked so names it in
//! `DT_NEEDED`, and the initramfs has it at `/lib/libvibix_libc.so`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::Ctx;
use crate::building::std_build::TARGET;
use crate::phase::Phase;
use crate::progress::Progress;

/// The first phase with a shared C library (and a dynamic linker).
pub const FIRST_PHASE: u32 = 5;

/// The shared library's soname, and its file name in `/lib`.
pub const SONAME: &str = "libvibix_libc.so";

/// Where in the sysroot's `lib/` the name `libc.so` is: a directory of its
/// own, which only dynamic and shared links search (`-L`) before `lib/`.
/// In `lib/` itself it would be what `-lc` finds first for every link that
/// is not `-static`, Rust programs' included (rustc links `-Bdynamic
/// -lc`): static stays the default (T-B1) because only these links see it.
pub const DYNAMIC_DIR: &str = "dynamic";

/// The dynamic linker's path, every dynamic program's `PT_INTERP`.
pub const INTERPRETER: &str = "/lib/ld-vibix.so";
// ANCHOR: program_ld_flags
/// The linker flags of every dynamically linked program, C or Rust: its
/// interpreter (`PT_INTERP`), every symbol bound at start-up (`-z now`: no
/// lazy binding, so the GOT can be read-only after relocation), and
/// undefined symbols allowed in the shared objects it links against:
/// libvibix_libc.so calls what ld-vibix exports (`vibix_uapi::dl`), which
/// no file on the link line defines, since the dynamic linker is in every
/// process's scope at run time.
pub fn program_ld_flags() -> [String; 3] {
    [
        format!("--dynamic-linker={INTERPRETER}"),
        "-znow".into(),
        "--allow-shlib-undefined".into(),
    ]
}
// ANCHOR_END: program_ld_flags

/// The rustc flags that link a Rust package's binaries against the shared
/// C library of the sysroot `lib` (`-lc`, which the `libc` crate asks for,
/// then finds `lib/dynamic/libc.so` first: a linker argument ahead of
/// rustc's own search path) with [`program_ld_flags`].
pub fn rust_program_flags(lib: &Path) -> Vec<String> {
    let mut out = vec![format!(
        "-Zpre-link-arg=-L{}",
        lib.join(DYNAMIC_DIR).display()
    )];
    out.extend(program_ld_flags().map(|f| format!("-Clink-arg={f}")));
    out
}

/// The phase-5 program that is the dynamic linker, and its file in `/lib`.
pub const LINKER_PROGRAM: &str = "ld-vibix";
pub const LINKER_FILE: &str = "ld-vibix.so";

// ANCHOR: pic_spec
/// The position-independent variant of a target spec (finding T-A3): code
/// that may be loaded at any address (`relocation-model: pic`), objects
/// that may be linked as or against shared objects (`dynamic-linking`),
/// executables that may be PIEs, and no fixed image base (the static
/// spec's `--image-base` is for `ET_EXEC` programs only). Everything else,
/// the TLS model included (`initial-exec`: finding A-A2, every object is
/// loaded at start-up), stays the spec's.
pub fn pic_spec(spec: &str) -> Result<String> {
    let mut json: serde_json::Value =
        serde_json::from_str(spec).context("the target spec is not JSON")?;
    let Some(map) = json.as_object_mut() else {
        bail!("the target spec is not a JSON object");
    };
    map.insert("relocation-model".into(), "pic".into());
    map.insert("dynamic-linking".into(), true.into());
    map.insert("position-independent-executables".into(), true.into());
    map.remove("pre-link-args");
    if let Some(meta) = map
        .get_mut("metadata")
        .and_then(serde_json::Value::as_object_mut)
    {
        meta.insert(
            "description".into(),
            "vibix, position-independent: shared objects (derived from the static spec)".into(),
        );
    }
    Ok(serde_json::to_string_pretty(&json)? + "\n")
}
// ANCHOR_END: pic_spec

/// Writes [`pic_spec`] of the spec at `base` as `dir/<target>.json` (rustc
/// names a target after its file) and returns its path.
pub fn write_pic_spec(base: &Path, dir: &Path) -> Result<PathBuf> {
    let spec =
        std::fs::read_to_string(base).with_context(|| format!("cannot read {}", base.display()))?;
    let pic = pic_spec(&spec).with_context(|| format!("in {}", base.display()))?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(format!("{TARGET}.json"));
    if std::fs::read_to_string(&path).is_ok_and(|old| old == pic) {
        return Ok(path);
    }
    std::fs::write(&path, pic).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

// ANCHOR: link_args
/// `ld`'s arguments for the shared library from its C-only object: the
/// soname, eager binding (`-z now`, so all of the GOT is in `PT_GNU_RELRO`),
/// no text relocations (`-z text`: W^X, finding S-A5), both hash tables,
/// unused sections dropped (the exported C functions are the roots).
pub fn link_args(object: &Path, out: &Path) -> Vec<String> {
    [
        "-shared",
        "-soname",
        SONAME,
        "-z",
        "now",
        "-z",
        "relro",
        "-z",
        "text",
        "-z",
        "noexecstack",
        "--hash-style=both",
        "--gc-sections",
        "-o",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([out.display().to_string(), object.display().to_string()])
    .collect()
}
// ANCHOR_END: link_args

/// Builds `libvibix_libc.so` for phase `n` and returns its path.
pub fn build(ctx: &Ctx, n: u32, phases: &[Phase]) -> Result<PathBuf> {
    let spec_dir = ctx.repo.target_dir().join(format!("phase{n}-pic-spec"));
    let staticlib = super::build_libc(ctx, n, phases, Some(&spec_dir))?;
    let work = ctx.repo.target_dir().join(format!("phase{n}-libc-pic"));
    let archive = super::c_only_archive(ctx, &work, &staticlib)?;
    let object = work.join("libc-c-only.o");
    let out = work.join(SONAME);
    let progress = Progress::start(format!("linking {SONAME}"));
    let status = std::process::Command::new("ld")
        .args(link_args(&object, &out))
        .status()
        .context("cannot run ld (binutils)")?;
    if !status.success() {
        bail!("ld could not link {SONAME} from {}", archive.display());
    }
    progress.done();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pic_spec_is_the_static_one_made_position_independent() {
        let repo = crate::repo::Repo::discover().unwrap();
        let base = std::fs::read_to_string(
            repo.root()
                .join("phases/phase4-libc")
                .join(format!("{TARGET}.json")),
        )
        .unwrap();
        let before: serde_json::Value = serde_json::from_str(&base).unwrap();
        assert_eq!(before["relocation-model"], "static", "T-B1: the default");
        let pic: serde_json::Value = serde_json::from_str(&pic_spec(&base).unwrap()).unwrap();
        assert_eq!(pic["relocation-model"], "pic");
        assert_eq!(pic["dynamic-linking"], true);
        assert!(pic.get("pre-link-args").is_none(), "no fixed image base");
        for same in [
            "tls-model",
            "os",
            "data-layout",
            "panic-strategy",
            "features",
        ] {
            assert_eq!(pic[same], before[same], "{same}");
        }
    }

    #[test]
    fn a_rust_program_finds_the_shared_library_first() {
        let flags = rust_program_flags(Path::new("/s/lib"));
        assert_eq!(flags[0], "-Zpre-link-arg=-L/s/lib/dynamic");
        assert!(flags.contains(&"-Clink-arg=--dynamic-linker=/lib/ld-vibix.so".to_string()));
        assert!(flags.contains(&"-Clink-arg=-znow".to_string()));
    }

    #[test]
    fn the_library_is_linked_without_text_relocations() {
        let args = link_args(Path::new("c.o"), Path::new("l.so"));
        let at = |s: &str| args.iter().position(|a| a == s).unwrap();
        assert_eq!(args[at("-soname") + 1], SONAME);
        assert!(args.windows(2).any(|w| w == ["-z", "text"]));
        assert!(args.windows(2).any(|w| w == ["-z", "now"]));
        assert!(at("-o") + 1 == at("l.so"));
    }
}
