//! Mapping a shared library from its file: the ELF header and program
//! headers read with `pread`, the whole span reserved (`PROT_NONE`,
//! anonymous) so the object gets one range, then each `PT_LOAD` segment
//! mapped over it from the file (`MAP_PRIVATE | MAP_FIXED` at its page's
//! offset) and its `.bss` zeroed. Every segment starts readable and
//! writable, never executable, so relocation can write it; `protect`
//! gives each its own protection afterwards (W^X: no page is ever both).

use ld_vibix::header::{self, EHDR_SIZE};
use ld_vibix::segments::{self, PAGE, PROT_READ, PROT_WRITE};
use vibix_uapi::elf::{PT_LOAD, PT_PHDR, Phdr};
use vibix_uapi::errno::Errno;
use vibix_uapi::mman::{MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE};

use crate::object::Object;
use crate::sys;

/// The most program headers a library may have.
const MAX_PHDRS: usize = 32;

/// Why a library could not be mapped.
pub enum MapError {
    /// A system call failed.
    Sys(&'static str, Errno),
    /// The file is not a loadable shared object.
    Elf(ld_vibix::Error),
}

impl From<ld_vibix::Error> for MapError {
    fn from(e: ld_vibix::Error) -> Self {
        MapError::Elf(e)
    }
}

/// Reads `buf.len()` bytes at `offset`: a file that ends first is too
/// short to be the object its headers describe (glibc's "file too short").
fn read_all(fd: usize, buf: &mut [u8], offset: u64) -> Result<(), MapError> {
    let n = sys::pread(fd, buf, offset).map_err(|e| MapError::Sys("read", e))?;
    if n < buf.len() {
        return Err(ld_vibix::Error::BadHeader("file too short").into());
    }
    Ok(())
}

// ANCHOR: map
/// Maps the shared object open at `fd` into `object` (its name set).
pub fn map(fd: usize, object: &mut Object) -> Result<(), MapError> {
    let mut ehdr = [0u8; EHDR_SIZE];
    read_all(fd, &mut ehdr, 0)?;
    let h = header::check(&ehdr)?;
    let phnum = usize::from(h.phnum);
    if phnum == 0 || phnum > MAX_PHDRS {
        return Err(ld_vibix::Error::BadHeader("too many or no program headers").into());
    }
    let mut table = [Phdr::default(); MAX_PHDRS];
    let phdrs = &mut table[..phnum];
    // SAFETY: `Phdr` is plain data (`#[repr(C)]` integers): any bytes are
    // a value, and the slice's bytes are exactly its memory.
    let bytes = unsafe {
        core::slice::from_raw_parts_mut(phdrs.as_mut_ptr().cast::<u8>(), size_of_val(phdrs))
    };
    read_all(fd, bytes, h.phoff)?;
    let layout = segments::layout(phdrs)?;
    let span = (layout.end - layout.first) as usize;
    // SAFETY: no MAP_FIXED: the kernel picks a free range.
    let base = unsafe { sys::mmap(0, span, 0, MAP_PRIVATE | MAP_ANONYMOUS, usize::MAX, 0) }
        .map_err(|e| MapError::Sys("mmap", e))?;
    let bias = base.wrapping_sub(layout.first as usize);
    for p in phdrs.iter().filter(|p| p.p_type == PT_LOAD) {
        let s = segments::segment(p)?;
        let rw = PROT_READ | PROT_WRITE;
        let page = bias + s.page as usize;
        if s.file_len > 0 {
            // SAFETY: the page lies in the span reserved above, ours.
            unsafe {
                sys::mmap(
                    page,
                    s.file_len as usize,
                    rw,
                    MAP_PRIVATE | MAP_FIXED,
                    fd,
                    s.file_offset,
                )
            }
            .map_err(|e| MapError::Sys("mmap", e))?;
        }
        // The rest of the last file page: zeros (the file's next bytes
        // are not the segment's).
        let zero_from = bias + s.zero_from as usize;
        let file_end = if s.file_len > 0 {
            zero_from.next_multiple_of(PAGE as usize)
        } else {
            page
        };
        let end = bias + s.end as usize;
        if end > zero_from && file_end > zero_from {
            let n = file_end.min(end) - zero_from;
            // SAFETY: inside the file mapping just made, readable and
            // writable.
            unsafe { (zero_from as *mut u8).write_bytes(0, n) };
        }
        // Whole pages past the file's: anonymous, zero.
        let end_page = end.next_multiple_of(PAGE as usize);
        if end_page > file_end {
            // SAFETY: inside the reserved span.
            unsafe {
                sys::mmap(
                    file_end,
                    end_page - file_end,
                    rw,
                    MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS,
                    usize::MAX,
                    0,
                )
            }
            .map_err(|e| MapError::Sys("mmap", e))?;
        }
    }
    object.bias = bias;
    object.first = layout.first;
    object.end = layout.end;
    object.phnum = phnum;
    object.phdr = loaded_phdrs(phdrs, h.phoff, bias).ok_or(ld_vibix::Error::BadHeader(
        "program headers not in a segment",
    ))?;
    Ok(())
}
// ANCHOR_END: map

/// Where the program headers are in memory: `PT_PHDR`'s address, or the
/// place of file offset `phoff` in the segment that loads it.
fn loaded_phdrs(phdrs: &[Phdr], phoff: u64, bias: usize) -> Option<usize> {
    if let Some(p) = phdrs.iter().find(|p| p.p_type == PT_PHDR) {
        return Some(bias + p.p_vaddr as usize);
    }
    let size = size_of_val(phdrs) as u64;
    phdrs
        .iter()
        .find(|p| {
            p.p_type == PT_LOAD && phoff >= p.p_offset && phoff + size <= p.p_offset + p.p_filesz
        })
        .map(|p| bias + (p.p_vaddr + (phoff - p.p_offset)) as usize)
}

/// Gives each segment of a library its own protection, once relocated.
///
/// # Safety
///
/// `object` must be a library this module mapped, relocated: nothing will
/// write its read-only segments again.
pub unsafe fn protect(object: &Object) -> Result<(), Errno> {
    for p in object.phdrs().iter().filter(|p| p.p_type == PT_LOAD) {
        let Ok(s) = segments::segment(p) else {
            continue;
        };
        let page = object.bias + s.page as usize;
        let len = (s.end.next_multiple_of(PAGE) - s.page) as usize;
        // SAFETY: the segment's own pages; the caller says they are done.
        unsafe { sys::mprotect(page, len, s.prot)? };
    }
    Ok(())
}

// ANCHOR: relro
/// Makes an object's `PT_GNU_RELRO` read-only: the whole pages it covers
/// (its end rounded down, as glibc does: the rest of the last page is
/// ordinary data).
///
/// # Safety
///
/// The object must be relocated: nothing writes its RELRO part again.
pub unsafe fn protect_relro(object: &Object) -> Result<(), Errno> {
    let Some(r) = object.relro() else {
        return Ok(());
    };
    let start = (object.bias + r.p_vaddr as usize) & !(PAGE as usize - 1);
    let end = (object.bias + (r.p_vaddr + r.p_memsz) as usize) & !(PAGE as usize - 1);
    if end > start {
        // SAFETY: the object's own pages; the caller says they are done.
        unsafe { sys::mprotect(start, end - start, PROT_READ)? };
    }
    Ok(())
}
// ANCHOR_END: relro
