//! C programs on vibix: a phase's test programs (`phases/phase<N>-*/c/*.c`,
//! one file each, named after its stem: `c-string.c` → `/bin/c-string`;
//! headers beside them, such as `check.h`, are shared by several),
//! compiled twice, for vibix against the sysroot and for the host with
//! plain `gcc -O2` against glibc (the Linux oracle); and the C files of
//! `cargo runner run --phase N --c FILE.c`. Programs in `c/static/` are
//! linked statically on the host too (`gcc -static`), for comparisons
//! where the Linux build must be static as well, such as a static
//! program's start-up against a dynamic one's (`c/dynamic/`,
//! [`super::c_dynamic`]). A phase's real C software (`ports.toml`,
//! [`super::ports`]) is built with its test programs.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::cc;
use crate::Ctx;
use crate::building::std_build::StdPrograms;
use crate::building::{kbuild, toolchain};
use crate::cmd_phase::Built;
use crate::phase::Phase;
use crate::progress::Progress;

/// A phase's C test programs: `c/*.c`, sorted.
pub fn sources(phase: &Phase) -> Result<Vec<PathBuf>> {
    sources_in(&phase.dir.join("c"))
}

/// The C programs linked statically on the host too: `c/static/*.c`.
pub fn static_sources(phase: &Phase) -> Result<Vec<PathBuf>> {
    sources_in(&phase.dir.join("c/static"))
}

