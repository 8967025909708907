//! A new thread's TLS block: a fresh copy of the program's `PT_TLS`
//! template (never the creating thread's current values), laid out as
//! x86_64's variant II wants (`vibix_uapi::tls`): the image just below the
//! thread pointer, the TCB at it, whose first word points to itself.
//!
//! The template is found through the program headers the auxiliary vector
//! points at (`AT_PHDR`, `AT_PHNUM`), which `start` recorded; in a
//! dynamically linked process, the dynamic linker's combined template of
//! every object loaded at start-up, published in the TCB
//! (`vibix_uapi::tls::TCB_TEMPLATE`), is used instead. Finding it
//! and filling a block are pure logic, tested on the host and under Miri
//! with headers and memory made by the test.

use vibix_uapi::elf::{PT_PHDR, PT_TLS, Phdr};
use vibix_uapi::tls::{self, StaticTemplate, TlsLayout};

/// The program's TLS template: `filesz` bytes at `image`, then zeros up to
/// `memsz`, aligned to `align`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    /// Address of the initialized part, in the loaded program.
    pub image: usize,
    /// Bytes of initialized data.
    pub filesz: usize,
    /// Bytes of the whole image (the rest is zero).
    pub memsz: usize,
    /// Alignment of the image.
    pub align: usize,
    /// In a dynamically linked process, the address of the dynamic
    /// linker's [`StaticTemplate`] this is (copied into every new TCB at
    /// `TCB_TEMPLATE`); 0 otherwise.
    pub published: usize,
}

impl Template {
    /// No thread-local variables at all: a block that is only a TCB.
    pub const NONE: Template = Template {
        image: 0,
        filesz: 0,
        memsz: 0,
        align: 1,
        published: 0,
    };

    /// The block layout for this template; `None` for an alignment that is
    /// not a power of two.
    pub fn layout(&self) -> Option<TlsLayout> {
        tls::layout(self.memsz as u64, self.align as u64)
    }
}

// ANCHOR: find
/// The `PT_TLS` template among `phdrs`, the program headers found at
/// address `at_phdr` (the auxiliary vector's `AT_PHDR`). A program loaded
/// somewhere else than it was linked for (a position-independent one) has a
/// `PT_PHDR` header: the difference between its `p_vaddr` and `at_phdr` is
/// the load bias, added to the template's address. `None` when there is no
/// `PT_TLS` or its sizes make no sense.
pub fn find(phdrs: &[Phdr], at_phdr: usize) -> Option<Template> {
    let bias = phdrs
        .iter()
        .find(|p| p.p_type == PT_PHDR)
        .map_or(0, |p| at_phdr.wrapping_sub(p.p_vaddr as usize));
    let t = phdrs.iter().find(|p| p.p_type == PT_TLS)?;
    if t.p_filesz > t.p_memsz {
        return None;
    }
    Some(Template {
        image: (t.p_vaddr as usize).wrapping_add(bias),
        filesz: usize::try_from(t.p_filesz).ok()?,
        memsz: usize::try_from(t.p_memsz).ok()?,
        align: usize::try_from(t.p_align.max(1)).ok()?,
        published: 0,
    })
}
// ANCHOR_END: find

/// The running program's template, from the auxiliary vector `start`
/// recorded: [`Template::NONE`] if the program has no thread-local
/// variables; `None` if there is no auxiliary vector to look in (on the
/// host) or its headers are not `Elf64_Phdr`s.
pub fn program_template() -> Option<Template> {
    let headers = crate::image::headers()?;
    Some(find(headers.phdrs, headers.at_phdr).unwrap_or(Template::NONE))
}

