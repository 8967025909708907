//! `<link.h>`: `dl_iterate_phdr`, which walks the program's loaded objects
//! and shows each one's program headers (`struct dl_phdr_info`). An
//! unwinder (gcc's `libgcc_eh`) and a backtrace symbolizer look up a code
//! address's object this way. A vibix program is static and alone in its
//! address space, so there is one object, the program, whose headers the
//! kernel's auxiliary vector points at (`vibix_abi::image`), loaded once
//! (`dlpi_adds` 1, `dlpi_subs` 0), named `""` as glibc names the main
//! program. The segment types (`PT_LOAD`, ...) come with it, as glibc's
//! `<link.h>` brings `<elf.h>`'s.
//!
//! ```c
//! #define ElfW(type) Elf64_##type
//! ```

use vibix_abi::image::Headers;
pub use vibix_uapi::elf::Phdr as Elf64_Phdr;
pub use vibix_uapi::elf::{PT_GNU_EH_FRAME, PT_LOAD, PT_PHDR, PT_TLS};

use crate::types::{c_char, c_int, c_ulonglong, c_void, size_t};

/// An address in the program (`ElfW(Addr)`).
pub type Elf64_Addr = u64;
/// A small ELF count (`ElfW(Half)`).
pub type Elf64_Half = u16;

/// One loaded object, as `dl_iterate_phdr` shows it: glibc's x86_64 layout.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct dl_phdr_info {
    /// The load bias: run-time address minus linked address.
    pub dlpi_addr: Elf64_Addr,
    /// Its name (`""` for the program itself).
    pub dlpi_name: *const c_char,
    /// Its program headers, as loaded.
    pub dlpi_phdr: *const Elf64_Phdr,
    /// How many there are.
    pub dlpi_phnum: Elf64_Half,
    /// Objects loaded so far (one: the program).
    pub dlpi_adds: c_ulonglong,
    /// Objects unloaded so far (none).
    pub dlpi_subs: c_ulonglong,
    /// Its TLS module id (1 if it has a `PT_TLS` segment, else 0).
    pub dlpi_tls_modid: size_t,
    /// The calling thread's copy of its TLS image (NULL without one).
    pub dlpi_tls_data: *mut c_void,
}

/// `dl_iterate_phdr`'s callback: the object, the size of the structure,
/// the caller's data; nonzero stops the walk.
pub type __dl_iterate_phdr_callback =
    unsafe extern "C" fn(*mut dl_phdr_info, size_t, *mut c_void) -> c_int;

/// Calls `callback(info, sizeof info, data)` for each loaded object (the
/// program alone) until one returns nonzero; returns that value, or 0.
///
/// # Safety
///
/// `callback` must be sound to call with `data`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn dl_iterate_phdr(
    callback: Option<__dl_iterate_phdr_callback>,
    data: *mut c_void,
) -> c_int {
    let Some(callback) = callback else {
        return 0;
    };
    #[cfg(feature = "shared")]
    {
        // SAFETY: the caller's contract.
        return unsafe { shared::iterate(callback, data) };
    }
    #[cfg_attr(feature = "shared", allow(unreachable_code))]
    let Some(headers) = vibix_abi::image::headers() else {
        return 0;
    };
    let mut info = program_info(&headers, thread_pointer());
    // SAFETY: the caller's contract; `info` is ours for the call.
    unsafe { callback(&raw mut info, size_of::<dl_phdr_info>(), data) }
}

/// `dl_iterate_phdr` in the shared library: every object the dynamic
/// linker loaded, as it describes them (`vibix_uapi::dl`).
#[cfg(feature = "shared")]
mod shared {
    use vibix_uapi::dl::LoadedObject;

    use super::*;

    unsafe extern "C" {
        /// Exported by `ld-vibix` (`vibix_uapi::dl::OBJECT_FN`).
        fn __vibix_dl_object(index: usize, out: *mut LoadedObject) -> c_int;
    }

    // ANCHOR: iterate
    /// Calls `callback` for each loaded object, the program first, until
    /// one returns nonzero.
    ///
    /// # Safety
    ///
    /// `callback` must be sound to call with `data`.
    pub unsafe fn iterate(callback: __dl_iterate_phdr_callback, data: *mut c_void) -> c_int {
        let tp = thread_pointer();
        let mut index = 0;
        loop {
            let mut o = core::mem::MaybeUninit::<LoadedObject>::uninit();
            // SAFETY: `o` is writable; the dynamic linker fills it or says
            // there is no such object.
            if unsafe { __vibix_dl_object(index, o.as_mut_ptr()) } != 0 {
                return 0;
            }
            // SAFETY: filled above.
            let o = unsafe { o.assume_init() };
            let mut info = dl_phdr_info {
                dlpi_addr: o.addr as Elf64_Addr,
                dlpi_name: o.name.cast(),
                dlpi_phdr: core::ptr::with_exposed_provenance(o.phdr),
                dlpi_phnum: o.phnum as Elf64_Half,
                dlpi_adds: o.count as c_ulonglong,
                dlpi_subs: 0,
                dlpi_tls_modid: o.tls_modid,
                dlpi_tls_data: if o.tls_modid == 0 {
                    core::ptr::null_mut()
                } else {
                    core::ptr::with_exposed_provenance_mut(tp.wrapping_add_signed(o.tls_offset))
                },
            };
            // SAFETY: the caller's contract; `info` is ours for the call.
            let r = unsafe { callback(&raw mut info, size_of::<dl_phdr_info>(), data) };
            if r != 0 {
                return r;
            }
            index += 1;
        }
    }
    // ANCHOR_END: iterate
}

