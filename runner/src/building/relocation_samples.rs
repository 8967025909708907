//! The relocation audit's host samples (RFC finding T-A7): a C shared
//! object and two C executables linked against it (PIE and not), built with
//! this host's `cc` and each linker it has (its default one; LLD from the
//! Rust toolchain, also with `DT_RELR`), so that the audit's table shows on
//! real objects which relocation types linkers emit for what C code does:
//! an executable's use of a library's data (`COPY`), a library's own
//! default-model TLS (`DTPMOD64`/`DTPOFF64`), an executable's use of a
//! library's TLS (`TPOFF64`), pointers in data (`RELATIVE`, `64`), calls
//! and data through the GOT (`JUMP_SLOT`, `GLOB_DAT`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use xshell::{Shell, cmd};

use crate::building::toolchain;

/// The shared object's source.
const LIBRARY: &str = r#"/* The library: its own data and TLS, a call out. */
extern int puts(const char *);
__thread int tls_counter = 7;             /* default TLS model: DTPMOD64, DTPOFF64 */
int shared_data = 42;                     /* used by the executables: COPY there */
static int local_value = 3;
int *local_ptrs[] = { &local_value, &local_value };  /* RELATIVE */
int (*puts_ptr)(const char *) = puts;     /* 64 */
int bump(void) { return ++tls_counter + shared_data; }  /* GLOB_DAT */
int say(const char *s) { return puts(s); }  /* JUMP_SLOT */
"#;

/// The executables' source.
const PROGRAM: &str = r#"/* A program using the library's data, TLS and functions. */
extern int shared_data;                   /* COPY */
extern __thread int tls_counter;          /* initial-exec: TPOFF64 */
int bump(void);
int say(const char *);
int main(void) { say("hi"); return shared_data + tls_counter + bump(); }
"#;

/// One way of linking: a directory name and the linker's flags.
struct Linker {
    name: &'static str,
    flags: Vec<String>,
}

/// The samples built: their directory, and the tools' versions.
pub struct Samples {
    pub dir: PathBuf,
    pub tools: Vec<String>,
}

/// The first line of `tool --version`.
fn version(sh: &Shell, tool: &Path) -> String {
    let out = cmd!(sh, "{tool} --version").ignore_status().read();
    // LLD's line goes on with the path it was built from: its first two
    // words say the version.
    out.ok()
        .and_then(|o| o.lines().next().map(str::to_string))
        .map(|l| match l.strip_prefix("LLD ") {
            Some(rest) => format!("LLD {}", rest.split(' ').next().unwrap_or("")),
            None => l,
        })
        .unwrap_or_else(|| format!("{} (no version)", tool.display()))
}

