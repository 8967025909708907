//! Load order: the program first (the kernel mapped it), then its
//! `DT_NEEDED` libraries and theirs, breadth-first, each loaded once. A
//! library already loaded under the same name (its `DT_NEEDED` name, or
//! its `DT_SONAME`) is not loaded again, so a dependency cycle ends.

use ld_vibix::dynamic::Dynamic;
use ld_vibix::search;
use ld_vibix::segments;
use pirt::start::Start;
use vibix_uapi::elf::{PT_DYNAMIC, PT_PHDR};
use vibix_uapi::errno::Errno;

use crate::die;
use crate::map::{self, MapError};
use crate::object::{MAX_OBJECTS, NAME_MAX, Object};
use crate::sys;

/// The program's object, from its headers in memory (`AT_PHDR`).
fn program(name: &[u8], phdr: usize, phnum: usize) -> Object {
    let mut o = Object::new(name);
    o.is_program = true;
    o.phdr = phdr;
    o.phnum = phnum;
    let phdrs = o.phdrs();
    // An `ET_EXEC` program without `PT_PHDR` is where it was linked.
    o.bias = phdrs
        .iter()
        .find(|p| p.p_type == PT_PHDR)
        .map_or(0, |p| phdr.wrapping_sub(p.p_vaddr as usize));
    match segments::layout(phdrs) {
        Ok(l) => (o.first, o.end) = (l.first, l.end),
        Err(e) => die!(name, "{e}"),
    }
    o
}

/// `ld-vibix`'s own object, last in the scope: what the kernel mapped at
/// `base` (its ELF header there, linked at 0).
fn itself(base: usize) -> Object {
    let mut o = Object::new(SELF_NAME);
    o.is_self = true;
    o.bias = base;
    // SAFETY: the kernel mapped our ELF header at `base`; `e_phoff` (at
    // byte 32) and `e_phnum` (at byte 56) locate our loaded headers.
    unsafe {
        let p = base as *const u8;
        o.phdr = base + (p.add(32) as *const u64).read_unaligned() as usize;
        o.phnum = usize::from((p.add(56) as *const u16).read_unaligned());
    }
    match segments::layout(o.phdrs()) {
        Ok(l) => (o.first, o.end) = (l.first, l.end),
        Err(e) => die!(SELF_NAME, "{e}"),
    }
    dynamic(&mut o);
    o
}

/// The dynamic linker's name among the objects: its path.
const SELF_NAME: &[u8] = b"/lib/ld-vibix.so";

/// Reads `o`'s dynamic section (its `PT_DYNAMIC`); an object without one
/// has nothing for the linker to do.
fn dynamic(o: &mut Object) {
    let Some(d) = o.phdrs().iter().find(|p| p.p_type == PT_DYNAMIC).copied() else {
        return;
    };
    // SAFETY: the object is mapped, readable, and nothing writes it now.
    let image = unsafe { o.image() };
    match Dynamic::parse(&image, d.p_vaddr, d.p_memsz) {
        Ok(parsed) => o.dynamic = parsed,
        Err(e) => die!(o.name(), "{e}"),
    }
}

/// The value of `LD_LIBRARY_PATH` in the environment, if set.
pub fn ld_library_path(start: &Start) -> Option<&'static [u8]> {
    start
        .stack
        .env()
        .map(|e| e.to_bytes())
        .find_map(|e| e.strip_prefix(b"LD_LIBRARY_PATH="))
}

/// Whether a loaded object answers to `name`: its path, the path's last
/// part, or its `DT_SONAME`.
pub fn loaded_as(o: &Object, name: &[u8]) -> bool {
    let path = o.name();
    let base = path.rsplit(|&c| c == b'/').next().unwrap_or(path);
    if path == name || base == name {
        return true;
    }
    if let Some(off) = o.dynamic.soname {
        // SAFETY: loaded objects are mapped and readable.
        let image = unsafe { o.image() };
        return o.dynamic.string(&image, off).is_ok_and(|s| s == name);
    }
    false
}

