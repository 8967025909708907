//! `dlopen` and its friends, as `ld-vibix` exports them to the C library
//! (`__vibix_dlopen`, `__vibix_dlsym`, `__vibix_dlclose`,
//! `__vibix_dlerror`; `vibix_uapi::dl`). An object is loaded as at
//! start-up (search path, mapping, eager relocation over the global scope,
//! protections, RELRO, constructors), with two limits: the libraries it
//! needs must already be loaded (it loads no dependencies of its own), and
//! an object with thread-local storage is refused, since every block is
//! static and placed at start-up. Objects stay loaded: `dlclose` only
//! checks the handle. One `dl` call at a time (a lock); the last error is
//! the process's, not the thread's.

use core::cell::UnsafeCell;
use core::ffi::CStr;
use core::fmt::Write;
use core::sync::atomic::{AtomicBool, Ordering};

use ld_vibix::dynamic::Dynamic;
use ld_vibix::search;
use vibix_uapi::elf::PT_DYNAMIC;

use crate::object::{MAX_OBJECTS, NAME_MAX, OBJECTS, Object};
use crate::{init, link, load, map, sys};

/// What start-up saved for later loads: `LD_LIBRARY_PATH`, `main`'s
/// arguments (for constructors).
pub struct Saved {
    pub lib_path: Option<&'static [u8]>,
    pub args: (i32, *const *const u8, *const *const u8),
}

struct State {
    saved: UnsafeCell<Option<Saved>>,
    error: UnsafeCell<[u8; 512]>,
    pending: UnsafeCell<bool>,
}

// SAFETY: every access holds LOCK (or is start-up, on the only thread).
unsafe impl Sync for State {}

static STATE: State = State {
    saved: UnsafeCell::new(None),
    error: UnsafeCell::new([0; 512]),
    pending: UnsafeCell::new(false),
};
static LOCK: AtomicBool = AtomicBool::new(false);

/// Holds the lock for its life.
struct Guard;

impl Guard {
    fn take() -> Guard {
        while LOCK
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            core::hint::spin_loop();
        }
        Guard
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        LOCK.store(false, Ordering::Release);
    }
}

/// Saves what later loads need; start-up only.
pub fn save(saved: Saved) {
    let _g = Guard::take();
    // SAFETY: the lock is held.
    unsafe { *STATE.saved.get() = Some(saved) };
}

/// A fixed buffer for the message.
struct Msg<'a>(&'a mut [u8], usize);

impl Write for Msg<'_> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let room = self.0.len() - 1 - self.1;
        let n = s.len().min(room);
        self.0[self.1..self.1 + n].copy_from_slice(&s.as_bytes()[..n]);
        self.1 += n;
        Ok(())
    }
}

/// Records the error `dlerror` reports next. The lock must be held.
fn fail(object: &[u8], what: core::fmt::Arguments<'_>) {
    // SAFETY: the caller holds the lock.
    let (buf, pending) = unsafe { (&mut *STATE.error.get(), &mut *STATE.pending.get()) };
    let mut m = Msg(buf, 0);
    let _ = write!(m, "{}: {what}", core::str::from_utf8(object).unwrap_or("?"));
    let end = m.1;
    buf[end] = 0;
    *pending = true;
}

/// Loads the object at `path` (a file that exists), or records why not.
fn load_new(path: &[u8], slots: &mut [Option<Object>; MAX_OBJECTS], count: usize) -> Option<usize> {
    let mut o = Object::new(path);
    // SAFETY: Object names are NUL-terminated in place.
    let c = unsafe { CStr::from_ptr(o.c_name().cast()) };
    let fd = match sys::open(c) {
        Ok(fd) => fd,
        Err(e) => {
            fail(path, format_args!("cannot open shared object file: {e}"));
            return None;
        }
    };
    let mapped = map::map(fd, &mut o);
    sys::close(fd);
    match mapped {
        Ok(()) => {}
        Err(map::MapError::Sys(what, e)) => {
            fail(path, format_args!("cannot {what} the shared object: {e}"));
            return None;
        }
        Err(map::MapError::Elf(e)) => {
            fail(path, format_args!("{e}"));
            return None;
        }
    }
    if let Some(d) = o.phdrs().iter().find(|p| p.p_type == PT_DYNAMIC).copied() {
        // SAFETY: just mapped, readable, not written meanwhile.
        let image = unsafe { o.image() };
        match Dynamic::parse(&image, d.p_vaddr, d.p_memsz) {
            Ok(parsed) => o.dynamic = parsed,
            Err(e) => {
                fail(path, format_args!("{e}"));
                return None;
            }
        }
    }
    if o.tls().is_some() {
        fail(
            path,
            format_args!("cannot load an object with thread-local storage after start-up"),
        );
        return None;
    }
    // SAFETY: mapped and readable.
    let image = unsafe { o.image() };
    for i in 0..o.dynamic.needed_count {
        let Ok(needed) = o.dynamic.needed(&image, i) else {
            fail(path, format_args!("bad DT_NEEDED"));
            return None;
        };
        if !slots[..count]
            .iter()
            .flatten()
            .any(|l| load::loaded_as(l, needed))
        {
            fail(
                path,
                format_args!(
                    "needs {}, which is not loaded (dlopen loads no dependencies)",
                    core::str::from_utf8(needed).unwrap_or("?")
                ),
            );
            return None;
        }
    }
    let mut scope = [Object::new(b""); MAX_OBJECTS];
    for (s, l) in scope.iter_mut().zip(slots[..count].iter().flatten()) {
        *s = *l;
    }
    scope[count] = o;
    // SAFETY: every object is mapped; the new one writable.
    if let Err(e) = unsafe { link::relocate(&o, &scope[..=count]) } {
        match e {
            link::LinkError::Object(e) => fail(path, format_args!("{e}")),
            link::LinkError::InScope(i, e) => fail(scope[i].name(), format_args!("{e}")),
            link::LinkError::Undefined(sym) => fail(
                path,
                format_args!(
                    "undefined symbol: {}",
                    core::str::from_utf8(sym).unwrap_or("?")
                ),
            ),
        }
        return None;
    }
    // SAFETY: relocated.
    if let Err(e) = unsafe { map::protect(&o).and_then(|()| map::protect_relro(&o)) } {
        fail(path, format_args!("cannot protect its segments: {e}"));
        return None;
    }
    slots[count] = Some(o);
    Some(count)
}

