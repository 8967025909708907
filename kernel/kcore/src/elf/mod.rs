//! Checking an ELF executable and turning it into a load plan.
//!
//! [`plan`] reads the ELF header and the program headers of an x86_64
//! executable (`ET_EXEC`, linked for its addresses, or `ET_DYN`: a
//! position-independent executable or a dynamic linker, loaded wherever the
//! kernel chooses) and checks everything the loader will rely on, before any
//! memory is touched. What comes out is a [`LoadPlan`]: the segments to map,
//! with their permissions, the interpreter the program asks for
//! (`PT_INTERP`, [`interp`]), plus what the initial stack and the TLS setup
//! need to know. An `ET_DYN` plan is then moved to its load address
//! ([`placement`]). Loading then cannot fail on a malformed file any more.
//!
//! The byte-level decoding is done by the `elf` crate. We use its
//! lower-level pieces (identification, header tail, program header table)
//! rather than its `ElfBytes` front door, because that one also insists on a
//! valid section header table, which the kernel never looks at (Linux does
//! not either).
//!
//! `plan` never panics, whatever bytes it is given; the tests feed it every
//! truncation and thousands of corruptions of a valid image to make sure.

pub mod auxv;
mod error;
#[cfg(test)]
mod fuzz_tests;
pub mod interp;
pub mod placement;
#[cfg(test)]
mod test_image;
#[cfg(test)]
mod tests;

use alloc::vec::Vec;

use ::elf::abi;
use ::elf::endian::LittleEndian;
use ::elf::file::{Class, ELF64_EHDR_TAILSIZE, FileHeader, parse_ident};
use ::elf::parse::ParseError;
use ::elf::segment::{ProgramHeader, SegmentTable};

pub use error::ElfError;
pub use interp::Interp;

use crate::layout::{PAGE_SIZE, USER_MIN, USER_STACK_SIZE, USER_STACK_TOP, page_ceil, page_floor};

/// Size of one ELF64 program header.
const PHDR_SIZE: u16 = 56;

/// Segments must end at or below this address: the bottom of the main
/// stack, which exec maps at a fixed place. A segment above it would collide
/// with the stack (exec failed with `EEXIST`) or, in the top page of the
/// user half, be mapped where Linux maps nothing (found by the hostile-ELF
/// corpus; both are now `SegmentOutsideUser`, `ENOMEM`).
pub const SEGMENTS_END: u64 = USER_STACK_TOP - USER_STACK_SIZE;
const _: () = assert!(crate::layout::is_page_aligned(SEGMENTS_END));

/// Largest TLS alignment we accept (one page).
const MAX_TLS_ALIGN: u64 = PAGE_SIZE;

/// Access rights of a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Perms {
    pub read: bool,
    pub write: bool,
    pub exec: bool,
}

/// One `PT_LOAD` segment: `filesz` bytes from file offset `offset` are
/// copied to `vaddr`, and the rest of `[vaddr, vaddr + memsz)` is zeroed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub vaddr: u64,
    pub memsz: u64,
    pub offset: u64,
    pub filesz: u64,
    pub perms: Perms,
}

impl Segment {
    /// The index of the file page the segment's first page shows, if its
    /// pages can be the file's pages themselves, shared by every process
    /// that loads the file (the kernel's page cache of programs): a
    /// read-only segment with no zero-filled part. Its pages then show
    /// whole pages of the file, bytes around the segment included, as on
    /// Linux. (`plan` checked that the address and the offset agree
    /// within the page, and that no page holds two segments.)
    pub fn file_page(&self) -> Option<u64> {
        (!self.perms.write && self.memsz == self.filesz).then_some(self.offset / PAGE_SIZE)
    }
}

/// The `PT_TLS` segment: the initial image of the thread-local variables.
/// `filesz` bytes at file offset `offset` are the initialised part
/// (`.tdata`); the rest up to `memsz` is zero (`.tbss`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tls {
    pub offset: u64,
    pub filesz: u64,
    pub memsz: u64,
    pub align: u64,
}

/// How an object is linked (`e_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `ET_EXEC`: linked for its addresses, loaded exactly there.
    Exec,
    /// `ET_DYN`: position independent (a PIE or a dynamic linker); its
    /// addresses are relative to a load bias the kernel chooses.
    Dyn,
}

/// Everything the loader needs, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadPlan {
    /// `ET_EXEC` or `ET_DYN`. An `ET_DYN` plan's addresses are link-time
    /// ones until [`LoadPlan::placed`] adds the load bias.
    pub kind: Kind,
    /// The program interpreter (`PT_INTERP`), if the program names one.
    pub interp: Option<Interp>,
    /// Where execution starts; inside an executable segment.
    pub entry: u64,
    /// The non-empty `PT_LOAD` segments, in program header order. No two of
    /// them share a page.
    pub segments: Vec<Segment>,
    /// Address of the program header table in the loaded image (for
    /// `AT_PHDR`), or 0 if no segment loads it.
    pub phdr_vaddr: u64,
    /// Number of program headers (for `AT_PHNUM`).
    pub phnum: u16,
    /// Size of one program header (for `AT_PHENT`); always 56.
    pub phentsize: u16,
    /// The TLS template, if the program has one.
    pub tls: Option<Tls>,
    /// The first page boundary above every segment: where `brk` starts.
    pub end: u64,
}

