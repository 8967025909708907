//! `ld_vibix` against real objects and Linux's own answers: shared objects
//! built here with the host's C compiler, linked by LLD (the Rust
//! toolchain's, when it has one) and by the system linker, each with both
//! hash tables (`--hash-style=both`), read from their files as a loader lays
//! them out; symbol lookup through either table compared with a linear scan
//! of the symbol table and with `nm -D`; every relocation of the object
//! applied and its `RELATIVE` ones checked; and the ELF numbers of
//! `vibix_uapi` compared with the host's `<elf.h>`. These run host tools,
//! so Miri skips them (the unit tests cover the same code under Miri).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use ld_vibix::dynamic::Dynamic;
use ld_vibix::image::Image;
use ld_vibix::relocate::{Definition, Target};
use ld_vibix::symbols::Symbols;
use vibix_uapi::elf::*;

/// A C source with many symbols of every kind a shared object exports:
/// functions, data, a TLS variable, weak ones, and hidden and static ones
/// (which must not be found), plus references to undefined ones.
fn source() -> String {
    let mut c = String::from(
        "extern int undefined_elsewhere(void);\n\
         extern int undefined_data;\n\
         __thread int tls_counter = 7;\n\
         __attribute__((weak)) int weak_value = 1;\n\
         __attribute__((visibility(\"hidden\"))) int hidden_value = 2;\n\
         static int static_value = 3;\n\
         int *table[] = { &static_value, &hidden_value, &weak_value };\n\
         int uses(void) { return undefined_elsewhere() + undefined_data + tls_counter; }\n",
    );
    // Pointers to local data: RELATIVE relocations, 300 in a row (which
    // DT_RELR packs into bitmaps).
    c.push_str("static long local_data[300];\nlong *local_ptrs[300] = {");
    for i in 0..300 {
        c.push_str(&format!("&local_data[{i}],"));
    }
    c.push_str("};\n");
    for i in 0..300 {
        c.push_str(&format!("int function_{i}(int x) {{ return x + {i}; }}\n"));
        c.push_str(&format!("long data_{i} = {i};\n"));
    }
    c
}

/// The Rust toolchain's `gcc-ld` directory (its `ld.lld`), if it has one.
fn lld_dir() -> Option<PathBuf> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()?;
    let sysroot = String::from_utf8(out.stdout).ok()?;
    let dir = Path::new(sysroot.trim()).join("lib/rustlib/x86_64-unknown-linux-gnu/bin/gcc-ld");
    dir.join("ld.lld").is_file().then_some(dir)
}

/// Builds the shared object `name` with `linker_args` in the directory
/// of test `test` (tests run in parallel: each builds its own); returns
/// its path.
fn build(test: &str, name: &str, linker_args: &[String]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("ld_vibix")
        .join(test);
    std::fs::create_dir_all(&dir).unwrap();
    let c = dir.join("many.c");
    std::fs::write(&c, source()).unwrap();
    let so = dir.join(name);
    let status = Command::new("cc")
        .args(["-shared", "-fPIC", "-O1", "-Wl,--hash-style=both", "-o"])
        .arg(&so)
        .arg(&c)
        .args(linker_args)
        .status()
        .expect("cannot run cc");
    assert!(status.success(), "cc failed for {name}");
    so
}

/// The objects to test: LLD-linked when the toolchain has LLD (also with
/// its `RELATIVE` relocations packed as `DT_RELR`), and linked by the
/// system's default linker.
fn objects(test: &str) -> Vec<PathBuf> {
    let mut v = vec![build(test, "many-default.so", &[])];
    if let Some(dir) = lld_dir() {
        let lld = [format!("-B{}", dir.display()), "-fuse-ld=lld".to_string()];
        v.push(build(test, "many-lld.so", &lld));
        let relr = [
            lld[0].clone(),
            lld[1].clone(),
            "-Wl,-z,pack-relative-relocs".into(),
        ];
        v.push(build(test, "many-lld-relr.so", &relr));
    } else {
        eprintln!(
            "note: the Rust toolchain has no ld.lld; testing the default linker's object only"
        );
    }
    v
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes(b[at..at + 2].try_into().unwrap())
}
fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}
fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