// ANCHOR: thread_template
/// The template a new thread's block is made from: the one a dynamic
/// linker published in the calling thread's TCB (every object's TLS), or
/// else the program's own `PT_TLS`.
pub fn thread_template() -> Option<Template> {
    let published: usize;
    // SAFETY: a thread that makes threads has a TLS block whose TCB is at
    // least `TCB_SIZE` bytes (every block is made by `init_block`, by the
    // kernel or by a dynamic linker, all with the word at TCB_TEMPLATE).
    unsafe {
        core::arch::asm!(
            "mov {}, qword ptr fs:[{off}]",
            out(reg) published,
            off = const tls::TCB_TEMPLATE,
            options(nostack, readonly, preserves_flags),
        )
    };
    if published == 0 {
        return program_template();
    }
    // SAFETY: a dynamic linker published it: a `StaticTemplate` that lives
    // as long as the process.
    let t = unsafe { (published as *const StaticTemplate).read() };
    Some(Template {
        image: t.image,
        filesz: t.filesz,
        memsz: t.memsz,
        align: t.align,
        published,
    })
}
// ANCHOR_END: thread_template

/// Gives the calling (first) thread a TLS block if the kernel gave it none.
///
/// vibix lays out the first thread's TLS block from the program's `PT_TLS`
/// before `_start` runs (phase 3). Linux leaves that to the C library
/// (glibc's static start-up does it). So that the very same static binary
/// also runs on Linux (a C program's, compared with glibc's; a std
/// program's, traced with the host's `strace`), program start calls this:
/// when the thread pointer is zero it builds the block the way vibix's
/// kernel would, a fresh copy of the template in an anonymous mapping,
/// made the thread pointer with `arch_prctl`. Runs before anything touches
/// a thread-local variable.
pub fn ensure_main_block() {
    use vibix_uapi::prctl::{ARCH_GET_FS, ARCH_SET_FS};
    use vibix_uapi::{nr, syscall};
    let mut fs: usize = 0;
    // SAFETY: ARCH_GET_FS writes one word to the address given, our local.
    let ret = unsafe { syscall!(nr::ARCH_PRCTL, ARCH_GET_FS, &raw mut fs) };
    if ret != 0 || fs != 0 {
        // vibix set it up (or the call is unknown: nothing we can do).
        return;
    }
    let Some(template) = program_template() else {
        return;
    };
    let Some(layout) = template.layout() else {
        return;
    };
    // A fresh anonymous mapping is zeroed and page-aligned, which covers
    // any alignment `PT_TLS` asks for up to a page.
    let Ok(block) = crate::mem::mmap_anonymous(layout.size as usize) else {
        return;
    };
    // SAFETY: `block` is a fresh mapping of `layout.size` bytes, aligned to
    // a page (at least `layout.align` for any real template); the template
    // image is the program's loaded `PT_TLS` data, outside the mapping.
    let tp = unsafe { init_block(block, &layout, &template, template.image as *const u8) };
    // SAFETY: `tp` is a complete TLS block's thread pointer, which stays
    // mapped for the life of the process.
    unsafe { syscall!(nr::ARCH_PRCTL, ARCH_SET_FS, tp) };
}

// ANCHOR: init_block
/// Fills the TLS block at `block` for `template` laid out as `layout`:
/// the template's initialized bytes, zeros for the rest of the image, the
/// TCB's self pointer. Returns the thread pointer.
///
/// # Safety
///
/// `block` must be valid for writes of `layout.size` bytes and aligned to
/// `layout.align`, and `image` must be the template's `filesz` initialized
/// bytes, not overlapping the block; `layout` must be `template`'s.
pub unsafe fn init_block(
    block: *mut u8,
    layout: &TlsLayout,
    template: &Template,
    image: *const u8,
) -> *mut u8 {
    let image_at = layout.image_offset as usize;
    let tp_at = layout.tp_offset as usize;
    // SAFETY: the image fits below tp (`tls::layout` puts it there), so
    // every write below is inside the caller's `layout.size` bytes; the
    // source is the caller's `filesz` readable bytes, not overlapping.
    unsafe {
        core::ptr::copy_nonoverlapping(image, block.add(image_at), template.filesz);
        block
            .add(image_at + template.filesz)
            .write_bytes(0, template.memsz - template.filesz);
        let tp = block.add(tp_at);
        // The TCB's first word is its own address (`mov %fs:0, %rax`).
        tp.cast::<*mut u8>().write(tp);
        // The rest of the TCB starts zeroed, but for the published
        // template (0 in a static program).
        tp.add(size_of::<usize>())
            .write_bytes(0, tls::TCB_SIZE as usize - size_of::<usize>());
        tp.add(tls::TCB_TEMPLATE as usize)
            .cast::<usize>()
            .write(template.published);
        tp
    }
}
// ANCHOR_END: init_block

