//! Constructors and destructors of every object: at start-up the
//! program's `DT_PREINIT_ARRAY`, then for each object, every object after
//! the objects it needs (`ld_vibix::order`: dependencies first, the
//! program last), its `DT_INIT` and its `DT_INIT_ARRAY`, each called with
//! `argc`, `argv` and `envp` as glibc calls them; an object `dlopen` loads
//! gets its turn then. At exit, in the opposite of the order they ran,
//! each object's `DT_FINI_ARRAY` (last entry first) then its `DT_FINI`
//! ([`fini`], which `_start` gets in `rdx` and the C library registers
//! with `atexit`).

use ld_vibix::dynamic::Table;

use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicUsize, Ordering};

use ld_vibix::order::{Needs, Order};

use crate::load;
use crate::object::{MAX_OBJECTS, OBJECTS, Object};

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
/// The order the constructors of `objects` (in load order) run in: each
/// after the objects its `DT_NEEDED` entries name.
pub fn order(objects: &[Object]) -> Order<MAX_OBJECTS> {
    let mut needs = Needs::new(objects.len());
    for (i, o) in objects.iter().enumerate() {
        // SAFETY: loaded objects are mapped and readable.
        let image = unsafe { o.image() };
        for k in 0..o.dynamic.needed_count {
            // Every name was read when the object's libraries were loaded.
            let Ok(name) = o.dynamic.needed(&image, k) else {
                continue;
            };
            if let Some(j) = objects.iter().position(|x| load::loaded_as(x, name)) {
                needs.add(i, j);
            }
        }
    }
    needs.init_order()
}

/// Runs the constructors of `objects` (in load order, the program first):
/// the program's `DT_PREINIT_ARRAY`, then each object's in `order`.
///
/// # Safety
///
/// Start-up, on the only thread, after relocation and TLS: the objects'
/// code may run.
pub unsafe fn run_init(
    objects: &[Object],
    order: &Order<MAX_OBJECTS>,
    args: (i32, *const *const u8, *const *const u8),
) {
    if let Some(p) = objects.first() {
        entries(p, p.dynamic.preinit_array)
            .iter()
            .for_each(|&f| call(f, args));
    }
    for &i in order.as_slice() {
        let i = usize::from(i);
        record(i);
        // SAFETY: the caller's contract.
        unsafe { run_one(&objects[i], args) };
    }
}

/// Records the object at `OBJECTS`'s index `index` as the next whose
/// constructors run, so that [`fini`] runs its destructors before those
/// of the objects recorded earlier.
///
/// Start-up, on the only thread, or with `dlopen`'s lock held: one
/// caller at a time.
pub fn record(index: usize) {
    RAN.push(index);
}

/// Runs one object's `DT_INIT` and `DT_INIT_ARRAY` (`ld-vibix` itself has
/// none to run).
///
/// # Safety
///
/// The object is relocated and its TLS in place: its code may run.
pub unsafe fn run_one(o: &Object, args: (i32, *const *const u8, *const *const u8)) {
    if o.is_self {
        return;
    }
    if let Some(init) = o.dynamic.init {
        call(o.bias.wrapping_add(init as usize), args);
    }
    entries(o, o.dynamic.init_array)
        .iter()
        .for_each(|&f| call(f, args));
}

/// Calls the constructor at `addr`, if it is one.
fn call(addr: usize, args: (i32, *const *const u8, *const *const u8)) {
    if let Some(f) = callable(addr) {
        // SAFETY: an address an object lists as a constructor, called
        // when its object's code may run (the callers' contract).
        unsafe {
            let f: Init = core::mem::transmute::<usize, Init>(f);
            f(args.0, args.1, args.2)
        }
    }
}
// ANCHOR_END: run_init

/// The objects whose constructors have run, in that order (indices in
/// `OBJECTS`).
struct Ran {
    slots: UnsafeCell<[usize; MAX_OBJECTS]>,
    len: AtomicUsize,
}

// SAFETY: pushes happen at start-up, on the only thread, and in `dlopen`,
// which holds its lock; each slot is written before `len` covers it
// (Release) and read only below `len` (Acquire).
unsafe impl Sync for Ran {}

static RAN: Ran = Ran {
    slots: UnsafeCell::new([0; MAX_OBJECTS]),
    len: AtomicUsize::new(0),
};

impl Ran {
    fn push(&self, index: usize) {
        let len = self.len.load(Ordering::Relaxed);
        if len == MAX_OBJECTS {
            return;
        }
        // SAFETY: one pusher at a time (see `Sync`); slot `len` is not yet
        // covered by `len`, so no reader looks at it.
        unsafe { (*self.slots.get())[len] = index };
        self.len.store(len + 1, Ordering::Release);
    }

    fn ran(&self) -> &[usize] {
        let len = self.len.load(Ordering::Acquire);
        // SAFETY: the slots below `len` were written before it was stored
        // and are never written again.
        unsafe { &(&*self.slots.get())[..len] }
    }
}

/// Runs every object's destructors, in the opposite of the order the
/// constructors ran (the program first): each object's array last entry
/// first, then its `DT_FINI`. Called once, at `exit`.
pub extern "C" fn fini() {
    for &i in RAN.ran().iter().rev() {
        let Some(o) = OBJECTS.loaded().nth(i) else {
            continue;
        };
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
