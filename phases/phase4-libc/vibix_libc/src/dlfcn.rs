//! `<dlfcn.h>`: the dynamic linker's interface, for a program that has
//! none. A vibix program is static: `dlsym` finds no symbol (as glibc's
//! `dlsym` in a static program that loaded no library; Rust's std for
//! `linux-gnu` asks it for optional glibc functions and does without
//! them), `dlerror` says why, and `_dl_find_object` (glibc 2.35's fast
//! lookup, which gcc's unwinder `libgcc_eh` calls to find a code address's
//! unwind tables) answers for the program itself from its program headers
//! (`vibix_abi::image`). `dlopen` fails in a static program (there is
//! no dynamic linker to load with), as `dlclose` does.
//!
//! Built as the shared `libvibix_libc.so` (phase 5, feature `shared`),
//! `dlopen`, `dlsym`, `dlclose` and `dlerror` ask the dynamic linker,
//! which exports them as `__vibix_dlopen` and so on (`vibix_uapi::dl`).
//!
//! ```c
//! #define RTLD_DEFAULT ((void *) 0)
//! #define RTLD_NEXT ((void *) -1l)
//! #define RTLD_LAZY 0x1
//! #define RTLD_NOW 0x2
//! #define RTLD_LOCAL 0
//! #define RTLD_GLOBAL 0x100
//! ```

use core::cell::Cell;

use vibix_abi::image::Headers;
use vibix_uapi::elf::PT_LOAD;

use crate::types::{c_char, c_int, c_ulonglong, c_void};

/// The last `dlsym` failure of the thread, until `dlerror` reports it.
#[thread_local]
static PENDING: Cell<bool> = Cell::new(false);

/// The address of `name` in `handle`'s symbols: always NULL (a static
/// program has no dynamic symbol table), with the failure kept for
/// [`dlerror`].
///
/// # Safety
///
/// `name` must be a NUL-terminated string (it is not read).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn dlsym(_handle: *mut c_void, _name: *const c_char) -> *mut c_void {
    #[cfg(feature = "shared")]
    {
        // SAFETY: the caller's contract.
        return unsafe { linker::__vibix_dlsym(_handle as usize, _name.cast()) } as *mut c_void;
    }
    #[cfg_attr(feature = "shared", allow(unreachable_code))]
    PENDING.set(true);
    core::ptr::null_mut()
}

/// Loads the shared object `path`: its handle, or NULL (always, in a
/// static program).
///
/// # Safety
///
/// `path` must be NULL or a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn dlopen(path: *const c_char, flags: c_int) -> *mut c_void {
    #[cfg(feature = "shared")]
    {
        // SAFETY: the caller's contract.
        return unsafe { linker::__vibix_dlopen(path.cast(), flags) } as *mut c_void;
    }
    #[cfg_attr(feature = "shared", allow(unreachable_code))]
    let _ = (path, flags);
    PENDING.set(true);
    core::ptr::null_mut()
}

/// Gives back a handle `dlopen` returned: 0, or -1 (in a static program,
/// where there is none).
///
/// # Safety
///
/// `handle` must be what `dlopen` returned.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn dlclose(handle: *mut c_void) -> c_int {
    #[cfg(feature = "shared")]
    {
        return linker::__vibix_dlclose(handle as usize);
    }
    #[cfg_attr(feature = "shared", allow(unreachable_code))]
    let _ = handle;
    PENDING.set(true);
    -1
}

/// What the dynamic linker exports (`vibix_uapi::dl`).
#[cfg(feature = "shared")]
mod linker {
    use crate::types::c_int;

    unsafe extern "C" {
        pub fn __vibix_dlopen(path: *const u8, flags: c_int) -> usize;
        pub fn __vibix_dlsym(handle: usize, name: *const u8) -> usize;
        pub safe fn __vibix_dlclose(handle: usize) -> c_int;
        pub safe fn __vibix_dlerror() -> *const u8;
    }
}

/// The thread's last `dlsym` failure since the previous call, as a message,
/// or NULL if there was none.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn dlerror() -> *mut c_char {
    #[cfg(feature = "shared")]
    {
        return linker::__vibix_dlerror().cast_mut().cast();
    }
    #[cfg_attr(feature = "shared", allow(unreachable_code))]
    if PENDING.replace(false) {
        c"undefined symbol: a static program has no dynamic symbols"
            .as_ptr()
            .cast_mut()
    } else {
        core::ptr::null_mut()
    }
}

