//! Constructors and destructors of every object: at start-up the
//! program's `DT_PREINIT_ARRAY`, then for each object, dependencies first
//! (the reverse of the breadth-first load order, the program last), its
//! `DT_INIT` and its `DT_INIT_ARRAY`, each called with `argc`, `argv` and
//! `envp` as glibc calls them; at exit, in the opposite order, each
//! object's `DT_FINI_ARRAY` (last entry first) then its `DT_FINI`
//! ([`fini`], which `_start` gets in `rdx` and the C library registers
//! with `atexit`).

use ld_vibix::dynamic::Table;

use crate::object::{OBJECTS, Object};

/// A constructor, called as glibc does.
type Init = unsafe extern "C" fn(i32, *const *const u8, *const *const u8);
/// A destructor.
type Fini = unsafe extern "C" fn();

/// The array's relocated entries, in memory (relocation made them
/// addresses, `RELATIVE` or not).
fn entries(o: &Object, t: Table) -> &'static [usize] {
    if !t.is_present() {
        return &[];
    }
    let at = o.bias.wrapping_add(t.addr as usize) as *const usize;
    // SAFETY: `Dynamic::parse` checked the array lies in the object; it is
    // loaded and relocated.
    unsafe { core::slice::from_raw_parts(at, (t.size / 8) as usize) }
}

/// A function address from an array entry or `DT_INIT`/`DT_FINI`; `None`
/// for the null and -1 entries.
fn callable(addr: usize) -> Option<usize> {
    (addr != 0 && addr != usize::MAX).then_some(addr)
}

// ANCHOR: run_init
/// Runs the constructors of `objects` (in load order), dependencies first.
///
/// # Safety
///
/// Start-up, after relocation and TLS: the objects' code may run.
pub unsafe fn run_init(objects: &[Object], args: (i32, *const *const u8, *const *const u8)) {
    let call = |addr: usize| {
        if let Some(f) = callable(addr) {
            // SAFETY: an address the object lists as a constructor.
            unsafe {
                let f: Init = core::mem::transmute::<usize, Init>(f);
                f(args.0, args.1, args.2)
            }
        }
    };
    if let Some(p) = objects.first() {
        entries(p, p.dynamic.preinit_array)
            .iter()
            .for_each(|&f| call(f));
    }
    for o in objects.iter().rev().filter(|o| !o.is_self) {
        if let Some(init) = o.dynamic.init {
            call(o.bias.wrapping_add(init as usize));
        }
        entries(o, o.dynamic.init_array)
            .iter()
            .for_each(|&f| call(f));
    }
}
// ANCHOR_END: run_init

/// Runs every object's destructors: the program first, each object's
/// array last entry first, then its `DT_FINI`. Called once, at `exit`.
pub extern "C" fn fini() {
    for o in OBJECTS.loaded().filter(|o| !o.is_self) {
        for &f in entries(o, o.dynamic.fini_array).iter().rev() {
            if let Some(f) = callable(f) {
                // SAFETY: an address the object lists as a destructor.
                unsafe { core::mem::transmute::<usize, Fini>(f)() };
            }
        }
        if let Some(f) = o
            .dynamic
            .fini
            .and_then(|f| callable(o.bias.wrapping_add(f as usize)))
        {
            // SAFETY: the object's DT_FINI.
            unsafe { core::mem::transmute::<usize, Fini>(f)() };
        }
    }
}