/// The object as a loader lays it out (each `PT_LOAD`'s file bytes at its
/// `p_vaddr`, the rest zero), and its `PT_DYNAMIC` (address, size).
fn load(file: &[u8]) -> (Vec<u8>, u64, u64) {
    assert_eq!(&file[..4], b"\x7fELF");
    let (phoff, phentsize, phnum) = (
        u64_at(file, 32) as usize,
        u16_at(file, 54) as usize,
        u16_at(file, 56) as usize,
    );
    let mut image = Vec::new();
    let mut dynamic = None;
    for i in 0..phnum {
        let ph = &file[phoff + i * phentsize..];
        let (p_type, offset, vaddr, filesz, memsz) = (
            u32_at(ph, 0),
            u64_at(ph, 8) as usize,
            u64_at(ph, 16) as usize,
            u64_at(ph, 32) as usize,
            u64_at(ph, 40) as usize,
        );
        if p_type == PT_LOAD {
            if image.len() < vaddr + memsz {
                image.resize(vaddr + memsz, 0);
            }
            image[vaddr..vaddr + filesz].copy_from_slice(&file[offset..offset + filesz]);
        } else if p_type == PT_DYNAMIC {
            dynamic = Some((vaddr as u64, memsz as u64));
        }
    }
    let (at, size) = dynamic.expect("no PT_DYNAMIC");
    (image, at, size)
}

/// `nm -D --defined-only`: name (version left out) to value.
fn nm_defined(so: &Path) -> BTreeMap<String, u64> {
    let out = Command::new("nm")
        .args(["-D", "--defined-only"])
        .arg(so)
        .output()
        .expect("cannot run nm");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let value = u64::from_str_radix(f.next()?, 16).ok()?;
            let _kind = f.next()?;
            let name = f.next()?.split('@').next()?.to_string();
            Some((name, value))
        })
        .collect()
}

#[test]
#[cfg_attr(miri, ignore = "runs the host's cc and nm")]
fn lookup_in_real_objects_matches_a_linear_scan_and_nm() {
    for so in objects("lookup") {
        let file = std::fs::read(&so).unwrap();
        let (image, at, size) = load(&file);
        let img = Image::new(&image, 0);
        let d = Dynamic::parse(&img, at, size).unwrap();
        assert!(
            d.hash.is_some() && d.gnu_hash.is_some(),
            "{}: both tables",
            so.display()
        );
        let s = Symbols::new(img, &d).unwrap();

        // The linear scan: every defined, non-local symbol by name.
        let mut linear = BTreeMap::new();
        for i in 1..s.len() {
            let sym = s.get(i).unwrap();
            if sym.st_shndx != SHN_UNDEF && sym.st_info >> 4 != STB_LOCAL {
                let name = String::from_utf8(s.name(&sym).unwrap().to_vec()).unwrap();
                linear.entry(name).or_insert((i, sym));
            }
        }
        let nm = nm_defined(&so);
        let names: Vec<&String> = linear.keys().collect();
        assert_eq!(
            names,
            nm.keys().collect::<Vec<_>>(),
            "{}: the defined symbols",
            so.display()
        );
        assert!(nm.contains_key("function_299") && nm.contains_key("tls_counter"));
        for (name, (i, sym)) in &linear {
            let want = Some((*i, *sym));
            assert_eq!(s.lookup_sysv(name.as_bytes()), Ok(want), "{name}");
            assert_eq!(s.lookup_gnu(name.as_bytes()), Ok(want), "{name}");
            assert_eq!(sym.st_value, nm[name], "{name}: nm's value");
        }
        for miss in [
            "undefined_elsewhere",
            "undefined_data",
            "hidden_value",
            "static_value",
            "function_300",
            "data_",
            "",
        ] {
            assert_eq!(s.lookup_sysv(miss.as_bytes()), Ok(None), "{miss}");
            assert_eq!(s.lookup_gnu(miss.as_bytes()), Ok(None), "{miss}");
        }
    }
}