/// Builds the samples under `dir` (one directory per linker). LLD is the
/// Rust toolchain's (`gcc-ld/ld.lld`), when it has one.
pub fn build(sh: &Shell, dir: &Path) -> Result<Samples> {
    let mut linkers = vec![Linker {
        name: "cc-default",
        flags: vec![],
    }];
    let mut tools = vec![version(sh, Path::new("cc")), version(sh, Path::new("ld"))];
    let gcc_ld = toolchain::sysroot(sh)?.join("lib/rustlib/x86_64-unknown-linux-gnu/bin/gcc-ld");
    if gcc_ld.join("ld.lld").is_file() {
        tools.push(version(sh, &gcc_ld.join("ld.lld")));
        let lld = vec![format!("-B{}", gcc_ld.display()), "-fuse-ld=lld".into()];
        let mut relr = lld.clone();
        relr.push("-Wl,-z,pack-relative-relocs".into());
        linkers.push(Linker {
            name: "lld",
            flags: lld,
        });
        linkers.push(Linker {
            name: "lld-relr",
            flags: relr,
        });
    } else {
        eprintln!(
            "note: the Rust toolchain has no ld.lld; the samples use cc's default linker only"
        );
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let lib_c = dir.join("sample.c");
    let main_c = dir.join("main.c");
    std::fs::write(&lib_c, LIBRARY)?;
    std::fs::write(&main_c, PROGRAM)?;
    for l in &linkers {
        let out = dir.join(l.name);
        std::fs::create_dir_all(&out)?;
        let flags = &l.flags;
        let so = out.join("libsample.so");
        let pie = out.join("main-pie");
        let nopie = out.join("main-nopie");
        let runs = [
            cmd!(sh, "cc -O2 -shared -fPIC {flags...} -o {so} {lib_c}"),
            cmd!(
                sh,
                "cc -O2 -fPIE -pie {flags...} -o {pie} {main_c} -L{out} -lsample"
            ),
            cmd!(
                sh,
                "cc -O2 -fno-pic -no-pie {flags...} -o {nopie} {main_c} -L{out} -lsample"
            ),
        ];
        for c in runs {
            let shown = c.to_string();
            let o = c.ignore_status().output()?;
            if !o.status.success() {
                bail!(
                    "{shown} failed:\n{}",
                    String::from_utf8_lossy(&o.stderr).trim()
                );
            }
        }
    }
    Ok(Samples {
        dir: dir.to_path_buf(),
        tools,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    use crate::building::relocation_audit::{Entry, audit_tree, check};
    use elf::abi;

    /// The T-A7 measurement, on real objects: every linker's executables
    /// contain `COPY` (PIE or not) and `TPOFF64`, every library
    /// `DTPMOD64`/`DTPOFF64`; and `ld-vibix` applies all of it.
    #[test]
    fn linkers_emit_copy_and_general_dynamic_tls_and_ld_vibix_applies_all() {
        let tmp = crate::testutil::TempDir::new("reloc-samples");
        let sh = Shell::new().unwrap();
        let dir = build(&sh, tmp.path()).unwrap().dir;
        let objects = audit_tree(&dir).unwrap();
        assert!(objects.len() >= 3, "{objects:?}");
        for o in &objects {
            let has = |t| o.counts.contains_key(&Entry::Rela(t));
            if o.path.ends_with(".so") {
                assert!(
                    has(abi::R_X86_64_DTPMOD64) && has(abi::R_X86_64_DTPOFF64),
                    "{o:?}"
                );
                assert!(
                    has(abi::R_X86_64_64) && has(abi::R_X86_64_JUMP_SLOT),
                    "{o:?}"
                );
            } else {
                assert!(
                    has(abi::R_X86_64_COPY) && has(abi::R_X86_64_TPOFF64),
                    "{o:?}"
                );
            }
            if o.path.starts_with("/lld-relr/") && !o.path.ends_with("nopie") {
                assert!(o.counts.contains_key(&Entry::Relr), "{o:?}");
            }
        }
        check(&objects).unwrap();
    }

    /// The audit's counts are `readelf -r`'s, type by type (A-A3: audited
    /// against the binutils' own reading), `DT_RELR` words included.
    #[test]
    fn counts_agree_with_readelf() {
        let tmp = crate::testutil::TempDir::new("reloc-readelf");
        let sh = Shell::new().unwrap();
        let dir = build(&sh, tmp.path()).unwrap().dir;
        for o in audit_tree(&dir).unwrap() {
            let file = dir.join(o.path.trim_start_matches('/'));
            let out = cmd!(sh, "readelf -rW {file}").read().unwrap();
            let mut readelf: BTreeMap<String, u64> = BTreeMap::new();
            for line in out.lines() {
                let words: Vec<&str> = line.split_whitespace().collect();
                if let Some(t) = words.get(2).filter(|w| w.starts_with("R_X86_64_")) {
                    *readelf.entry(t.to_string()).or_default() += 1;
                } else if let [n, "offsets"] = words[..] {
                    readelf.insert(Entry::Relr.name(), n.parse().unwrap());
                }
            }
            let ours: BTreeMap<String, u64> =
                o.counts.iter().map(|(e, n)| (e.name(), *n)).collect();
            assert_eq!(ours, readelf, "{}", o.path);
        }
    }
}
