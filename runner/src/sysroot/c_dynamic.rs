//! A phase's dynamically linked C test programs and the shared objects
//! they use (phase 5 on), beside the static ones of `c/`:
//!
//! ```text
//! c/shared/lib<name>.c  → lib<name>.so: for vibix with -shared (PIC), in
//!                         the initramfs's /lib; for the host, with glibc;
//!                         linked, as needed, against the ones before it
//!                         by name
//! c/dynamic/<prog>.c    → /bin/<prog>: for vibix linked against
//!                         libvibix_libc.so and, as needed, the shared
//!                         objects (PT_INTERP /lib/ld-vibix.so); for the
//!                         host, a dynamic glibc program that finds them
//!                         through its run path
//! ```
//!
//! A program that should also be compared with its static build has a
//! static twin in `c/`, a file that `#include`s the dynamic one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::Sysroot;
use super::cc::{self, Linking};
use crate::phase::Phase;

/// The `.c` files of `phase`'s `c/<sub>/`, sorted.
pub fn sources(phase: &Phase, sub: &str) -> Result<Vec<PathBuf>> {
    let dir = phase.dir.join("c").join(sub);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in
        std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?
    {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "c") {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// What was built: programs for vibix and for the host, and the shared
/// objects for vibix's `/lib`.
#[derive(Default)]
pub struct Built {
    pub vibix: BTreeMap<String, PathBuf>,
    pub host: BTreeMap<String, PathBuf>,
    pub libs: BTreeMap<String, PathBuf>,
}

// ANCHOR: libs_args
/// The arguments that link a program against every shared object in `dir`
/// named by `libs` (only those it uses end up in its `DT_NEEDED`).
pub fn libs_args(dir: &Path, libs: &[String]) -> Vec<String> {
    let mut out = vec![format!("-L{}", dir.display()), "-Wl,--as-needed".into()];
    for l in libs {
        let name = l.strip_prefix("lib").unwrap_or(l);
        out.push(format!("-l{name}"));
    }
    out.push("-Wl,--no-as-needed".into());
    out
}
// ANCHOR_END: libs_args

/// Builds the shared objects and dynamic programs of `phases` into `out`
/// (`vibix/`, `host/`; shared objects in their `lib/`).
pub fn build(sysroot: &Sysroot, phases: &[Phase], out: &Path) -> Result<Built> {
    let mut built = Built::default();
    let (mut shared_src, mut programs) = (Vec::new(), Vec::new());
    for phase in phases {
        shared_src.extend(sources(phase, "shared")?);
        programs.extend(sources(phase, "dynamic")?);
    }
    if shared_src.is_empty() && programs.is_empty() {
        return Ok(built);
    }
    let (vibix_lib, host_lib) = (out.join("vibix/lib"), out.join("host/lib"));
    for dir in [&vibix_lib, &host_lib] {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut names = Vec::new();
    for src in &shared_src {
        let name = stem(src);
        let file = format!("{name}.so");
        let (v, h) = (vibix_lib.join(&file), host_lib.join(&file));
        // Linked, as needed, against the shared objects before it (by
        // name): `libdlorder_b` needs `libdlorder_a`.
        let mut args: Vec<String> = ["-O2", "-shared", "-fPIC", "-o"]
            .iter()
            .map(|s| s.to_string())
            .chain([v.display().to_string(), src.display().to_string()])
            .collect();
        args.extend(libs_args(&vibix_lib, &names));
        let full = cc::gcc_args_for(sysroot, &args, Linking::Shared);
        cc::gcc(&full, std::slice::from_ref(src), "vibix")?;
        let mut host: Vec<String> = ["-O2", "-shared", "-fPIC", "-o"]
            .iter()
            .map(|s| s.to_string())
            .chain([h.display().to_string(), src.display().to_string()])
            .collect();
        host.extend(libs_args(&host_lib, &names));
        // glibc looks for a library's own needs with its own run path.
        host.push(format!("-Wl,-rpath,{}", host_lib.display()));
        cc::gcc(&host, std::slice::from_ref(src), "the host (glibc)")?;
        built.libs.insert(file, v);
        names.push(name);
    }
    for src in &programs {
        let name = stem(src);
        let (v, h) = (out.join("vibix").join(&name), out.join("host").join(&name));
        let mut args: Vec<String> = vec!["-O2".into(), "-o".into(), v.display().to_string()];
        args.push(src.display().to_string());
        args.extend(libs_args(&vibix_lib, &names));
        args.extend(cc::LIBS.map(String::from));
        let full = cc::gcc_args_for(sysroot, &args, Linking::Dynamic);
        cc::gcc(&full, std::slice::from_ref(src), "vibix")?;
        let mut host: Vec<String> = vec!["-O2".into(), "-o".into(), h.display().to_string()];
        host.push(src.display().to_string());
        host.extend(libs_args(&host_lib, &names));
        host.push(format!("-Wl,-rpath,{}", host_lib.display()));
        host.extend(cc::LIBS.map(String::from));
        cc::gcc(&host, std::slice::from_ref(src), "the host (glibc)")?;
        built.vibix.insert(name.clone(), v);
        built.host.insert(name, h);
    }
    Ok(built)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_link_the_shared_objects_they_use() {
        let args = libs_args(Path::new("/o/lib"), &["libdltls".into(), "libplug".into()]);
        assert_eq!(
            args,
            [
                "-L/o/lib",
                "-Wl,--as-needed",
                "-ldltls",
                "-lplug",
                "-Wl,--no-as-needed"
            ]
        );
    }
}
