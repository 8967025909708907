//! Static TLS for every object loaded at start-up (finding A-A2): each
//! object with a `PT_TLS` segment gets a module id and a fixed offset below
//! the thread pointer (`ld_vibix::tls::place`, before relocation, which
//! writes those offsets into `TPOFF64` fields); once relocated, their
//! initialized images are copied into one combined template, the first
//! thread's block is made from it, and the template is published in the
//! TCB (`vibix_uapi::tls::TCB_TEMPLATE`) for the threads to come.

use ld_vibix::tls::{self, Module, StaticTls};
use vibix_uapi::mman::{MAP_ANONYMOUS, MAP_PRIVATE};
use vibix_uapi::tls::{StaticTemplate, TCB_TEMPLATE, layout};

use crate::object::{MAX_OBJECTS, Object};
use crate::sys;

/// Numbers the modules and places their blocks; returns the whole.
pub fn place(objects: &mut [Object]) -> Result<StaticTls, ld_vibix::Error> {
    let mut modules = [Module::default(); MAX_OBJECTS];
    let mut which = [0usize; MAX_OBJECTS];
    let mut n = 0;
    for (i, o) in objects.iter().enumerate() {
        if let Some(t) = o.tls() {
            modules[n] = Module {
                memsz: t.p_memsz,
                align: t.p_align,
            };
            which[n] = i;
            n += 1;
        }
    }
    let mut offsets = [0i64; MAX_OBJECTS];
    let whole = tls::place(&modules[..n], &mut offsets[..n])?;
    for m in 0..n {
        let o = &mut objects[which[m]];
        o.tls_module = m as u64 + 1;
        o.tls_offset = offsets[m];
    }
    Ok(whole)
}

/// A fresh zeroed anonymous mapping of `len` bytes, or `None`.
fn anonymous(len: usize) -> Option<usize> {
    // SAFETY: no MAP_FIXED: a new range.
    unsafe {
        sys::mmap(
            0,
            len.max(1),
            vibix_uapi::mman::PROT_READ as u32 | vibix_uapi::mman::PROT_WRITE as u32,
            MAP_PRIVATE | MAP_ANONYMOUS,
            usize::MAX,
            0,
        )
    }
    .ok()
}

/// The published template: it must outlive every thread.
static mut TEMPLATE: StaticTemplate = StaticTemplate {
    image: 0,
    filesz: 0,
    memsz: 0,
    align: 1,
};

// ANCHOR: first_block
/// Builds the combined template from the relocated objects, makes the
/// first thread's block from it and sets the thread pointer. `None` if
/// memory ran out.
///
/// # Safety
///
/// Start-up only, once, after relocation; the objects' `PT_TLS` images
/// are mapped.
pub unsafe fn install(objects: &[Object], whole: StaticTls) -> Option<()> {
    let size = whole.size as usize;
    let image = anonymous(size)?;
    for o in objects {
        let Some(t) = o.tls() else { continue };
        // The module's block starts `-tls_offset` below the thread
        // pointer, which is `size` bytes past the template's start.
        let at = image + (size as i64 + o.tls_offset) as usize;
        let from = (o.bias + t.p_vaddr as usize) as *const u8;
        // SAFETY: the object's loaded `PT_TLS` initialized bytes; the block
        // lies inside the template (`tls::place` put it there).
        unsafe { core::ptr::copy_nonoverlapping(from, at as *mut u8, t.p_filesz as usize) };
    }
    let l = layout(whole.size, whole.align)?;
    let block = anonymous(l.size as usize)?;
    // A fresh mapping is page aligned: enough for any template alignment
    // up to a page.
    let tp = block + l.tp_offset as usize;
    // SAFETY: start-up, on the only thread: nothing else reads TEMPLATE yet.
    let published = unsafe {
        let t = &raw mut TEMPLATE;
        t.write(StaticTemplate {
            image,
            filesz: size,
            memsz: size,
            align: whole.align as usize,
        });
        t as usize
    };
    // SAFETY: the block is ours, `l.size` bytes; the template is `size`
    // bytes, copied to the image offset, below the TCB.
    unsafe {
        core::ptr::copy_nonoverlapping(
            image as *const u8,
            (block + l.image_offset as usize) as *mut u8,
            size,
        );
        (tp as *mut usize).write(tp);
        ((tp + TCB_TEMPLATE as usize) as *mut usize).write(published);
        sys::set_thread_pointer(tp);
    }
    Some(())
}
// ANCHOR_END: first_block