/// Tries to open and map the library at `path`: `Err` with `open`'s
/// error if there is no such file; any other failure ends the process.
fn try_path(path: &[u8]) -> Result<Object, Errno> {
    let mut o = Object::new(path);
    // SAFETY: Object names are NUL-terminated in place.
    let c = unsafe { core::ffi::CStr::from_ptr(o.c_name().cast()) };
    let fd = sys::open(c)?;
    let mapped = map::map(fd, &mut o);
    sys::close(fd);
    match mapped {
        Ok(()) => {}
        Err(MapError::Sys(what, e)) => die!(path, "cannot {what} the shared object: {e}"),
        Err(MapError::Elf(e)) => die!(path, "{e}"),
    }
    dynamic(&mut o);
    Ok(o)
}

/// The path to try for `name` in `dir`, written into `buf`: the directory
/// with `$ORIGIN` expanded (the directory of `by`, the needing object, in
/// its run path; of `program` in `LD_LIBRARY_PATH`), then the name.
/// `None` if it does not fit.
pub fn candidate<'b>(
    buf: &'b mut [u8; NAME_MAX],
    dir: search::Dir<'_>,
    by: &[u8],
    program: &[u8],
    name: &[u8],
) -> Option<&'b [u8]> {
    let mut expanded = [0u8; NAME_MAX];
    let origin = search::origin(if dir.from_runpath { by } else { program });
    let dir = search::expand(&mut expanded, dir.path, origin)?;
    search::join(buf, dir, name)
}

// ANCHOR: search
/// Opens and maps the library `name`, needed by `by`, in the process of
/// `program` (its path).
fn open_library(name: &[u8], by: &Object, program: &[u8], lib_path: Option<&[u8]>) -> Object {
    let mut last = Errno::ENOENT;
    if search::is_path(name) {
        match try_path(name) {
            Ok(o) => return o,
            Err(e) => last = e,
        }
    } else {
        // SAFETY: `by` is mapped and readable.
        let image = unsafe { by.image() };
        for dir in search::directories(lib_path, by.dynamic.runpath(&image)) {
            let mut buf = [0u8; NAME_MAX];
            let Some(path) = candidate(&mut buf, dir, by.name(), program, name) else {
                continue;
            };
            match try_path(path) {
                Ok(o) => return o,
                Err(e) => last = e,
            }
        }
    }
    die!(
        name,
        "cannot open shared object file: {last} (needed by {})",
        core::str::from_utf8(by.name()).unwrap_or("?")
    )
}
// ANCHOR_END: search

// ANCHOR: all
/// Loads the program (headers at `phdr`) and every library it needs into
/// `slots`, breadth-first; returns how many objects there are.
pub fn all(
    slots: &mut [Option<Object>; MAX_OBJECTS],
    name: &[u8],
    phdr: usize,
    phnum: usize,
    start: &Start,
) -> usize {
    let lib_path = ld_library_path(start);
    let mut prog = program(name, phdr, phnum);
    dynamic(&mut prog);
    slots[0] = Some(prog);
    let mut count = 1;
    // Each loaded object's needed libraries, in load order: the queue is
    // the table itself.
    let mut next = 0;
    while next < count {
        let Some(by) = slots[next] else { break };
        next += 1;
        // SAFETY: loaded objects are mapped and readable.
        let image = unsafe { by.image() };
        for i in 0..by.dynamic.needed_count {
            let needed = match by.dynamic.needed(&image, i) {
                Ok(n) => n,
                Err(e) => die!(by.name(), "{e}"),
            };
            if slots[..count]
                .iter()
                .flatten()
                .any(|o| loaded_as(o, needed))
            {
                continue;
            }
            if count == MAX_OBJECTS {
                die!(by.name(), "too many shared objects (at most {MAX_OBJECTS})");
            }
            slots[count] = Some(open_library(needed, &by, name, lib_path));
            count += 1;
        }
    }
    if count == MAX_OBJECTS {
        die!(name, "too many shared objects (at most {MAX_OBJECTS})");
    }
    slots[count] = Some(itself(start.base));
    count + 1
}
// ANCHOR_END: all