/// The program's `dl_phdr_info`, for the thread whose thread pointer is
/// `tp` (variant II: its TLS image ends just below `tp`).
fn program_info(headers: &Headers, tp: usize) -> dl_phdr_info {
    let tls = headers.find(PT_TLS).and_then(|t| {
        let layout = vibix_uapi::tls::layout(t.p_memsz, t.p_align)?;
        Some(tp.wrapping_sub((layout.tp_offset - layout.image_offset) as usize))
    });
    dl_phdr_info {
        dlpi_addr: headers.bias() as Elf64_Addr,
        dlpi_name: c"".as_ptr(),
        dlpi_phdr: headers.phdrs.as_ptr(),
        dlpi_phnum: headers.phdrs.len() as Elf64_Half,
        dlpi_adds: 1,
        dlpi_subs: 0,
        dlpi_tls_modid: usize::from(tls.is_some()),
        dlpi_tls_data: tls.map_or(
            core::ptr::null_mut(),
            core::ptr::with_exposed_provenance_mut,
        ),
    }
}

/// The calling thread's thread pointer (`%fs:0`, the TCB's self pointer).
fn thread_pointer() -> usize {
    #[cfg(not(miri))]
    {
        let tp: usize;
        // SAFETY: every thread of the program has a TCB whose first word
        // points to itself (`start` and `pthread_create` see to it).
        unsafe {
            core::arch::asm!("mov {}, fs:0", out(reg) tp, options(nostack, readonly, preserves_flags));
        }
        tp
    }
    #[cfg(miri)]
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The host's own program headers, from its auxiliary vector (the
    /// tests have no recorded vibix start).
    fn host_headers() -> Headers {
        // SAFETY: `getauxval` reads the host's auxiliary vector.
        let (at_phdr, count) = unsafe {
            (
                libc::getauxval(libc::AT_PHDR) as usize,
                libc::getauxval(libc::AT_PHNUM) as usize,
            )
        };
        // SAFETY: the kernel's AT_PHDR and AT_PHNUM describe the loaded
        // program's headers, mapped for the process's life.
        let phdrs = unsafe {
            core::slice::from_raw_parts(core::ptr::with_exposed_provenance(at_phdr), count)
        };
        Headers { phdrs, at_phdr }
    }

    /// The first object glibc's `dl_iterate_phdr` shows: the program.
    unsafe extern "C" fn first(info: *mut libc::dl_phdr_info, _: usize, out: *mut c_void) -> c_int {
        // SAFETY: glibc passes a valid `info`; `out` is the test's.
        unsafe { out.cast::<libc::dl_phdr_info>().write(*info) };
        1
    }

    #[test]
    #[cfg_attr(miri, ignore = "calls the host C library")]
    fn the_program_as_glibc_shows_it() {
        assert_eq!(size_of::<dl_phdr_info>(), size_of::<libc::dl_phdr_info>());
        // SAFETY: a zeroed `dl_phdr_info` is plain data; `first` fills it.
        let mut theirs: libc::dl_phdr_info = unsafe { core::mem::zeroed() };
        // SAFETY: `first` writes one `dl_phdr_info` into `theirs`.
        let r = unsafe { libc::dl_iterate_phdr(Some(first), (&raw mut theirs).cast()) };
        assert_eq!(r, 1);
        let ours = program_info(&host_headers(), thread_pointer());
        // SAFETY: glibc's name for the program is a C string.
        let name = unsafe { core::ffi::CStr::from_ptr(theirs.dlpi_name) };
        assert_eq!(name.to_bytes(), b"");
        assert_eq!(ours.dlpi_addr, theirs.dlpi_addr);
        assert_eq!(ours.dlpi_phdr.addr(), theirs.dlpi_phdr.addr());
        assert_eq!(ours.dlpi_phnum, theirs.dlpi_phnum);
        assert_eq!(ours.dlpi_tls_modid, theirs.dlpi_tls_modid);
        assert_eq!(ours.dlpi_tls_data.addr(), theirs.dlpi_tls_data.addr());
    }

    #[test]
    fn without_a_callback_or_headers_nothing_is_called() {
        // SAFETY: no callback is called.
        assert_eq!(unsafe { dl_iterate_phdr(None, core::ptr::null_mut()) }, 0);
        unsafe extern "C" fn never(_: *mut dl_phdr_info, _: size_t, _: *mut c_void) -> c_int {
            unreachable!()
        }
        // SAFETY: the tests have no recorded start, so there are no headers
        // and the callback is never called.
        let r = unsafe { dl_iterate_phdr(Some(never), core::ptr::null_mut()) };
        assert_eq!(r, 0);
    }
}
