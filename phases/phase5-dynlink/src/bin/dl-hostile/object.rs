//! The objects of the corpus, written byte by byte: a tiny dynamic
//! executable (a PIE with `PT_INTERP`, `DT_NEEDED` and a GOT) and tiny
//! shared objects (data symbols), both from the same [`Spec`]. Each is two
//! pages, file offsets equal to link-time addresses: the first page read
//! and execute (ELF header, program headers, the interpreter's path, the
//! code, the string and symbol tables, the hash table, the relocations),
//! the second read and write (GOT, data, the dynamic section, last).
//!
//! Every symbol an object imports is bound eagerly: one
//! `R_X86_64_GLOB_DAT` into its GOT slot (glibc binds those at load time,
//! lazy binding or not). Every object also has one `R_X86_64_RELATIVE`, a
//! pointer to its own data, for the cases that break a relocation. The
//! executable's code adds up the 32-bit values its GOT points at and exits
//! with the sum, so a good run proves the symbols were bound.
//!
//! [`Object`] remembers where each part is, so that a case can break one
//! field of a valid object.

use core::mem::{offset_of, size_of};

use vibix_uapi::elf::*;

/// A page; each object is two.
pub const PAGE: usize = 0x1000;
/// The most bytes an object has.
pub const MAX: usize = 2 * PAGE;

/// What an object is made of.
pub struct Spec<'a> {
    /// The program interpreter's path: an executable if given, a shared
    /// object if not.
    pub interp: Option<&'a str>,
    /// The `DT_NEEDED` names (paths here), in order.
    pub needed: &'a [&'a str],
    /// Symbols it uses (each through a GOT slot and a `GLOB_DAT`).
    pub imports: &'a [&'a str],
    /// Data symbols it defines: name and 32-bit value.
    pub exports: &'a [(&'a str, u32)],
    /// Its `DT_RUNPATH`, if any.
    pub runpath: Option<&'a str>,
}

/// A written object and where its parts are (file offsets, which are also
/// its link-time addresses).
pub struct Object {
    pub bytes: [u8; MAX],
    pub len: usize,
    pub phoff: usize,
    pub phnum: usize,
    pub strsz: usize,
    pub hash: usize,
    pub rela: usize,
    pub rela_count: usize,
    pub dynamic: usize,
    /// Entries of the dynamic section, `DT_NULL` included.
    pub dyn_count: usize,
}

/// Where `e_machine` is in the ELF header.
pub const E_MACHINE: usize = offset_of!(Ehdr, e_machine);

const EHDR: usize = size_of::<Ehdr>();
const PHDR: usize = size_of::<Phdr>();
const SYM: usize = size_of::<Sym>();
const RELA: usize = size_of::<Rela>();
const DYN: usize = size_of::<Dyn>();

/// The executable's code: `edi` = the sum of the 32-bit values the `N`
/// GOT slots point at; `exit(edi)`. The two placeholders, patched by
/// [`write`], are the GOT's distance (from the end of the `lea`) and `N`.
const CODE: [u8; 38] = [
    0x31, 0xff, // xor edi, edi
    0x48, 0x8d, 0x35, 0, 0, 0, 0, // lea rsi, [rip + GOT]
    0xb9, 0, 0, 0, 0, // mov ecx, N
    0x85, 0xc9, // loop: test ecx, ecx
    0x74, 0x0d, // jz done
    0x48, 0x8b, 0x06, // mov rax, [rsi]
    0x03, 0x38, // add edi, [rax]
    0x48, 0x83, 0xc6, 0x08, // add rsi, 8
    0xff, 0xc9, // dec ecx
    0xeb, 0xef, // jmp loop
    0xb8, 0xe7, 0x00, 0x00, 0x00, // done: mov eax, 231 (exit_group)
    0x0f, 0x05, // syscall
];
const CODE_GOT: usize = 5;
const CODE_AFTER_LEA: usize = 9;
const CODE_COUNT: usize = 10;

fn align(at: usize, to: usize) -> usize {
    at.next_multiple_of(to)
}