/// The `*.c` files of `dir` (none if it does not exist), sorted.
fn sources_in(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "c") {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

fn stem(path: &Path) -> Result<String> {
    path.file_stem()
        .and_then(|s| s.to_str())
        .map(String::from)
        .with_context(|| format!("{} has no usable name", path.display()))
}

/// Builds the C programs of every phase in `phases` against phase `n`'s
/// `sysroot`, for vibix and for the host.
pub fn build_phase_programs(
    ctx: &Ctx,
    n: u32,
    phases: &[Phase],
    sysroot: Option<&super::Sysroot>,
) -> Result<StdPrograms> {
    let mut all = StdPrograms::default();
    let (mut files, mut static_files) = (Vec::new(), Vec::new());
    for phase in phases {
        files.extend(sources(phase)?);
        static_files.extend(static_sources(phase)?);
    }
    let has_ports = phases.iter().any(|p| p.dir.join("ports.toml").is_file());
    let has_dynamic = phases
        .iter()
        .any(|p| p.dir.join("c/dynamic").is_dir() || p.dir.join("c/shared").is_dir());
    if files.is_empty() && static_files.is_empty() && !has_ports && !has_dynamic {
        return Ok(all);
    }
    let Some(sysroot) = sysroot else {
        bail!(
            "phase {n} has C programs but no C library (phase {} is the first with one)",
            super::FIRST_PHASE
        );
    };
    let out = ctx.repo.target_dir().join(format!("phase{n}-c"));
    let (vibix_dir, host_dir) = (out.join("vibix"), out.join("host"));
    for dir in [&vibix_dir, &host_dir] {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let progress = Progress::start(format!(
        "building {} C program{} for vibix and for the host",
        files.len() + static_files.len(),
        if files.len() + static_files.len() == 1 {
            ""
        } else {
            "s"
        }
    ));
    let linked = files.iter().map(|f| (f, false));
    for (file, host_static) in linked.chain(static_files.iter().map(|f| (f, true))) {
        let name = stem(file)?;
        let vibix = vibix_dir.join(&name);
        let host = host_dir.join(&name);
        cc::build_for_vibix(sysroot, std::slice::from_ref(file), &vibix)?;
        if host_static {
            cc::build_for_host_static(std::slice::from_ref(file), &host)?;
        } else {
            cc::build_for_host(std::slice::from_ref(file), &host)?;
        }
        all.vibix.insert(name.clone(), vibix);
        all.host.insert(name, host);
    }
    progress.done();
    if has_dynamic {
        let progress = Progress::start("building the dynamically linked C programs");
        let dynamic = super::c_dynamic::build(sysroot, phases, &out)?;
        progress.done();
        all.vibix.extend(dynamic.vibix);
        all.host.extend(dynamic.host);
        all.libs.extend(dynamic.libs);
    }
    let (vibix, host) = super::ports::build(ctx, sysroot, phases, &out)?;
    all.vibix.extend(vibix);
    all.host.extend(host);
    Ok(all)
}

/// `runner run --phase N --c FILE.c…`: the kernel, the sysroot, the program
/// (named after the first file) and an initramfs with the phases' files.
pub fn build_run(ctx: &Ctx, n: u32, files: &[PathBuf]) -> Result<(Built, String)> {
    let phases = super::phases_with_libc(ctx, n)?;
    let Some(first) = files.first() else {
        bail!("--c needs a C file");
    };
    let files: Vec<PathBuf> = files
        .iter()
        .map(|f| std::path::absolute(f).with_context(|| format!("cannot resolve {}", f.display())))
        .collect::<Result<_>>()?;
    for f in &files {
        if !f.is_file() {
            bail!("{} does not exist", f.display());
        }
    }
    let name = stem(first)?;
    kbuild::preflight(&ctx.repo, &phases)?;
    toolchain::ensure(&ctx.sh, &ctx.repo, ctx.verbose)?;
    let kernel = kbuild::build_kernel(&ctx.sh, &ctx.repo, n, ctx.verbose)?;
    let sysroot = super::build(ctx, n)?;
    let work = ctx.repo.target_dir().join(format!("phase{n}-run"));
    let binary = work.join("c").join(&name);
    std::fs::create_dir_all(work.join("c"))?;
    let progress = Progress::start(format!("compiling /bin/{name} for vibix"));
    cc::build_for_vibix(&sysroot, &files, &binary)?;
    progress.done();
    crate::cmd_phase::one_program(ctx, n, &phases, kernel, name, binary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::TempDir;

    #[test]
    fn one_program_per_c_file() {
        let tmp = TempDir::new("c-programs");
        let phase = Phase {
            number: 4,
            dir: tmp.path().to_path_buf(),
        };
        assert!(sources(&phase).unwrap().is_empty(), "no c/ directory");
        std::fs::create_dir_all(tmp.path().join("c")).unwrap();
        for f in ["c-b.c", "c-a.c", "notes.txt", "util.h"] {
            std::fs::write(tmp.path().join("c").join(f), "").unwrap();
        }
        let found = sources(&phase).unwrap();
        let names: Vec<String> = found.iter().map(|p| stem(p).unwrap()).collect();
        assert_eq!(names, ["c-a", "c-b"]);
    }

    #[test]
    fn static_programs_are_in_c_static() {
        let tmp = TempDir::new("c-static");
        let phase = Phase {
            number: 5,
            dir: tmp.path().to_path_buf(),
        };
        std::fs::create_dir_all(tmp.path().join("c/static")).unwrap();
        std::fs::write(tmp.path().join("c/a.c"), "").unwrap();
        std::fs::write(tmp.path().join("c/static/b.c"), "").unwrap();
        let names =
            |v: Vec<PathBuf>| -> Vec<String> { v.iter().map(|p| stem(p).unwrap()).collect() };
        assert_eq!(names(sources(&phase).unwrap()), ["a"]);
        assert_eq!(names(static_sources(&phase).unwrap()), ["b"]);
    }

    #[test]
    fn a_static_host_build_has_no_interpreter() {
        let tmp = TempDir::new("c-static-host");
        let src = tmp.path().join("hello.c");
        std::fs::write(&src, "int main(void) { return 0; }\n").unwrap();
        let interp = |out: &Path| {
            let data = std::fs::read(out).unwrap();
            let file = elf::ElfBytes::<elf::endian::AnyEndian>::minimal_parse(&data).unwrap();
            file.segments()
                .unwrap()
                .iter()
                .any(|p| p.p_type == elf::abi::PT_INTERP)
        };
        let (dynamic, fixed) = (tmp.path().join("dynamic"), tmp.path().join("static"));
        cc::build_for_host(std::slice::from_ref(&src), &dynamic).unwrap();
        cc::build_for_host_static(std::slice::from_ref(&src), &fixed).unwrap();
        assert!(interp(&dynamic), "gcc's default build names ld.so");
        assert!(!interp(&fixed), "a static build names no interpreter");
    }

    #[test]
    fn the_repository_has_phase_4_programs() {
        let repo = crate::repo::Repo::discover().unwrap();
        let phase = Phase {
            number: 4,
            dir: repo.root().join("phases/phase4-libc"),
        };
        let names: Vec<String> = sources(&phase)
            .unwrap()
            .iter()
            .map(|p| stem(p).unwrap())
            .collect();
        assert!(names.contains(&"c-hello".to_string()), "{names:?}");
    }
}