#[test]
#[cfg_attr(miri, ignore = "runs the host's cc and readelf")]
fn every_relocation_of_real_objects_applies() {
    const BIAS: u64 = 0x7f12_3400_0000;
    for so in objects("relocations") {
        let file = std::fs::read(&so).unwrap();
        let (mut image, at, size) = load(&file);
        let before = image.clone();
        let d = Dynamic::parse(&Image::new(&before, 0), at, size).unwrap();
        let s = Symbols::new(Image::new(&before, 0), &d).unwrap();
        // Defined symbols resolve here; undefined ones to a made-up address
        // in another object, within 2 GiB (so a PC32 would fit).
        let mut resolve = |i: u32| -> Result<Definition<'_>, ld_vibix::Error> {
            let sym = s.get(i)?;
            let value = if sym.st_shndx == SHN_UNDEF {
                BIAS + 0x1000_0000 + i as u64
            } else {
                BIAS + sym.st_value
            };
            let value = if sym.st_info & 0xf == STT_TLS {
                sym.st_value
            } else {
                value
            };
            Ok(Definition {
                value,
                tls_module: 1,
                tls_offset: -0x100,
                bytes: &[],
            })
        };
        let mut t = Target {
            image: &mut image,
            vaddr: 0,
            bias: BIAS,
        };
        t.apply_rela_table(d.rela, &mut resolve).unwrap();
        t.apply_rela_table(d.jmprel, &mut resolve).unwrap();
        t.apply_relr(d.relr).unwrap();

        // readelf's lists: each RELATIVE relocation's field is B + A now,
        // each word DT_RELR names B plus what it held.
        let out = Command::new("readelf")
            .args(["-rW"])
            .arg(&so)
            .output()
            .expect("cannot run readelf");
        let text = String::from_utf8(out.stdout).unwrap();
        let word = |img: &[u8], at: usize| u64::from_le_bytes(img[at..at + 8].try_into().unwrap());
        let (mut relative, mut packed) = (0, 0);
        let mut in_relr = false;
        for l in text.lines() {
            if l.starts_with("Relocation section") {
                in_relr = l.contains(".relr.dyn");
            } else if l.contains("R_X86_64_RELATIVE") {
                let f: Vec<&str> = l.split_whitespace().collect();
                let offset = u64::from_str_radix(f[0], 16).unwrap() as usize;
                let addend = u64::from_str_radix(f.last().unwrap(), 16).unwrap();
                assert_eq!(word(&image, offset), BIAS + addend, "{l}");
                relative += 1;
            } else if in_relr && let Ok(offset) = u64::from_str_radix(l.trim(), 16) {
                let offset = offset as usize;
                assert_eq!(
                    word(&image, offset),
                    BIAS + word(&before, offset),
                    "RELR {l}"
                );
                packed += 1;
            }
        }
        // 300 local pointers and a few more: as RELATIVE entries, or packed
        // into DT_RELR.
        let relr_object = so.to_str().unwrap().ends_with("relr.so");
        assert_eq!(d.relr.is_present(), relr_object);
        if relr_object {
            assert!(
                packed >= 300 && relative == 0,
                "{}: {packed} packed",
                so.display()
            );
        } else {
            assert!(
                relative >= 300 && packed == 0,
                "{}: {relative} RELATIVE",
                so.display()
            );
        }
        // The TLS variable's GOT entry pair (module, offset) or offset was written.
        assert!(text.contains("R_X86_64_DTPMOD64") || text.contains("R_X86_64_TPOFF64"));
    }
}