/// Checks `image` and returns how to load it.
///
/// The checks, in order: the ELF header (64-bit, little-endian, x86_64,
/// `ET_EXEC` or `ET_DYN`); the program header table (56-byte entries,
/// inside the file); the first `PT_INTERP`, as Linux reads it before
/// anything else ([`interp::check`]); each program header in turn (see
/// [`ElfError`] for the rules); then across segments (at least one, no
/// shared pages, entry point executable). An `ET_EXEC` program's segments
/// must lie in user memory; an `ET_DYN` one's only need to fit in it, which
/// [`LoadPlan::placed`] checks at the address chosen.
pub fn plan(image: &[u8]) -> Result<LoadPlan, ElfError> {
    plan_object(image, true)
}

/// [`plan`] for a program interpreter: the same checks, but a `PT_INTERP`
/// of its own is ignored, as Linux's `load_elf_interp` ignores it (an
/// interpreter is never asked for another one).
pub fn plan_interpreter(image: &[u8]) -> Result<LoadPlan, ElfError> {
    plan_object(image, false)
}

fn plan_object(image: &[u8], read_interp: bool) -> Result<LoadPlan, ElfError> {
    let header = read_header(image)?;
    let table = program_headers(image, &header)?;
    let kind = if header.e_type == abi::ET_DYN {
        Kind::Dyn
    } else {
        Kind::Exec
    };
    let interp = match table.iter().find(|ph| ph.p_type == abi::PT_INTERP) {
        Some(ph) if read_interp => Some(interp::check(image, ph.p_offset, ph.p_filesz)?),
        _ => None,
    };

    let mut segments = Vec::new();
    let mut tls = None;
    for ph in table.iter() {
        match ph.p_type {
            abi::PT_LOAD => {
                if let Some(segment) = load_segment(image, &ph, kind)? {
                    segments.push(segment);
                }
            }
            abi::PT_TLS => {
                if tls.is_some() {
                    return Err(ElfError::BadTls);
                }
                tls = Some(tls_segment(image, &ph)?);
            }
            // PT_INTERP (checked above), PT_PHDR, PT_NOTE, PT_GNU_STACK, PT_GNU_RELRO, ...: nothing to do.
            _ => {}
        }
    }

    if segments.is_empty() {
        return Err(ElfError::NoLoadSegments);
    }
    check_no_shared_pages(&segments)?;

    let entry = header.e_entry;
    if !segments.iter().any(|s| s.perms.exec && contains(s, entry)) {
        return Err(ElfError::EntryNotExecutable);
    }

    let table_len = u64::from(header.e_phnum) * u64::from(PHDR_SIZE);
    // `segments` is not empty, so `max` finds one; the fallback is never used.
    let end = segments.iter().map(end_page).max().unwrap_or(USER_MIN);

    Ok(LoadPlan {
        kind,
        interp,
        entry,
        phdr_vaddr: loaded_address(&segments, header.e_phoff, table_len).unwrap_or(0),
        segments,
        phnum: header.e_phnum,
        phentsize: header.e_phentsize,
        tls,
        end,
    })
}

/// Decodes and checks the ELF header.
fn read_header(image: &[u8]) -> Result<FileHeader<LittleEndian>, ElfError> {
    // Look at the magic first, even in a very short file: "not ELF" is a
    // more useful answer than "too short" for a shell script.
    let seen = image.len().min(abi::ELFMAGIC.len());
    if image[..seen] != abi::ELFMAGIC[..seen] {
        return Err(ElfError::BadMagic);
    }
    let ident = image.get(..abi::EI_NIDENT).ok_or(ElfError::Truncated)?;
    let ident = parse_ident::<LittleEndian>(ident).map_err(|e| match e {
        ParseError::UnsupportedElfClass(_) => ElfError::NotElf64,
        ParseError::UnsupportedElfEndianness(_) => ElfError::NotLittleEndian,
        // An unknown EI_VERSION: these are not ELF identification bytes.
        _ => ElfError::BadMagic,
    })?;
    if ident.1 != Class::ELF64 {
        return Err(ElfError::NotElf64);
    }
    let tail = image
        .get(abi::EI_NIDENT..abi::EI_NIDENT + ELF64_EHDR_TAILSIZE)
        .ok_or(ElfError::Truncated)?;
    let header = FileHeader::parse_tail(ident, tail).map_err(|_| ElfError::Truncated)?;

    if header.e_machine != abi::EM_X86_64 {
        return Err(ElfError::NotX86_64);
    }
    if header.e_type != abi::ET_EXEC && header.e_type != abi::ET_DYN {
        return Err(ElfError::NotExecutable);
    }
    Ok(header)
}

