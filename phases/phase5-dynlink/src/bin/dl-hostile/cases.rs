//! The corpus: each case writes a program (and the shared objects it
//! needs) into the scratch directory and says what the dynamic linker must
//! answer. Cases marked `common` get the same answer from glibc's `ld.so`
//! and from `ld-vibix` (status 127, a message naming the object or the
//! symbol; or, for a dependency cycle, a run); the others are refused by
//! `ld-vibix` where glibc, which trusts an object's tables, reads or
//! writes where they point (its answer is in `linux`).

use crate::files::{Files, Path};
use crate::object::{self, Object, Spec};
use crate::sys::Errno;
use core::mem::{offset_of, size_of};

use vibix_uapi::elf::{DT_NEEDED, DT_STRTAB, Dyn, EM_AARCH64, PT_DYNAMIC, PT_LOAD, Rela};

/// The symbol the good library defines, and its value (the exit status of
/// a program that got it).
pub const VALUE: (&str, u32) = ("hostile_value", 42);
/// A symbol nobody defines.
pub const MISSING: &str = "hostile_missing";
/// A relocation type the x86_64 psABI does not define.
pub const UNDEFINED_TYPE: u32 = 0xfe;
/// A dynamic tag no one gives a meaning to (`DT_HIPROC`, the last of
/// the processor-specific ones): ignored, it ends nothing.
pub const UNKNOWN_TAG: u64 = 0x7fff_ffff;
/// A link-time address far past every segment of an object.
pub const FAR: u64 = 0x10_0000_0000;

// ANCHOR: expect
/// What must happen.
#[derive(Clone, Copy)]
pub enum Expect {
    /// The program runs and exits with this status.
    Runs(u8),
    /// The dynamic linker refuses: status 127, and a message on stderr
    /// that names [`Names`]; `ld-vibix`'s also says `vibix` (its words).
    Refused { names: Names, vibix: &'static str },
}

/// What the message must name.
#[derive(Clone, Copy)]
pub enum Names {
    /// The case's shared object (`lib<case>.so`).
    Library,
    /// A symbol.
    Symbol(&'static str),
}
// ANCHOR_END: expect

/// One case of the corpus.
pub struct Case {
    pub name: &'static str,
    /// Compared with Linux: glibc answers the same way.
    pub common: bool,
    pub expect: Expect,
    /// What glibc's `ld.so` does with it, where that differs.
    pub linux: &'static str,
    /// Writes the case's files; the program is `<dir>/<name>`.
    pub build: fn(&mut Files, &Ctx) -> Result<(), Errno>,
}

/// What a case's files need to know.
pub struct Ctx<'a> {
    pub name: &'a str,
    pub interp: &'a str,
}

impl Ctx<'_> {
    /// The case's shared object, `lib<case><suffix>.so`, as a path.
    pub fn lib(&self, files: &Files, suffix: &str) -> Path {
        files.path(&["lib", self.name, suffix, ".so"])
    }
}

/// Writes the program `<dir>/<case>`: needs `needed`, imports `imports`.
fn program(files: &mut Files, c: &Ctx, needed: &[&str], imports: &[&str]) -> Result<(), Errno> {
    program_with_runpath(files, c, needed, imports, None)
}

/// [`program`] with a `DT_RUNPATH`.
fn program_with_runpath(
    files: &mut Files,
    c: &Ctx,
    needed: &[&str],
    imports: &[&str],
    runpath: Option<&str>,
) -> Result<(), Errno> {
    let o = object::write(&Spec {
        interp: Some(c.interp),
        needed,
        imports,
        exports: &[],
        runpath,
    });
    files.write(&files.path(&[c.name]), &o.bytes[..o.len])
}

/// A shared object defining `exports` and needing `needed`.
fn library(needed: &[&str], exports: &[(&str, u32)]) -> Object {
    object::write(&Spec {
        interp: None,
        needed,
        imports: &[],
        exports,
        runpath: None,
    })
}