/// `dlopen(path, flags)`: a handle (the object's index plus one), or 0.
///
/// # Safety
///
/// `path` must be NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __vibix_dlopen(path: *const u8, _flags: i32) -> usize {
    if path.is_null() {
        return 1; // the program
    }
    // SAFETY: the caller's contract.
    let name = unsafe { CStr::from_ptr(path.cast()) }.to_bytes();
    let g = Guard::take();
    // SAFETY: the lock is held; no other reference to the table is alive
    // but the readers' of loaded entries, which are never changed.
    let slots = unsafe { OBJECTS.slots() };
    let count = slots.iter().take_while(|s| s.is_some()).count();
    if let Some(i) = slots[..count]
        .iter()
        .flatten()
        .position(|o| load::loaded_as(o, name))
    {
        return i + 1;
    }
    if count == MAX_OBJECTS {
        fail(name, format_args!("too many shared objects"));
        return 0;
    }
    // SAFETY: the lock is held.
    let saved = unsafe { (*STATE.saved.get()).as_ref() };
    let lib_path = saved.and_then(|s| s.lib_path);
    let mut found = None;
    if search::is_path(name) {
        found = load_new(name, slots, count);
    } else {
        let first = slots[0];
        let program = first.as_ref().map_or(&b""[..], Object::name);
        for dir in search::directories(lib_path, None) {
            let mut buf = [0u8; NAME_MAX];
            let Some(p) = load::candidate(&mut buf, dir, program, program, name) else {
                continue;
            };
            // SAFETY: `p` is NUL-terminated in `buf`.
            let c = unsafe { CStr::from_ptr(p.as_ptr().cast()) };
            if sys::open(c).map(sys::close).is_ok() {
                found = load_new(p, slots, count);
                break;
            }
        }
        if found.is_none() {
            // SAFETY: the lock is held.
            if !unsafe { *STATE.pending.get() } {
                fail(
                    name,
                    format_args!("cannot open shared object file: No such file or directory"),
                );
            }
        }
    }
    let Some(o) = found.and_then(|i| slots[i]) else {
        return 0;
    };
    let index = found.unwrap_or(0);
    if saved.is_some() {
        init::record(index);
    }
    drop(g);
    if let Some(s) = saved {
        // SAFETY: loaded and relocated; its constructors may run now.
        unsafe { init::run_one(&o, s.args) };
    }
    index + 1
}

/// `dlsym(handle, name)`: the address of `name` in the object `handle`
/// names (0, `RTLD_DEFAULT`: the global scope), or 0.
///
/// # Safety
///
/// `name` must be a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __vibix_dlsym(handle: usize, name: *const u8) -> usize {
    // SAFETY: the caller's contract.
    let name = unsafe { CStr::from_ptr(name.cast()) }.to_bytes();
    let _g = Guard::take();
    let mut found = None;
    for (i, o) in OBJECTS.loaded().enumerate() {
        if (handle != 0 && handle != i + 1) || o.is_self {
            continue;
        }
        // SAFETY: loaded objects are mapped and readable.
        if let Ok(Some((_, sym))) = unsafe { o.symbols() }.and_then(|s| s.lookup(name)) {
            found = Some(o.bias.wrapping_add(sym.st_value as usize));
            break;
        }
    }
    match found {
        Some(addr) => addr,
        None => {
            let what = if handle == 0 {
                b"RTLD_DEFAULT" as &[u8]
            } else {
                b"handle"
            };
            fail(
                what,
                format_args!(
                    "undefined symbol: {}",
                    core::str::from_utf8(name).unwrap_or("?")
                ),
            );
            0
        }
    }
}

/// `dlclose(handle)`: 0 for a handle `dlopen` gave (the object stays
/// loaded), -1 otherwise.
#[unsafe(no_mangle)]
pub extern "C" fn __vibix_dlclose(handle: usize) -> i32 {
    let _g = Guard::take();
    if handle >= 1 && handle <= OBJECTS.loaded().count() {
        0
    } else {
        fail(b"dlclose", format_args!("invalid handle"));
        -1
    }
}

/// `dlerror()`: the last error since the previous call, or NULL.
#[unsafe(no_mangle)]
pub extern "C" fn __vibix_dlerror() -> *const u8 {
    let _g = Guard::take();
    // SAFETY: the lock is held; the buffer lives as long as the process
    // (the message stays valid until the next dl call, as POSIX allows).
    unsafe {
        if core::mem::replace(&mut *STATE.pending.get(), false) {
            (*STATE.error.get()).as_ptr()
        } else {
            core::ptr::null()
        }
    }
}
