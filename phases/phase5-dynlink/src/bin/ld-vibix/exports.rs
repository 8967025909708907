//! What `ld-vibix` exports to the objects it loads (it is the last object
//! of the global scope): `__tls_get_addr`, which general-dynamic TLS code
//! calls (`DTPMOD64`/`DTPOFF64`: with static TLS for every module, the
//! address is the thread pointer plus the module's fixed offset plus the
//! variable's), and `__vibix_dl_object`, through which the C library's
//! `dl_iterate_phdr` sees every loaded object (`vibix_uapi::dl`).

use vibix_uapi::dl::{LoadedObject, TlsIndex};

use crate::object::OBJECTS;

/// The calling thread's thread pointer (the TCB's self pointer, `fs:0`).
fn thread_pointer() -> usize {
    let tp: usize;
    // SAFETY: every thread has a TCB whose first word points to itself.
    unsafe {
        core::arch::asm!("mov {}, fs:0", out(reg) tp, options(nostack, readonly, preserves_flags));
    }
    tp
}

// ANCHOR: tls_get_addr
/// The address of the TLS variable `ti` names, in the calling thread.
///
/// # Safety
///
/// `ti` must point at a `tls_index` the dynamic linker's relocations
/// filled (a loaded module's id).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __tls_get_addr(ti: *const TlsIndex) -> *mut u8 {
    // SAFETY: the caller's contract.
    let ti = unsafe { ti.read() };
    let offset = OBJECTS
        .loaded()
        .find(|o| o.tls_module == ti.module as u64)
        .map_or(0, |o| o.tls_offset);
    (thread_pointer() as isize + offset as isize + ti.offset as isize) as *mut u8
}
// ANCHOR_END: tls_get_addr

/// Fills `*out` with the `index`-th loaded object; 0, or -1 past the last.
///
/// # Safety
///
/// `out` must be valid for a write of a `LoadedObject`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __vibix_dl_object(index: usize, out: *mut LoadedObject) -> i32 {
    let count = OBJECTS.loaded().count();
    let Some(o) = OBJECTS.loaded().nth(index) else {
        return -1;
    };
    let info = LoadedObject {
        addr: o.bias,
        name: if o.is_program {
            c"".as_ptr().cast()
        } else {
            o.c_name()
        },
        phdr: o.phdr,
        phnum: o.phnum,
        tls_modid: o.tls_module as usize,
        tls_offset: o.tls_offset as isize,
        count,
    };
    // SAFETY: the caller's contract.
    unsafe { out.write(info) };
    0
}