/// The program importing [`VALUE`] from `lib<case>.so`, which is `lib`
/// (or `bytes`, if given), written.
fn with_library(files: &mut Files, c: &Ctx, lib: &[u8]) -> Result<(), Errno> {
    let path = c.lib(files, "");
    files.write(&path, lib)?;
    program(files, c, &[path.as_str()], &[VALUE.0])
}

/// A good library, broken by `mutate`, needed by the program.
fn broken(files: &mut Files, c: &Ctx, mutate: fn(&mut Object)) -> Result<(), Errno> {
    let mut lib = library(&[], &[VALUE]);
    mutate(&mut lib);
    with_library(files, c, &lib.bytes[..lib.len])
}

/// The relocation every library has last: its `R_X86_64_RELATIVE`.
fn relative(o: &Object) -> usize {
    o.rela_at(o.rela_count - 1)
}

pub const CASES: &[Case] = &[
    Case {
        name: "missing-library",
        common: true,
        expect: Expect::Refused {
            names: Names::Library,
            vibix: "cannot open shared object file",
        },
        linux: "",
        build: |files, c| {
            let absent = c.lib(files, "");
            program(files, c, &[absent.as_str()], &[VALUE.0])
        },
    },
    Case {
        name: "missing-symbol",
        common: true,
        expect: Expect::Refused {
            names: Names::Symbol(MISSING),
            vibix: "undefined symbol",
        },
        linux: "",
        build: |files, c| {
            let lib = library(&[], &[VALUE]);
            let path = c.lib(files, "");
            files.write(&path, &lib.bytes[..lib.len])?;
            program(files, c, &[path.as_str()], &[MISSING])
        },
    },
    Case {
        name: "unsupported-relocation",
        common: true,
        expect: Expect::Refused {
            names: Names::Library,
            vibix: "relocation type 254",
        },
        linux: "",
        build: |files, c| {
            broken(files, c, |o| {
                let at = relative(o) + offset_of!(Rela, r_info);
                o.set_u64(at, u64::from(UNDEFINED_TYPE));
            })
        },
    },
    Case {
        name: "not-elf",
        common: true,
        expect: Expect::Refused {
            names: Names::Library,
            vibix: "not an ELF file",
        },
        linux: "",
        build: |files, c| {
            let mut text = [b'#'; object::PAGE];
            for line in text.chunks_mut(32) {
                line[31] = b'\n';
            }
            with_library(files, c, &text)
        },
    },
    Case {
        name: "truncated-header",
        common: true,
        expect: Expect::Refused {
            names: Names::Library,
            vibix: "too short",
        },
        linux: "",
        build: |files, c| {
            let lib = library(&[], &[VALUE]);
            with_library(files, c, &lib.bytes[..40])
        },
    },
    Case {
        name: "truncated-program-headers",
        common: true,
        expect: Expect::Refused {
            names: Names::Library,
            vibix: "too short",
        },
        linux: "",
        build: |files, c| {
            let lib = library(&[], &[VALUE]);
            with_library(files, c, &lib.bytes[..lib.phoff + 80])
        },
    },
    Case {
        name: "wrong-machine",
        common: true,
        expect: Expect::Refused {
            names: Names::Library,
            vibix: "x86_64",
        },
        linux: "",
        build: |files, c| broken(files, c, |o| o.set_u16(object::E_MACHINE, EM_AARCH64)),
    },
    Case {
        name: "dependency-cycle",
        common: true,
        expect: Expect::Runs(42),
        linux: "",
        build: |files, c| {
            let (a, b) = (c.lib(files, ""), c.lib(files, "-b"));
            let lib_a = library(&[b.as_str()], &[("hostile_a", 40)]);
            let lib_b = library(&[a.as_str()], &[("hostile_b", 2)]);
            files.write(&a, &lib_a.bytes[..lib_a.len])?;
            files.write(&b, &lib_b.bytes[..lib_b.len])?;
            program(files, c, &[a.as_str()], &["hostile_a", "hostile_b"])
        },
    },
    Case {
        // Not hostile: a library found through the program's run path,
        // `$ORIGIN` (the program's directory), by its file name alone.
        name: "origin-run-path",
        common: true,
        expect: Expect::Runs(42),
        linux: "",
        build: |files, c| {
            let lib = library(&[], &[VALUE]);
            files.write(&c.lib(files, ""), &lib.bytes[..lib.len])?;
            program_with_runpath(
                files,
                c,
                &["liborigin-run-path.so"],
                &[VALUE.0],
                Some("/nonexistent:$ORIGIN"),
            )
        },
    },
    Case {
        name: "string-table-outside",
        common: false,
        expect: Expect::Refused {
            names: Names::Library,
            vibix: "outside the object",
        },
        linux: "glibc reads the names where DT_STRTAB points: SIGSEGV",
        build: |files, c| {
            broken(files, c, |o| {
                let at = o.dyn_value(DT_STRTAB).unwrap_or(0);
                o.set_u64(at, FAR);
            })
        },
    },
    Case {
        name: "no-dt-null",
        common: false,
        expect: Expect::Refused {
            names: Names::Library,
            vibix: "DT_NULL",
        },
        linux: "glibc reads on past PT_DYNAMIC until a zero tag (here in the next mapping: the program ran)",
        build: |files, c| {
            broken(files, c, |o| {
                // Tags no one knows up to the end of the page, the last
                // page of the object: nothing ends the section.
                let first = o.dynamic + (o.dyn_count - 1) * size_of::<Dyn>();
                for at in (first..object::MAX).step_by(size_of::<Dyn>()) {
                    o.set_u64(at, UNKNOWN_TAG);
                    o.set_u64(at + 8, 0);
                }
                let (data, dynamic) = (o.phdr(PT_LOAD, 1), o.phdr(PT_DYNAMIC, 0));
                let (Some(data), Some(dynamic)) = (data, dynamic) else {
                    return;
                };
                o.set_segment_size(data, object::MAX - object::PAGE);
                o.set_segment_size(dynamic, object::MAX - o.dynamic);
                o.len = object::MAX;
            })
        },
    },
    Case {
        name: "lying-hash-table",
        common: false,
        expect: Expect::Refused {
            names: Names::Library,
            vibix: "hash",
        },
        linux: "glibc follows the bucket past the chains and the file: SIGBUS",
        build: |files, c| {
            broken(files, c, |o| {
                let nchain = o.u32(o.hash + 4);
                o.set_u32(o.hash + 8, nchain + 1000);
            })
        },
    },
    Case {
        name: "needed-outside-string-table",
        common: false,
        expect: Expect::Refused {
            names: Names::Library,
            vibix: "string table",
        },
        linux: "glibc reads a name past DT_STRSZ and goes on (here the program ran)",
        build: |files, c| {
            // The library needs itself (harmless), then its name's offset
            // is moved past the string table.
            let path = c.lib(files, "");
            let mut lib = library(&[path.as_str()], &[VALUE]);
            let at = lib.dyn_value(DT_NEEDED).unwrap_or(0);
            lib.set_u64(at, (lib.strsz + 0x800) as u64);
            with_library(files, c, &lib.bytes[..lib.len])
        },
    },
    Case {
        name: "relocation-outside",
        common: false,
        expect: Expect::Refused {
            names: Names::Library,
            vibix: "outside the object",
        },
        linux: "glibc writes where r_offset points: SIGSEGV",
        build: |files, c| broken(files, c, |o| o.set_u64(relative(o), FAR)),
    },
];

/// The last case, run after all the others: a good program and library.
pub const GOOD: Case = Case {
    name: "good",
    common: true,
    expect: Expect::Runs(42),
    linux: "",
    build: |files, c| broken(files, c, |_| {}),
};
