//! Builds small ELF images byte by byte for the tests.
//!
//! [`Image::typical`] describes what a linker would produce for a small
//! static program; a test changes one field and checks `plan` notices.

use alloc::vec;
use alloc::vec::Vec;

pub const PT_LOAD: u32 = 1;
pub const PT_INTERP: u32 = 3;
pub const PT_PHDR: u32 = 6;
pub const PT_TLS: u32 = 7;
pub const PT_GNU_STACK: u32 = 0x6474_e551;
pub const R: u32 = 4;
pub const W: u32 = 2;
pub const X: u32 = 1;

/// One program header.
#[derive(Clone, Copy)]
pub struct Phdr {
    pub p_type: u32,
    pub flags: u32,
    pub offset: u64,
    pub vaddr: u64,
    pub filesz: u64,
    pub memsz: u64,
    pub align: u64,
}

impl Phdr {
    pub fn load(flags: u32, offset: u64, vaddr: u64, filesz: u64, memsz: u64) -> Phdr {
        Phdr {
            p_type: PT_LOAD,
            flags,
            offset,
            vaddr,
            filesz,
            memsz,
            align: 0x1000,
        }
    }
}

/// The fields of an ELF header that tests care about, plus the program
/// headers and the total file size.
pub struct Image {
    pub class: u8,
    pub data: u8,
    pub version: u8,
    pub e_type: u16,
    pub machine: u16,
    pub entry: u64,
    pub phoff: u64,
    pub phentsize: u16,
    /// Overrides the real number of program headers when set.
    pub phnum: Option<u16>,
    pub phdrs: Vec<Phdr>,
    pub file_len: usize,
}

/// Where the typical image's text and data segments load.
pub const TEXT: u64 = 0x40_0000;
pub const DATA: u64 = 0x40_1200;

impl Image {
    /// A PIE (`ET_DYN`): [`Image::typical`] linked at 0 instead of `TEXT`.
    pub fn typical_pie() -> Image {
        let mut image = Image::typical();
        image.e_type = 3;
        for ph in &mut image.phdrs {
            if ph.vaddr != 0 {
                ph.vaddr -= TEXT;
            }
        }
        image.entry -= TEXT;
        image
    }

    /// A static executable: headers and code in one R+X segment at `TEXT`,
    /// then an RW data segment with some `.bss`, a TLS template inside the
    /// data, and a `PT_GNU_STACK`. 0x220 bytes in all.
    pub fn typical() -> Image {
        Image {
            class: 2,
            data: 1,
            version: 1,
            e_type: 2,
            machine: 62,
            entry: TEXT + 0x100,
            phoff: 64,
            phentsize: 56,
            phnum: None,
            phdrs: vec![
                Phdr {
                    p_type: PT_PHDR,
                    flags: R,
                    offset: 64,
                    vaddr: TEXT + 64,
                    filesz: 5 * 56,
                    memsz: 5 * 56,
                    align: 8,
                },
                Phdr::load(R | X, 0, TEXT, 0x200, 0x200),
                Phdr::load(R | W, 0x200, DATA, 0x20, 0x100),
                Phdr {
                    p_type: PT_TLS,
                    flags: R,
                    offset: 0x200,
                    vaddr: DATA,
                    filesz: 8,
                    memsz: 24,
                    align: 8,
                },
                Phdr {
                    p_type: PT_GNU_STACK,
                    flags: R | W,
                    offset: 0,
                    vaddr: 0,
                    filesz: 0,
                    memsz: 0,
                    align: 16,
                },
            ],
            file_len: 0x220,
        }
    }

    /// The image as bytes (little-endian, as the header says).
    pub fn build(&self) -> Vec<u8> {
        let mut b = vec![0u8; self.file_len];
        // Writes `bytes` at offset `at`, or nothing if they do not fit (so
        // tests can describe headers that point outside the file).
        let mut put = |at: u64, bytes: &[u8]| {
            let range = usize::try_from(at)
                .ok()
                .and_then(|at| Some(at..at.checked_add(bytes.len())?));
            if let Some(dest) = range.and_then(|range| b.get_mut(range)) {
                dest.copy_from_slice(bytes);
            }
        };
        // e_ident
        put(0, b"\x7fELF");
        put(4, &[self.class, self.data, self.version]);
        // The rest of the header.
        put(16, &self.e_type.to_le_bytes());
        put(18, &self.machine.to_le_bytes());
        put(20, &1u32.to_le_bytes()); // e_version
        put(24, &self.entry.to_le_bytes());
        put(32, &self.phoff.to_le_bytes());
        put(40, &0u64.to_le_bytes()); // e_shoff: no section headers
        put(48, &0u32.to_le_bytes()); // e_flags
        put(52, &64u16.to_le_bytes()); // e_ehsize
        put(54, &self.phentsize.to_le_bytes());
        let phnum = self.phnum.unwrap_or(self.phdrs.len() as u16);
        put(56, &phnum.to_le_bytes());
        put(58, &64u16.to_le_bytes()); // e_shentsize
        put(60, &0u16.to_le_bytes()); // e_shnum
        put(62, &0u16.to_le_bytes()); // e_shstrndx
        for (i, ph) in self.phdrs.iter().enumerate() {
            let mut entry = Vec::with_capacity(56);
            entry.extend_from_slice(&ph.p_type.to_le_bytes());
            entry.extend_from_slice(&ph.flags.to_le_bytes());
            entry.extend_from_slice(&ph.offset.to_le_bytes());
            entry.extend_from_slice(&ph.vaddr.to_le_bytes());
            entry.extend_from_slice(&ph.vaddr.to_le_bytes()); // p_paddr
            entry.extend_from_slice(&ph.filesz.to_le_bytes());
            entry.extend_from_slice(&ph.memsz.to_le_bytes());
            entry.extend_from_slice(&ph.align.to_le_bytes());
            put(self.phoff.saturating_add(i as u64 * 56), &entry);
        }
        b
    }
}
