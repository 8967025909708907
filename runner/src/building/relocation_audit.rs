//! The relocation audit (RFC findings A-A3 and T-A7): which dynamic
//! relocation types the ELF objects a phase installs really contain, read
//! from their files, against the types `ld-vibix` applies
//! (`ld_vibix::relocate::SUPPORTED`, the one list). From the phase with a
//! dynamic linker on, `runner phase N` audits its staged initramfs after
//! the build and before any boot, and fails naming the object and the type
//! when one is not applied; `runner reloc-audit` prints the table.
//!
//! An object is read as a loader lays it out (each `PT_LOAD`'s file bytes
//! at its address) and its dynamic section with `ld_vibix`'s own parser, so
//! the tables audited are exactly the ones the dynamic linker would apply:
//! `DT_RELA` (`.rela.dyn`), `DT_JMPREL` (`.rela.plt`) and `DT_RELR`
//! (`.relr.dyn`, whose entries are all `RELATIVE`). An object without a
//! dynamic section (a static program) has no dynamic relocations.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use elf::ElfBytes;
use elf::abi;
use elf::endian::LittleEndian;
use ld_vibix::dynamic::{Dynamic, RELA_SIZE, RELR_SIZE, Table};
use ld_vibix::image::Image;
use ld_vibix::relocate::{Reloc, SUPPORTED};
use vibix_uapi::elf::{DF_1_PIE, Rela};

/// The first phase whose objects a dynamic linker relocates.
pub const FIRST_PHASE: u32 = 5;

/// Where a relocation comes from: an `Elf64_Rela` entry's type, or a
/// `DT_RELR` entry (a packed `RELATIVE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Entry {
    Rela(u32),
    Relr,
}

impl Entry {
    /// Whether `ld-vibix` applies it.
    pub fn supported(self) -> bool {
        match self {
            Entry::Rela(t) => SUPPORTED.contains(&t),
            Entry::Relr => SUPPORTED.contains(&abi::R_X86_64_RELATIVE),
        }
    }

    /// Its name as `readelf -r` prints it.
    pub fn name(self) -> String {
        match self {
            Entry::Rela(t) => type_name(t),
            Entry::Relr => "R_X86_64_RELATIVE (DT_RELR)".into(),
        }
    }
}

/// What an object is, to the loader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// No dynamic section: nothing to relocate at run time.
    Static,
    /// A PIE that relocates itself (`ET_DYN`, `DF_1_PIE`, no `PT_INTERP`).
    StaticPie,
    /// A program the dynamic linker starts (`PT_INTERP`).
    Dynamic,
    /// A shared object (or the dynamic linker itself).
    Shared,
}

impl Kind {
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Static => "static",
            Kind::StaticPie => "static PIE",
            Kind::Dynamic => "dynamically linked",
            Kind::Shared => "shared object",
        }
    }
}

/// One object's dynamic relocations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Object {
    /// Where it is installed (`/bin/hello`), or the path given.
    pub path: String,
    pub kind: Kind,
    /// How many relocations of each kind.
    pub counts: BTreeMap<Entry, u64>,
}