/// Finds the program header table and checks it lies inside the file.
fn program_headers<'a>(
    image: &'a [u8],
    header: &FileHeader<LittleEndian>,
) -> Result<SegmentTable<'a, LittleEndian>, ElfError> {
    if header.e_phentsize != PHDR_SIZE {
        return Err(ElfError::BadPhdr);
    }
    if header.e_phnum == 0 {
        return Err(ElfError::NoLoadSegments);
    }
    // PN_XNUM means "the real count is in section header 0": not supported.
    if header.e_phnum == abi::PN_XNUM {
        return Err(ElfError::BadPhdr);
    }
    let len = usize::from(header.e_phnum) * usize::from(PHDR_SIZE);
    let bytes = usize::try_from(header.e_phoff)
        .ok()
        .and_then(|start| Some(start..start.checked_add(len)?))
        .and_then(|range| image.get(range))
        .ok_or(ElfError::BadPhdr)?;
    Ok(SegmentTable::new(LittleEndian, Class::ELF64, bytes))
}

/// Checks one `PT_LOAD` header. Returns `None` for an empty (`memsz == 0`)
/// segment, which is skipped. An `ET_DYN` segment's addresses are checked
/// against user memory once placed.
fn load_segment(image: &[u8], ph: &ProgramHeader, kind: Kind) -> Result<Option<Segment>, ElfError> {
    if !in_file(image, ph.p_offset, ph.p_filesz) {
        return Err(ElfError::SegmentOutsideFile);
    }
    if ph.p_filesz > ph.p_memsz {
        return Err(ElfError::FileszExceedsMemsz);
    }
    if ph.p_memsz == 0 {
        return Ok(None);
    }
    let end = ph.p_vaddr.checked_add(ph.p_memsz);
    let (floor, ceiling) = match kind {
        Kind::Exec => (USER_MIN, SEGMENTS_END),
        Kind::Dyn => (0, SEGMENTS_END - USER_MIN),
    };
    if ph.p_vaddr < floor || !matches!(end, Some(end) if end <= ceiling) {
        return Err(ElfError::SegmentOutsideUser);
    }
    if ph.p_vaddr % PAGE_SIZE != ph.p_offset % PAGE_SIZE {
        return Err(ElfError::BadAlignment);
    }
    let perms = Perms {
        read: ph.p_flags & abi::PF_R != 0,
        write: ph.p_flags & abi::PF_W != 0,
        exec: ph.p_flags & abi::PF_X != 0,
    };
    if perms.write && perms.exec {
        return Err(ElfError::WriteAndExecute);
    }
    Ok(Some(Segment {
        vaddr: ph.p_vaddr,
        memsz: ph.p_memsz,
        offset: ph.p_offset,
        filesz: ph.p_filesz,
        perms,
    }))
}

/// Checks the `PT_TLS` header.
fn tls_segment(image: &[u8], ph: &ProgramHeader) -> Result<Tls, ElfError> {
    let align_ok = ph.p_align == 0 || (ph.p_align.is_power_of_two() && ph.p_align <= MAX_TLS_ALIGN);
    if !align_ok || ph.p_filesz > ph.p_memsz || !in_file(image, ph.p_offset, ph.p_filesz) {
        return Err(ElfError::BadTls);
    }
    Ok(Tls {
        offset: ph.p_offset,
        filesz: ph.p_filesz,
        memsz: ph.p_memsz,
        align: ph.p_align,
    })
}

/// Whether `[offset, offset + len)` is inside the image.
fn in_file(image: &[u8], offset: u64, len: u64) -> bool {
    matches!(offset.checked_add(len), Some(end) if end <= image.len() as u64)
}

/// The end of the last page a segment occupies.
fn end_page(s: &Segment) -> u64 {
    // `load_segment` checked `vaddr + memsz <= SEGMENTS_END`, which is
    // page aligned, so neither step can overflow.
    page_ceil(s.vaddr + s.memsz).unwrap_or(SEGMENTS_END)
}

/// Whether `addr` lies inside the segment's memory.
fn contains(s: &Segment, addr: u64) -> bool {
    addr >= s.vaddr && addr - s.vaddr < s.memsz
}

/// Fails if two segments would share a page: each page gets exactly one set
/// of permissions and one source of contents.
fn check_no_shared_pages(segments: &[Segment]) -> Result<(), ElfError> {
    let mut ranges: Vec<(u64, u64)> = segments
        .iter()
        .map(|s| (page_floor(s.vaddr), end_page(s)))
        .collect();
    ranges.sort_unstable();
    if ranges.windows(2).any(|w| w[0].1 > w[1].0) {
        return Err(ElfError::SegmentsOverlap);
    }
    Ok(())
}

/// Where file bytes `[offset, offset + len)` end up in memory, if some
/// segment loads all of them from the file.
fn loaded_address(segments: &[Segment], offset: u64, len: u64) -> Option<u64> {
    segments.iter().find_map(|s| {
        let inside = offset >= s.offset && offset.checked_add(len)? <= s.offset + s.filesz;
        inside.then(|| s.vaddr + (offset - s.offset))
    })
}