/// What `_dl_find_object` reports: glibc's x86_64 layout (its
/// `dlfo_eh_frame` is the `PT_GNU_EH_FRAME` segment, `.eh_frame_hdr`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct dl_find_object {
    /// No flags are defined: 0.
    pub dlfo_flags: c_ulonglong,
    /// The object's lowest address (its first loaded page).
    pub dlfo_map_start: *mut c_void,
    /// The end of its highest loaded segment.
    pub dlfo_map_end: *mut c_void,
    /// The dynamic linker's record of it: NULL (there is none).
    pub dlfo_link_map: *mut c_void,
    /// Its unwind tables' index (`.eh_frame_hdr`), or NULL.
    pub dlfo_eh_frame: *mut c_void,
    __dflo_reserved: [c_ulonglong; 7],
}

impl dl_find_object {
    /// Nothing found yet: every field zero or NULL.
    const EMPTY: dl_find_object = dl_find_object {
        dlfo_flags: 0,
        dlfo_map_start: core::ptr::null_mut(),
        dlfo_map_end: core::ptr::null_mut(),
        dlfo_link_map: core::ptr::null_mut(),
        dlfo_eh_frame: core::ptr::null_mut(),
        __dflo_reserved: [0; 7],
    };
}

/// Fills `*result` for the object that contains address `pc` (the program,
/// if `pc` is in it) and returns 0, or returns -1 if no object contains it.
///
/// # Safety
///
/// `result` must be writable for a `struct dl_find_object`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn _dl_find_object(pc: *mut c_void, result: *mut dl_find_object) -> c_int {
    let found = vibix_abi::image::headers().and_then(|h| find_object(&h, pc.addr()));
    match found {
        Some(found) => {
            // SAFETY: the caller's contract.
            unsafe { result.write(found) };
            0
        }
        None => -1,
    }
}

/// The program's `dl_find_object` if `pc` lies in its loaded range (glibc's
/// range for the main program: from its lowest `PT_LOAD` page to the end
/// of its highest `PT_LOAD` segment, bias added).
fn find_object(headers: &Headers, pc: usize) -> Option<dl_find_object> {
    let bias = headers.bias();
    let loads = headers.phdrs.iter().filter(|p| p.p_type == PT_LOAD);
    let start = loads
        .clone()
        .map(|p| p.p_vaddr & !(p.p_align.max(1) - 1))
        .min()?;
    let end = loads.map(|p| p.p_vaddr + p.p_memsz).max()?;
    let (start, end) = (
        (start as usize).wrapping_add(bias),
        (end as usize).wrapping_add(bias),
    );
    if !(start..end).contains(&pc) {
        return None;
    }
    Some(dl_find_object {
        dlfo_map_start: core::ptr::with_exposed_provenance_mut(start),
        dlfo_map_end: core::ptr::with_exposed_provenance_mut(end),
        dlfo_eh_frame: headers.eh_frame_hdr().map_or(
            core::ptr::null_mut(),
            core::ptr::with_exposed_provenance_mut,
        ),
        ..dl_find_object::EMPTY
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dlsym_finds_nothing_and_dlerror_says_so_once() {
        assert!(dlerror().is_null());
        // SAFETY: a NUL-terminated name.
        let p = unsafe { dlsym(core::ptr::null_mut(), c"gnu_get_libc_version".as_ptr()) };
        assert!(p.is_null());
        assert!(!dlerror().is_null());
        assert!(dlerror().is_null());
    }

    // glibc's `_dl_find_object` (2.35 on), which the `libc` crate does
    // not declare: its structure is ours (the layout is the same).
    unsafe extern "C" {
        #[link_name = "_dl_find_object"]
        fn host_dl_find_object(pc: *mut c_void, result: *mut dl_find_object) -> c_int;
    }

    #[test]
    #[cfg_attr(miri, ignore = "calls the host C library")]
    fn finds_the_program_as_glibc_does() {
        assert_eq!(size_of::<dl_find_object>(), 96);
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
        let headers = Headers { phdrs, at_phdr };
        // An address in the test program's code.
        let pc = finds_the_program_as_glibc_does as fn() as usize;
        let ours = find_object(&headers, pc).expect("the program contains its own code");
        let mut theirs = dl_find_object::EMPTY;
        // SAFETY: glibc writes one `struct dl_find_object`.
        let r =
            unsafe { host_dl_find_object(core::ptr::with_exposed_provenance_mut(pc), &mut theirs) };
        assert_eq!(r, 0);
        assert_eq!(ours.dlfo_map_start, theirs.dlfo_map_start);
        assert_eq!(ours.dlfo_map_end, theirs.dlfo_map_end);
        assert_eq!(ours.dlfo_eh_frame, theirs.dlfo_eh_frame);
        assert_eq!(ours.dlfo_flags, theirs.dlfo_flags);
        // An address outside every object: not found, for both.
        assert!(find_object(&headers, 8).is_none());
        // SAFETY: as above.
        let r =
            unsafe { host_dl_find_object(core::ptr::with_exposed_provenance_mut(8), &mut theirs) };
        assert_eq!(r, -1);
    }
}