/// Reads the dynamic relocations of the ELF object `file`, named `path`.
pub fn read(path: &str, file: &[u8]) -> Result<Object> {
    let elf = ElfBytes::<LittleEndian>::minimal_parse(file)
        .map_err(|e| anyhow!("{path}: not a readable ELF object: {e}"))?;
    if elf.ehdr.e_machine != abi::EM_X86_64 || elf.ehdr.class != elf::file::Class::ELF64 {
        bail!("{path}: not an x86_64 ELF64 object");
    }
    let segments: Vec<_> = elf
        .segments()
        .map(|s| s.iter().collect())
        .unwrap_or_default();
    let has = |t| segments.iter().any(|p| p.p_type == t);
    let Some(dynamic) = segments.iter().find(|p| p.p_type == abi::PT_DYNAMIC) else {
        return Ok(Object {
            path: path.into(),
            kind: Kind::Static,
            counts: BTreeMap::new(),
        });
    };

    // The image: each PT_LOAD's file bytes at its address, the rest zero.
    let loads: Vec<_> = segments
        .iter()
        .filter(|p| p.p_type == abi::PT_LOAD)
        .collect();
    let base = loads.iter().map(|p| p.p_vaddr).min().unwrap_or(0);
    let end = loads
        .iter()
        .map(|p| p.p_vaddr.saturating_add(p.p_memsz))
        .max()
        .unwrap_or(0);
    let len = usize::try_from(end - base)
        .ok()
        .filter(|&l| l <= 1 << 32)
        .ok_or_else(|| anyhow!("{path}: its segments span {:#x} bytes", end - base))?;
    let mut image = vec![0u8; len];
    for p in &loads {
        let bytes = usize::try_from(p.p_offset)
            .ok()
            .zip(usize::try_from(p.p_filesz).ok())
            .and_then(|(o, n)| file.get(o..o.checked_add(n)?))
            .ok_or_else(|| anyhow!("{path}: a PT_LOAD segment lies outside the file"))?;
        let at = (p.p_vaddr - base) as usize;
        image
            .get_mut(at..at + bytes.len())
            .ok_or_else(|| {
                anyhow!("{path}: a PT_LOAD segment's file size exceeds its memory size")
            })?
            .copy_from_slice(bytes);
    }
    let img = Image::new(&image, base);
    let d = Dynamic::parse(&img, dynamic.p_vaddr, dynamic.p_memsz)
        .map_err(|e| anyhow!("{path}: its dynamic section: {e}"))?;

    let mut counts = BTreeMap::new();
    for table in [d.rela, d.jmprel] {
        for r in rela_entries(&img, table).map_err(|e| anyhow!("{path}: {e}"))? {
            *counts.entry(Entry::Rela(r.r_type)).or_default() += 1;
        }
    }
    let relr = relr_count(&img, d.relr).map_err(|e| anyhow!("{path}: {e}"))?;
    if relr > 0 {
        counts.insert(Entry::Relr, relr);
    }
    let kind = if has(abi::PT_INTERP) {
        Kind::Dynamic
    } else if elf.ehdr.e_type == abi::ET_DYN && d.flags_1 & DF_1_PIE != 0 {
        Kind::StaticPie
    } else {
        Kind::Shared
    };
    Ok(Object {
        path: path.into(),
        kind,
        counts,
    })
}

/// The entries of an `Elf64_Rela` table.
fn rela_entries(img: &Image<'_>, table: Table) -> Result<Vec<Reloc>, ld_vibix::Error> {
    (0..table.size / RELA_SIZE)
        .map(|i| {
            let at = table.addr + i * RELA_SIZE;
            Ok(Reloc::from_rela(&Rela {
                r_offset: img.u64(at, "DT_RELA")?,
                r_info: img.u64(at + 8, "DT_RELA")?,
                r_addend: img.u64(at + 16, "DT_RELA")? as i64,
            }))
        })
        .collect()
}

/// How many words a `DT_RELR` table relocates: one per address entry (even),
/// one per set bit of a bitmap entry (odd) after its marker bit.
fn relr_count(img: &Image<'_>, table: Table) -> Result<u64, ld_vibix::Error> {
    let mut n = 0;
    for i in 0..table.size / RELR_SIZE {
        let entry = img.u64(table.addr + i * RELR_SIZE, "DT_RELR")?;
        n += if entry & 1 == 0 {
            1
        } else {
            u64::from((entry >> 1).count_ones())
        };
    }
    Ok(n)
}

/// Every ELF object under `root` (regular files only; symbolic links are
/// the objects they name), named by its path from `root` as `/`.
pub fn audit_tree(root: &Path) -> Result<Vec<Object>> {
    let mut objects = Vec::new();
    for e in walkdir::WalkDir::new(root).sort_by_file_name() {
        let e = e.with_context(|| format!("walking {}", root.display()))?;
        if !e.file_type().is_file() {
            continue;
        }
        let bytes =
            std::fs::read(e.path()).with_context(|| format!("reading {}", e.path().display()))?;
        if !bytes.starts_with(b"\x7fELF") {
            continue;
        }
        let rel = e.path().strip_prefix(root).unwrap_or(e.path());
        objects.push(read(&format!("/{}", rel.display()), &bytes)?);
    }
    Ok(objects)
}

/// Every (object, relocation) `ld-vibix` does not apply.
pub fn unsupported(objects: &[Object]) -> Vec<(&str, Entry)> {
    objects
        .iter()
        .flat_map(|o| {
            o.counts
                .keys()
                .filter(|e| !e.supported())
                .map(|&e| (o.path.as_str(), e))
        })
        .collect()
}

