//! A loaded object (the program, or a shared library) as `ld-vibix` keeps
//! it: its name, where it is in memory, its program headers and dynamic
//! section, its TLS module; and the table of every object, in load order
//! (the global scope symbol lookup walks, the program first).

use core::cell::UnsafeCell;

use ld_vibix::dynamic::Dynamic;
use ld_vibix::image::Image;
use ld_vibix::symbols::Symbols;
use vibix_uapi::elf::{PT_GNU_RELRO, PT_TLS, Phdr};

/// How many objects a process can have (the program and its libraries).
pub const MAX_OBJECTS: usize = 32;
/// The longest name (`DT_NEEDED`, or the path it was found at).
pub const NAME_MAX: usize = 256;

/// One loaded object.
#[derive(Clone, Copy)]
pub struct Object {
    name: [u8; NAME_MAX],
    name_len: usize,
    /// Run-time address minus link-time address.
    pub bias: usize,
    /// The link-time range its segments cover (page aligned).
    pub first: u64,
    pub end: u64,
    /// Its program headers, in memory.
    pub phdr: usize,
    pub phnum: usize,
    pub dynamic: Dynamic,
    /// The program, whose segments the kernel mapped (their protections are
    /// final from the start).
    pub is_program: bool,
    /// `ld-vibix` itself: relocated by its own start, mapped by the kernel,
    /// in the scope only for what it exports.
    pub is_self: bool,
    /// Its TLS module id (from 1), 0 without `PT_TLS`, and its block's
    /// offset from the thread pointer.
    pub tls_module: u64,
    pub tls_offset: i64,
}

impl Object {
    /// An object named `name` (cut at [`NAME_MAX`]).
    pub fn new(name: &[u8]) -> Object {
        let mut o = Object {
            name: [0; NAME_MAX],
            name_len: 0,
            bias: 0,
            first: 0,
            end: 0,
            phdr: 0,
            phnum: 0,
            dynamic: Dynamic::default(),
            is_program: false,
            is_self: false,
            tls_module: 0,
            tls_offset: 0,
        };
        o.name_len = name.len().min(NAME_MAX - 1);
        o.name[..o.name_len].copy_from_slice(&name[..o.name_len]);
        o
    }

    /// Its name.
    pub fn name(&self) -> &[u8] {
        &self.name[..self.name_len]
    }

    /// Its name as a C string (NUL-terminated in place).
    pub fn c_name(&self) -> *const u8 {
        self.name.as_ptr()
    }

    /// Its program headers.
    pub fn phdrs(&self) -> &'static [Phdr] {
        // SAFETY: `phdr` and `phnum` describe the loaded table (set when
        // the object was loaded); objects are never unloaded.
        unsafe { core::slice::from_raw_parts(self.phdr as *const Phdr, self.phnum) }
    }

    /// Its `PT_TLS` header, if any.
    pub fn tls(&self) -> Option<&'static Phdr> {
        self.phdrs().iter().find(|p| p.p_type == PT_TLS)
    }

    /// Its `PT_GNU_RELRO` header, if any.
    pub fn relro(&self) -> Option<&'static Phdr> {
        self.phdrs().iter().find(|p| p.p_type == PT_GNU_RELRO)
    }

    /// Its image, read-only: `[first, end)` at link-time addresses.
    ///
    /// # Safety
    ///
    /// The whole range must be mapped readable, and nothing may write it
    /// while the image is used.
    pub unsafe fn image(&self) -> Image<'static> {
        let len = (self.end - self.first) as usize;
        let at = self.bias.wrapping_add(self.first as usize) as *const u8;
        // SAFETY: the caller's contract.
        Image::new(unsafe { core::slice::from_raw_parts(at, len) }, self.first)
    }

    /// Its image, writable, for relocation.
    ///
    /// # Safety
    ///
    /// The whole range must be mapped, nothing else may use it while the
    /// slice lives, and only writable pages may be written (relocation
    /// targets are, in an object linked with `-z text`).
    pub unsafe fn image_mut(&self) -> &'static mut [u8] {
        let len = (self.end - self.first) as usize;
        let at = self.bias.wrapping_add(self.first as usize) as *mut u8;
        // SAFETY: the caller's contract.
        unsafe { core::slice::from_raw_parts_mut(at, len) }
    }

    /// Its symbol table.
    ///
    /// # Safety
    ///
    /// As [`Object::image`].
    pub unsafe fn symbols(&self) -> Result<Symbols<'static>, ld_vibix::Error> {
        // SAFETY: the caller's contract.
        Symbols::new(unsafe { self.image() }, &self.dynamic)
    }
}

/// Every loaded object, in load order.
pub struct Table {
    objects: UnsafeCell<[Option<Object>; MAX_OBJECTS]>,
}

// SAFETY: the table is filled during start-up, on the only thread, and
// only read afterwards (dl_iterate_phdr, the destructors at exit).
unsafe impl Sync for Table {}

/// The process's objects.
pub static OBJECTS: Table = Table {
    objects: UnsafeCell::new([None; MAX_OBJECTS]),
};

impl Table {
    /// The objects, for start-up to fill.
    ///
    /// # Safety
    ///
    /// Only during start-up, on the only thread, with no other reference
    /// to the table alive.
    #[allow(clippy::mut_from_ref, reason = "start-up owns the table")]
    pub unsafe fn slots(&self) -> &mut [Option<Object>; MAX_OBJECTS] {
        // SAFETY: the caller's contract.
        unsafe { &mut *self.objects.get() }
    }

    /// The loaded objects, after start-up.
    pub fn loaded(&self) -> impl Iterator<Item = &Object> {
        // SAFETY: after start-up the table is only read.
        unsafe { &*self.objects.get() }
            .iter()
            .map_while(Option::as_ref)
    }
}