#[cfg(test)]
mod tests {
    use super::*;
    use std::alloc::{Layout, alloc, dealloc};
    use std::vec;

    fn phdr(p_type: u32, p_vaddr: u64, p_filesz: u64, p_memsz: u64, p_align: u64) -> Phdr {
        Phdr {
            p_type,
            p_vaddr,
            p_filesz,
            p_memsz,
            p_align,
            ..Phdr::default()
        }
    }

    #[test]
    fn finds_the_template() {
        let load = phdr(1, 0x40_0000, 0x1000, 0x1000, 0x1000);
        let tls = phdr(PT_TLS, 0x40_2000, 16, 48, 8);
        assert_eq!(
            find(&[load, tls], 0x40_0040),
            Some(Template {
                image: 0x40_2000,
                filesz: 16,
                memsz: 48,
                align: 8,
                published: 0
            })
        );
        assert_eq!(find(&[load], 0x40_0040), None, "no PT_TLS");
        let bad = phdr(PT_TLS, 0x40_2000, 64, 48, 8);
        assert_eq!(find(&[bad], 0x40_0040), None, "filesz > memsz");
        let zero_align = phdr(PT_TLS, 0x40_2000, 0, 4, 0);
        assert_eq!(find(&[zero_align], 0).unwrap().align, 1);
    }

    #[test]
    fn a_load_bias_moves_the_template() {
        // Linked at 0 with headers at 0x40, loaded at 0x7000_0000.
        let headers = phdr(PT_PHDR, 0x40, 0x70, 0x70, 8);
        let tls = phdr(PT_TLS, 0x3000, 8, 8, 8);
        let t = find(&[headers, tls], 0x7000_0040).unwrap();
        assert_eq!(t.image, 0x7000_3000);
    }

    #[test]
    fn a_block_is_a_fresh_copy_with_its_tcb() {
        let image: [u8; 5] = [1, 2, 3, 4, 5];
        let template = Template {
            image: 0,
            filesz: image.len(),
            memsz: 20,
            align: 16,
            published: 0x1234_5678,
        };
        let l = template.layout().unwrap();
        let mem_layout = Layout::from_size_align(l.size as usize, l.align as usize).unwrap();
        // SAFETY: a non-zero size.
        let block = unsafe { alloc(mem_layout) };
        assert!(!block.is_null());
        // Garbage that the fill must overwrite.
        // SAFETY: the allocation is `l.size` bytes.
        unsafe { block.write_bytes(0xAA, l.size as usize) };
        // SAFETY: the block is ours, sized and aligned for `l`.
        let tp = unsafe { init_block(block, &l, &template, image.as_ptr()) };
        // SAFETY: every byte was written; the block is live until freed.
        let bytes = unsafe { core::slice::from_raw_parts(block, l.size as usize) };
        let img = l.image_offset as usize;
        assert_eq!(&bytes[img..img + 5], &image);
        assert_eq!(&bytes[img + 5..img + 20], &[0; 15]);
        assert_eq!(tp as usize - block as usize, l.tp_offset as usize);
        assert_eq!(tp as usize % 16, 0);
        // SAFETY: tp is inside the block and aligned for a pointer.
        assert_eq!(unsafe { tp.cast::<*mut u8>().read() }, tp, "self pointer");
        let tcb = l.tp_offset as usize;
        let word = |at: usize| usize::from_ne_bytes(bytes[at..at + 8].try_into().unwrap());
        assert_eq!(
            word(tcb + tls::TCB_TEMPLATE as usize),
            0x1234_5678,
            "the published template, handed on"
        );
        assert_eq!(bytes[tcb + 16..tcb + 64], vec![0; 48][..]);
        // SAFETY: allocated above with this layout.
        unsafe { dealloc(block, mem_layout) };
    }
}