#[test]
#[cfg_attr(miri, ignore = "reads the host's <elf.h>")]
fn elf_numbers_are_linuxs() {
    let h = std::fs::read_to_string("/usr/include/elf.h").expect("no <elf.h> on the host");
    let defines: BTreeMap<&str, u64> = h
        .lines()
        .filter_map(|l| {
            let mut f = l.strip_prefix("#define")?.split_whitespace();
            let name = f.next()?;
            let v = f.next()?;
            let v = match v.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16).ok()?,
                None => v.parse().ok()?,
            };
            Some((name, v))
        })
        .collect();
    macro_rules! same {
        ($($name:ident),* $(,)?) => {$(
            assert_eq!(Some(&($name as u64)), defines.get(stringify!($name)), stringify!($name));
        )*};
    }
    same!(
        DT_NULL,
        DT_NEEDED,
        DT_PLTRELSZ,
        DT_PLTGOT,
        DT_HASH,
        DT_STRTAB,
        DT_SYMTAB,
        DT_RELA,
        DT_RELASZ,
        DT_RELAENT,
        DT_STRSZ,
        DT_SYMENT,
        DT_INIT,
        DT_FINI,
        DT_SONAME,
        DT_RPATH,
        DT_REL,
        DT_PLTREL,
        DT_TEXTREL,
        DT_JMPREL,
        DT_BIND_NOW,
        DT_INIT_ARRAY,
        DT_FINI_ARRAY,
        DT_INIT_ARRAYSZ,
        DT_FINI_ARRAYSZ,
        DT_RUNPATH,
        DT_FLAGS,
        DT_PREINIT_ARRAY,
        DT_PREINIT_ARRAYSZ,
        DT_RELRSZ,
        DT_RELR,
        DT_RELRENT,
        DT_GNU_HASH,
        DT_FLAGS_1,
        DF_ORIGIN,
        DF_TEXTREL,
        DF_BIND_NOW,
        DF_STATIC_TLS,
        DF_1_NOW,
        DF_1_PIE,
        R_X86_64_NONE,
        R_X86_64_64,
        R_X86_64_PC32,
        R_X86_64_COPY,
        R_X86_64_GLOB_DAT,
        R_X86_64_JUMP_SLOT,
        R_X86_64_RELATIVE,
        R_X86_64_DTPMOD64,
        R_X86_64_DTPOFF64,
        R_X86_64_TPOFF64,
        STB_LOCAL,
        STB_GLOBAL,
        STB_WEAK,
        STT_NOTYPE,
        STT_OBJECT,
        STT_FUNC,
        STT_SECTION,
        STT_FILE,
        STT_TLS,
        SHN_UNDEF,
    );
}

#[test]
#[cfg_attr(miri, ignore = "runs the host's cc")]
fn a_program_with_only_the_gnu_table_has_all_its_imports() {
    // The GNU table hashes only the symbols an object defines for others;
    // a program's imports lie below its `symoffset`, and must still be
    // symbols the relocations can name.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("ld_vibix")
        .join("gnu-only");
    std::fs::create_dir_all(&dir).unwrap();
    let c = dir.join("prog.c");
    std::fs::write(
        &c,
        "#include <stdio.h>\nint main(void) { puts(\"a\"); printf(\"%d\\n\", 1); return 0; }\n",
    )
    .unwrap();
    let prog = dir.join("prog");
    let status = Command::new("cc")
        .args(["-O1", "-no-pie", "-fno-pic", "-Wl,--hash-style=gnu", "-o"])
        .arg(&prog)
        .arg(&c)
        .status()
        .expect("cannot run cc");
    assert!(status.success());
    let file = std::fs::read(&prog).unwrap();
    let (image, at, size) = load(&file);
    let img = Image::new(&image, 0);
    let d = Dynamic::parse(&img, at, size).unwrap();
    assert!(d.hash.is_none() && d.gnu_hash.is_some(), "GNU table only");
    let s = Symbols::new(img, &d).unwrap();
    let mut names = Vec::new();
    for i in 1..s.len() {
        let sym = s.get(i).unwrap();
        names.push(String::from_utf8(s.name(&sym).unwrap().to_vec()).unwrap());
    }
    assert!(
        names.iter().any(|n| n == "puts") && names.iter().any(|n| n == "__libc_start_main"),
        "{names:?}"
    );
}