impl Object {
    pub fn u32(&self, at: usize) -> u32 {
        u32::from_le_bytes(self.bytes[at..at + 4].try_into().unwrap_or([0; 4]))
    }
    pub fn set_u16(&mut self, at: usize, v: u16) {
        self.bytes[at..at + 2].copy_from_slice(&v.to_le_bytes());
    }
    pub fn set_u32(&mut self, at: usize, v: u32) {
        self.bytes[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }
    pub fn set_u64(&mut self, at: usize, v: u64) {
        self.bytes[at..at + 8].copy_from_slice(&v.to_le_bytes());
    }
    fn put(&mut self, at: usize, bytes: &[u8]) {
        self.bytes[at..at + bytes.len()].copy_from_slice(bytes);
    }

    /// The offset of the value of the first dynamic entry with `tag`.
    pub fn dyn_value(&self, tag: usize) -> Option<usize> {
        (0..self.dyn_count)
            .map(|i| self.dynamic + i * DYN)
            .find(|&at| {
                u64::from_le_bytes(self.bytes[at..at + 8].try_into().unwrap_or([0; 8]))
                    == tag as u64
            })
            .map(|at| at + 8)
    }

    /// The offset of relocation `i`'s `r_offset` (`+ 8`: `r_info`).
    pub fn rela_at(&self, i: usize) -> usize {
        self.rela + i * RELA
    }

    /// The offset of the `nth` program header of type `p_type`.
    pub fn phdr(&self, p_type: u32, nth: usize) -> Option<usize> {
        (0..self.phnum)
            .map(|i| self.phoff + i * PHDR)
            .filter(|&at| self.u32(at) == p_type)
            .nth(nth)
    }

    /// Sets the file and memory size of the program header at `at`.
    pub fn set_segment_size(&mut self, at: usize, size: usize) {
        self.set_u64(at + offset_of!(Phdr, p_filesz), size as u64);
        self.set_u64(at + offset_of!(Phdr, p_memsz), size as u64);
    }

    fn phdr_entry(&mut self, i: usize, p: Phdr) {
        let at = self.phoff + i * PHDR;
        self.set_u32(at, p.p_type);
        self.set_u32(at + 4, p.p_flags);
        for (k, v) in [
            p.p_offset, p.p_vaddr, p.p_paddr, p.p_filesz, p.p_memsz, p.p_align,
        ]
        .into_iter()
        .enumerate()
        {
            self.set_u64(at + 8 + 8 * k, v);
        }
    }

    fn sym(&mut self, at: usize, s: Sym) {
        self.set_u32(at, s.st_name);
        self.bytes[at + 4] = s.st_info;
        self.bytes[at + 5] = s.st_other;
        self.set_u16(at + 6, s.st_shndx);
        self.set_u64(at + 8, s.st_value);
        self.set_u64(at + 16, s.st_size);
    }

    fn rel(&mut self, at: usize, r: Rela) {
        self.set_u64(at, r.r_offset);
        self.set_u64(at + 8, r.r_info);
        self.set_u64(at + 16, r.r_addend as u64);
    }

    fn dyn_entry(&mut self, i: usize, tag: usize, val: u64) {
        let at = self.dynamic + i * DYN;
        self.set_u64(at, tag as u64);
        self.set_u64(at + 8, val);
    }
}

/// Writes the object `spec` describes.
pub fn write(spec: &Spec<'_>) -> Object {
    let exe = spec.interp.is_some();
    let phnum = if exe { 6 } else { 4 };
    let mut o = Object {
        bytes: [0; MAX],
        len: 0,
        phoff: EHDR,
        phnum,
        strsz: 0,
        hash: 0,
        rela: 0,
        rela_count: spec.imports.len() + 1,
        dynamic: 0,
        dyn_count: 0,
    };
    // First page: the interpreter's path and the code after the headers.
    let mut at = EHDR + phnum * PHDR;
    let interp = at;
    if let Some(path) = spec.interp {
        o.put(at, path.as_bytes());
        at += path.len() + 1;
    }
    let code = align(at, 16);
    if exe {
        at = code + CODE.len();
    }
    // The string table: "", the needed names, the symbols' names.
    let strtab = at;
    at += 1;
    let mut name_at = [0usize; 16];
    let names = spec
        .needed
        .iter()
        .chain(spec.imports)
        .chain(spec.exports.iter().map(|(n, _)| n));
    for (slot, name) in name_at.iter_mut().zip(names) {
        *slot = at - strtab;
        o.put(at, name.as_bytes());
        at += name.len() + 1;
    }
    let runpath = spec.runpath.map(|r| {
        let off = at - strtab;
        o.put(at, r.as_bytes());
        at += r.len() + 1;
        off
    });
    o.strsz = at - strtab;
    let nneeded = spec.needed.len();
    let name_of = |i: usize| name_at[nneeded + i] as u32;
    // The symbol table: the null symbol, the imports, the exports.
    let symtab = align(at, 8);
    let nsym = 1 + spec.imports.len() + spec.exports.len();
    // Second page: the GOT, the pointer slot, the exports' values, then
    // the dynamic section.
    let got = PAGE;
    let pointer = got + 8 * spec.imports.len();
    let values = pointer + 8;
    for i in 0..spec.imports.len() {
        let s = Sym {
            st_name: name_of(i),
            st_info: (STB_GLOBAL << 4) | STT_OBJECT,
            ..Sym::default()
        };
        o.sym(symtab + (1 + i) * SYM, s);
    }
    for (k, (_, value)) in spec.exports.iter().enumerate() {
        let i = spec.imports.len() + k;
        let s = Sym {
            st_name: name_of(i),
            st_info: (STB_GLOBAL << 4) | STT_OBJECT,
            // Defined (not SHN_UNDEF); there is no section table to name.
            st_shndx: 1,
            st_value: (values + 8 * k) as u64,
            st_size: 4,
            ..Sym::default()
        };
        o.sym(symtab + (1 + i) * SYM, s);
        o.set_u32(values + 8 * k, *value);
    }
    at = symtab + nsym * SYM;
    // The SysV hash table: one bucket, every symbol on its chain.
    o.hash = align(at, 4);
    o.set_u32(o.hash, 1);
    o.set_u32(o.hash + 4, nsym as u32);
    o.set_u32(o.hash + 8, if nsym > 1 { 1 } else { 0 });
    let chains = o.hash + 12;
    for i in 1..nsym {
        let next = if i + 1 < nsym { i + 1 } else { 0 };
        o.set_u32(chains + 4 * i, next as u32);
    }
    at = chains + 4 * nsym;
    // The relocations: a GLOB_DAT per import, then the RELATIVE.
    o.rela = align(at, 8);
    for i in 0..spec.imports.len() {
        let r = Rela {
            r_offset: (got + 8 * i) as u64,
            r_info: (((1 + i) as u64) << 32) | u64::from(R_X86_64_GLOB_DAT),
            r_addend: 0,
        };
        o.rel(o.rela_at(i), r);
    }
    let r = Rela {
        r_offset: pointer as u64,
        r_info: u64::from(R_X86_64_RELATIVE),
        r_addend: values as i64,
    };
    o.rel(o.rela_at(spec.imports.len()), r);
    let text_end = o.rela + o.rela_count * RELA;
    assert!(text_end <= PAGE, "the first page overflows");
    if exe {
        o.put(code, &CODE);
        let after_lea = code + CODE_AFTER_LEA;
        o.set_u32(code + CODE_GOT, (got - after_lea) as u32);
        o.set_u32(code + CODE_COUNT, spec.imports.len() as u32);
    }
    // The dynamic section.
    o.dynamic = align(values + 8 * spec.exports.len(), 16);
    let mut flags_1 = DF_1_NOW;
    if exe {
        flags_1 |= DF_1_PIE;
    }
    let mut entries = [(0usize, 0u64); 32];
    let mut n = 0;
    for &name in &name_at[..nneeded] {
        entries[n] = (DT_NEEDED, name as u64);
        n += 1;
    }
    if let Some(off) = runpath {
        entries[n] = (DT_RUNPATH, off as u64);
        n += 1;
    }
    for e in [
        (DT_HASH, o.hash as u64),
        (DT_STRTAB, strtab as u64),
        (DT_STRSZ, o.strsz as u64),
        (DT_SYMTAB, symtab as u64),
        (DT_SYMENT, SYM as u64),
        (DT_RELA, o.rela as u64),
        (DT_RELASZ, (o.rela_count * RELA) as u64),
        (DT_RELAENT, RELA as u64),
        (DT_FLAGS, DF_BIND_NOW),
        (DT_FLAGS_1, flags_1),
        (DT_NULL, 0),
    ] {
        entries[n] = e;
        n += 1;
    }
    o.dyn_count = n;
    for (i, &(tag, val)) in entries[..n].iter().enumerate() {
        o.dyn_entry(i, tag, val);
    }
    o.len = o.dynamic + n * DYN;
    // The ELF header and the program headers.
    let mut ident = [0u8; 16];
    ident[..4].copy_from_slice(&ELFMAG);
    ident[EI_CLASS] = ELFCLASS64;
    ident[EI_DATA] = ELFDATA2LSB;
    ident[EI_VERSION] = EV_CURRENT;
    o.put(0, &ident);
    o.set_u16(offset_of!(Ehdr, e_type), ET_DYN);
    o.set_u16(E_MACHINE, EM_X86_64);
    o.set_u32(offset_of!(Ehdr, e_version), u32::from(EV_CURRENT));
    o.set_u64(offset_of!(Ehdr, e_entry), if exe { code as u64 } else { 0 });
    o.set_u64(offset_of!(Ehdr, e_phoff), o.phoff as u64);
    o.set_u16(offset_of!(Ehdr, e_ehsize), EHDR as u16);
    o.set_u16(offset_of!(Ehdr, e_phentsize), PHDR as u16);
    o.set_u16(offset_of!(Ehdr, e_phnum), phnum as u16);
    let segment = |p_type, p_flags, at: usize, size: usize, p_align| Phdr {
        p_type,
        p_flags,
        p_offset: at as u64,
        p_vaddr: at as u64,
        p_paddr: at as u64,
        p_filesz: size as u64,
        p_memsz: size as u64,
        p_align,
    };
    let mut table = [Phdr::default(); 6];
    let mut k = 0;
    if let Some(path) = spec.interp {
        table[0] = segment(PT_PHDR, PF_R, o.phoff, phnum * PHDR, 8);
        table[1] = segment(PT_INTERP, PF_R, interp, path.len() + 1, 1);
        k = 2;
    }
    table[k] = segment(PT_LOAD, PF_R | PF_X, 0, text_end, PAGE as u64);
    table[k + 1] = segment(PT_LOAD, PF_R | PF_W, PAGE, o.len - PAGE, PAGE as u64);
    table[k + 2] = segment(PT_DYNAMIC, PF_R | PF_W, o.dynamic, n * DYN, 8);
    table[k + 3] = Phdr {
        p_type: PT_GNU_STACK,
        p_flags: PF_R | PF_W,
        p_align: 16,
        ..Phdr::default()
    };
    for (i, p) in table[..phnum].iter().enumerate() {
        o.phdr_entry(i, *p);
    }
    o
}
