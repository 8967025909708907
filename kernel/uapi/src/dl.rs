//! The interface between the dynamic linker (`ld-vibix`) and the shared C
//! library (`libvibix_libc.so`): not the kernel's ABI, but vibix's own, so
//! written here once for both. `ld-vibix` is in every dynamic process's
//! global scope (after the libraries, as glibc's `ld.so` is) and exports,
//! besides the psABI's `__tls_get_addr`:
//!
//! - [`OBJECT_FN`]: `int __vibix_dl_object(size_t index, struct LoadedObject *out)`:
//!   the `index`-th loaded object (0: the program), 0 if there is one and
//!   `*out` was filled, -1 past the last. The C library's `dl_iterate_phdr`
//!   is a loop over it;
//! - `__vibix_dlopen(path, flags)` (a handle, or 0), `__vibix_dlsym(handle,
//!   name)` (an address, or 0; handle 0 is the global scope),
//!   `__vibix_dlclose(handle)` (0 or -1) and `__vibix_dlerror()` (the last
//!   error's message, or NULL): the C library's `dlopen`, `dlsym`,
//!   `dlclose`, `dlerror` call them.

/// The exported function's name.
pub const OBJECT_FN: &str = "__vibix_dl_object";

/// A loaded object as `__vibix_dl_object` describes it.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadedObject {
    /// Load bias: run-time address minus link-time address.
    pub addr: usize,
    /// Its path, NUL-terminated (`""` for the program, as glibc names it).
    pub name: *const u8,
    /// Its program headers in memory.
    pub phdr: usize,
    /// How many program headers.
    pub phnum: usize,
    /// Its TLS module id (0 without `PT_TLS`).
    pub tls_modid: usize,
    /// Its TLS block's offset from the thread pointer (static TLS: the
    /// same in every thread).
    pub tls_offset: isize,
    /// How many objects are loaded.
    pub count: usize,
}

/// `__tls_get_addr`'s argument (the psABI's `tls_index`): a module id and
/// an offset in its block, which `DTPMOD64`/`DTPOFF64` relocations fill.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TlsIndex {
    /// The module id (`DTPMOD64`).
    pub module: usize,
    /// The offset in the module's block (`DTPOFF64`).
    pub offset: usize,
}