/// Fails, naming each object and type, if any object contains a
/// relocation `ld-vibix` does not apply; otherwise a one-line summary.
pub fn check(objects: &[Object]) -> Result<String> {
    let bad = unsupported(objects);
    if !bad.is_empty() {
        let list: Vec<String> = bad
            .iter()
            .map(|(path, e)| format!("  {path}: {}", e.name()))
            .collect();
        bail!(
            "the relocation audit: ld-vibix does not apply these dynamic relocations:\n{}\n\
             (ld_vibix::relocate::SUPPORTED lists the types it applies)",
            list.join("\n")
        );
    }
    let with = objects.iter().filter(|o| !o.counts.is_empty()).count();
    let types: BTreeSet<String> = objects
        .iter()
        .flat_map(|o| o.counts.keys().map(|e| e.name()))
        .collect();
    Ok(format!(
        "{} ELF objects, {with} with dynamic relocations, all applied by ld-vibix ({})",
        objects.len(),
        if types.is_empty() {
            "none".into()
        } else {
            types.into_iter().collect::<Vec<_>>().join(", ")
        }
    ))
}

/// The table: per relocation type, whether `ld-vibix` applies it, how
/// many objects contain it, how many relocations, and which objects; then
/// the objects without dynamic relocations.
pub fn table(objects: &[Object]) -> String {
    let mut by_entry: BTreeMap<Entry, (u64, Vec<&str>)> = BTreeMap::new();
    for o in objects {
        for (&e, &n) in &o.counts {
            let row = by_entry.entry(e).or_default();
            row.0 += n;
            row.1.push(&o.path);
        }
    }
    let mut s = String::from(
        "| type | ld-vibix | objects | relocations | which objects |\n|---|---|---|---|---|\n",
    );
    for (e, (n, paths)) in &by_entry {
        let which: Vec<String> = paths.iter().map(|p| format!("`{p}`")).collect();
        s.push_str(&format!(
            "| `{}` | {} | {} | {n} | {} |\n",
            e.name(),
            if e.supported() {
                "applies"
            } else {
                "**missing**"
            },
            paths.len(),
            which.join(", ")
        ));
    }
    // Then the objects by kind, and those with a dynamic section but no
    // dynamic relocations by name (a static program has no dynamic section).
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for o in objects {
        *kinds.entry(o.kind.describe()).or_default() += 1;
    }
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k}: {n}")).collect();
    s.push_str(&format!(
        "\n{} ELF objects ({}).",
        objects.len(),
        kinds.join(", ")
    ));
    let none: Vec<String> = objects
        .iter()
        .filter(|o| o.counts.is_empty() && o.kind != Kind::Static)
        .map(|o| format!("`{}` ({})", o.path, o.kind.describe()))
        .collect();
    if !none.is_empty() {
        s.push_str(&format!(
            " With a dynamic section but no dynamic relocations: {}.",
            none.join(", ")
        ));
    }
    s.push('\n');
    s
}

/// An x86_64 relocation type's name (the psABI's), or its number.
fn type_name(t: u32) -> String {
    use abi::*;
    let name = match t {
        R_X86_64_NONE => "NONE",
        R_X86_64_64 => "64",
        R_X86_64_PC32 => "PC32",
        R_X86_64_GOT32 => "GOT32",
        R_X86_64_PLT32 => "PLT32",
        R_X86_64_COPY => "COPY",
        R_X86_64_GLOB_DAT => "GLOB_DAT",
        R_X86_64_JUMP_SLOT => "JUMP_SLOT",
        R_X86_64_RELATIVE => "RELATIVE",
        R_X86_64_GOTPCREL => "GOTPCREL",
        R_X86_64_32 => "32",
        R_X86_64_32S => "32S",
        R_X86_64_16 => "16",
        R_X86_64_PC16 => "PC16",
        R_X86_64_8 => "8",
        R_X86_64_PC8 => "PC8",
        R_X86_64_DTPMOD64 => "DTPMOD64",
        R_X86_64_DTPOFF64 => "DTPOFF64",
        R_X86_64_TPOFF64 => "TPOFF64",
        R_X86_64_TLSGD => "TLSGD",
        R_X86_64_TLSLD => "TLSLD",
        R_X86_64_DTPOFF32 => "DTPOFF32",
        R_X86_64_GOTTPOFF => "GOTTPOFF",
        R_X86_64_TPOFF32 => "TPOFF32",
        R_X86_64_PC64 => "PC64",
        R_X86_64_GOTOFF64 => "GOTOFF64",
        R_X86_64_GOTPC32 => "GOTPC32",
        R_X86_64_GOT64 => "GOT64",
        R_X86_64_GOTPCREL64 => "GOTPCREL64",
        R_X86_64_GOTPC64 => "GOTPC64",
        R_X86_64_PLTOFF64 => "PLTOFF64",
        R_X86_64_SIZE32 => "SIZE32",
        R_X86_64_SIZE64 => "SIZE64",
        R_X86_64_GOTPC32_TLSDESC => "GOTPC32_TLSDESC",
        R_X86_64_TLSDESC_CALL => "TLSDESC_CALL",
        R_X86_64_TLSDESC => "TLSDESC",
        R_X86_64_IRELATIVE => "IRELATIVE",
        R_X86_64_RELATIVE64 => "RELATIVE64",
        R_X86_64_GOTPCRELX => "GOTPCRELX",
        R_X86_64_REX_GOTPCRELX => "REX_GOTPCRELX",
        _ => return format!("type {t}"),
    };
    format!("R_X86_64_{name}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use vibix_uapi::elf::{DT_NULL, DT_RELA, DT_RELAENT, DT_RELASZ, DT_RELR, DT_RELRSZ};

    /// Where the test object keeps its tables.
    const DYNAMIC: usize = 0x100;
    const RELA: usize = 0x200;
    const RELR: usize = 0x300;

    fn put(b: &mut [u8], at: usize, bytes: &[u8]) {
        b[at..at + bytes.len()].copy_from_slice(bytes);
    }

    /// A small ET_DYN object, linked at 0: one `PT_LOAD` of the whole file
    /// and, with `dynamic`, a `PT_DYNAMIC` naming an `Elf64_Rela` table of
    /// `types` and a `DT_RELR` table of `relr` words.
    fn object(dynamic: bool, types: &[u32], relr: &[u64]) -> Vec<u8> {
        let mut f = vec![0u8; 0x400];
        put(&mut f, 0, b"\x7fELF\x02\x01\x01");
        put(&mut f, 16, &abi::ET_DYN.to_le_bytes());
        put(&mut f, 18, &abi::EM_X86_64.to_le_bytes());
        put(&mut f, 20, &1u32.to_le_bytes());
        put(&mut f, 32, &64u64.to_le_bytes());
        put(&mut f, 52, &64u16.to_le_bytes());
        put(&mut f, 54, &56u16.to_le_bytes());
        put(&mut f, 56, &(1 + u16::from(dynamic)).to_le_bytes());
        let phdr = |f: &mut [u8], at: usize, p_type: u32, off: u64, size: u64| {
            put(f, at, &p_type.to_le_bytes());
            put(f, at + 8, &off.to_le_bytes());
            put(f, at + 16, &off.to_le_bytes());
            put(f, at + 32, &size.to_le_bytes());
            put(f, at + 40, &size.to_le_bytes());
        };
        phdr(&mut f, 64, abi::PT_LOAD, 0, 0x400);
        if dynamic {
            phdr(&mut f, 120, abi::PT_DYNAMIC, DYNAMIC as u64, 0x100);
            let tags = [
                (DT_RELA, RELA as u64),
                (DT_RELASZ, types.len() as u64 * RELA_SIZE),
                (DT_RELAENT, RELA_SIZE),
                (DT_RELR, RELR as u64),
                (DT_RELRSZ, relr.len() as u64 * RELR_SIZE),
                (DT_NULL, 0),
            ];
            for (i, (tag, val)) in tags.iter().enumerate() {
                put(&mut f, DYNAMIC + i * 16, &(*tag as u64).to_le_bytes());
                put(&mut f, DYNAMIC + i * 16 + 8, &val.to_le_bytes());
            }
            for (i, t) in types.iter().enumerate() {
                let at = RELA + i * RELA_SIZE as usize;
                put(&mut f, at, &(i as u64 * 8).to_le_bytes());
                put(
                    &mut f,
                    at + 8,
                    &((1u64 << 32) | u64::from(*t)).to_le_bytes(),
                );
            }
            for (i, w) in relr.iter().enumerate() {
                put(&mut f, RELR + i * 8, &w.to_le_bytes());
            }
        }
        f
    }

    #[test]
    fn counts_each_type_and_the_relr_words() {
        let types = [
            abi::R_X86_64_RELATIVE,
            abi::R_X86_64_GLOB_DAT,
            abi::R_X86_64_RELATIVE,
        ];
        // An address, then a bitmap naming 3 words after it.
        let o = read(
            "/lib/x.so",
            &object(true, &types, &[0x10, (0b1011 << 1) | 1]),
        )
        .unwrap();
        assert_eq!(o.kind, Kind::Shared);
        assert_eq!(
            o.counts,
            BTreeMap::from([
                (Entry::Rela(abi::R_X86_64_GLOB_DAT), 1),
                (Entry::Rela(abi::R_X86_64_RELATIVE), 2),
                (Entry::Relr, 4),
            ])
        );
        let summary = check(std::slice::from_ref(&o)).unwrap();
        assert!(summary.starts_with("1 ELF objects, 1 with dynamic relocations"));
        let table = table(&[o]);
        assert!(
            table.contains("| `R_X86_64_GLOB_DAT` | applies | 1 | 1 | `/lib/x.so` |"),
            "{table}"
        );
        assert!(table.contains("| `R_X86_64_RELATIVE (DT_RELR)` | applies | 1 | 4 |"));
    }

    #[test]
    fn a_type_ld_vibix_does_not_apply_fails_naming_object_and_type() {
        let types = [
            abi::R_X86_64_RELATIVE,
            abi::R_X86_64_GOTPCREL,
            abi::R_X86_64_IRELATIVE,
        ];
        let good = read("/bin/good", &object(true, &[abi::R_X86_64_64], &[])).unwrap();
        let bad = read("/lib/libbad.so", &object(true, &types, &[])).unwrap();
        let objects = [good, bad];
        assert_eq!(
            unsupported(&objects),
            [
                ("/lib/libbad.so", Entry::Rela(abi::R_X86_64_GOTPCREL)),
                ("/lib/libbad.so", Entry::Rela(abi::R_X86_64_IRELATIVE)),
            ]
        );
        let err = check(&objects).unwrap_err().to_string();
        assert!(
            err.contains("/lib/libbad.so: R_X86_64_GOTPCREL\n")
                && err.contains("/lib/libbad.so: R_X86_64_IRELATIVE\n")
                && !err.contains("good"),
            "{err}"
        );
        assert!(table(&objects).contains("| `R_X86_64_IRELATIVE` | **missing** | 1 | 1 |"));
    }

    #[test]
    fn a_static_object_has_no_dynamic_relocations() {
        let o = read("/bin/static", &object(false, &[], &[])).unwrap();
        assert_eq!((o.kind, o.counts.len()), (Kind::Static, 0));
        let shared = read("/lib/empty.so", &object(true, &[], &[])).unwrap();
        assert_eq!(shared.counts.len(), 0);
        let table = table(&[o, shared]);
        assert!(
            table.contains(
                "2 ELF objects (shared object: 1, static: 1). With a dynamic section but \
                 no dynamic relocations: `/lib/empty.so` (shared object).\n"
            ),
            "{table}"
        );
    }

    #[test]
    fn broken_objects_are_errors_naming_them() {
        let mut f = object(true, &[abi::R_X86_64_64], &[]);
        // DT_RELASZ past the end of the image.
        put(&mut f, DYNAMIC + 16 + 8, &0x1000u64.to_le_bytes());
        let err = read("/lib/broken.so", &f).unwrap_err().to_string();
        assert!(
            err.starts_with("/lib/broken.so: its dynamic section"),
            "{err}"
        );
        let err = read("/bin/short", &f[..20]).unwrap_err().to_string();
        assert!(
            err.starts_with("/bin/short: not a readable ELF object"),
            "{err}"
        );
    }

    #[test]
    fn a_tree_is_audited_by_installed_path() {
        let dir = crate::testutil::TempDir::new("reloc-audit");
        std::fs::create_dir_all(dir.path().join("bin")).unwrap();
        std::fs::create_dir_all(dir.path().join("lib")).unwrap();
        std::fs::write(dir.path().join("bin/a"), object(false, &[], &[])).unwrap();
        std::fs::write(
            dir.path().join("lib/b.so"),
            object(true, &[abi::R_X86_64_JUMP_SLOT], &[]),
        )
        .unwrap();
        std::fs::write(dir.path().join("bin/script"), "#!/bin/sh\n").unwrap();
        std::os::unix::fs::symlink("b.so", dir.path().join("lib/c.so")).unwrap();
        let objects = audit_tree(dir.path()).unwrap();
        let paths: Vec<&str> = objects.iter().map(|o| o.path.as_str()).collect();
        assert_eq!(paths, ["/bin/a", "/lib/b.so"]);
    }
}
