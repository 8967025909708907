//! `ld-vibix`, vibix's dynamic linker: the `PT_INTERP` of every dynamically
//! linked program (`/lib/ld-vibix.so`). The kernel maps the program and
//! this object and enters here; pirt's `_start` has already applied this
//! object's own relocations (it touches no global before). Then, in order:
//!
//! 1. the program, found through the auxiliary vector (`AT_PHDR`,
//!    `AT_ENTRY`), and its dynamic section;
//! 2. its `DT_NEEDED` libraries and theirs, breadth-first, each once
//!    (a cycle ends), searched for in `LD_LIBRARY_PATH`, the needing
//!    object's `DT_RUNPATH` and `/lib`, mapped with `open` and `mmap`;
//! 3. static TLS placed for every object with `PT_TLS`;
//! 4. every relocation applied, eagerly, symbols looked up in the global
//!    scope (`link`);
//! 5. each library's segments given their protection, every `PT_GNU_RELRO`
//!    made read-only (no page is ever writable and executable);
//! 6. the first thread's TLS block made, the thread pointer set;
//! 7. the constructors run, dependencies first;
//! 8. a jump to `AT_ENTRY` with the initial stack as the kernel built it,
//!    and in `rdx` the routine that runs the destructors at `exit`.
//!
//! Any failure prints `ld-vibix: <object>: <what>` and exits with 127.

#![no_std]
#![no_main]

mod dl;
mod exports;
mod fail;
mod init;
mod link;
mod load;
mod map;
mod object;
mod sys;
mod tls;

use pirt::start::Start;
use vibix_uapi::auxv::{AT_BASE, AT_ENTRY, AT_EXECFN, AT_PHDR, AT_PHNUM};

use object::{OBJECTS, Object};

pirt::entry!(main);

fn main(start: &Start) -> i32 {
    let aux = |key| start.stack.getauxval(key).unwrap_or(0);
    let (phdr, phnum, entry) = (aux(AT_PHDR), aux(AT_PHNUM), aux(AT_ENTRY));
    let execfn = aux(AT_EXECFN) as *const core::ffi::c_char;
    let name: &[u8] = if execfn.is_null() {
        b"program"
    } else {
        // SAFETY: AT_EXECFN points at a NUL-terminated string on the stack.
        unsafe { core::ffi::CStr::from_ptr(execfn) }.to_bytes()
    };
    // Run as a program itself (AT_BASE 0: no interpreter), there is no
    // program to load.
    if phdr == 0 || entry == 0 || aux(AT_BASE) == 0 {
        die!(
            b"ld-vibix",
            "no program to run (run it as a program's interpreter)"
        );
    }
    // SAFETY: start-up, on the only thread, nothing else holds the table.
    let slots = unsafe { OBJECTS.slots() };
    let count = load::all(slots, name, phdr, phnum, start);
    let mut objects = [Object::new(b""); object::MAX_OBJECTS];
    for (o, s) in objects.iter_mut().zip(slots.iter()) {
        if let Some(s) = s {
            *o = *s;
        }
    }
    let objects = &mut objects[..count];
    let whole = match tls::place(objects) {
        Ok(w) => w,
        Err(e) => die!(name, "{e}"),
    };
    // Relocate the last loaded first: a library's data is ready before the
    // program copies it (`COPY`).
    for o in objects.iter().rev().filter(|o| !o.is_self) {
        // SAFETY: every object is mapped; libraries writable, the program's
        // relocation targets in its writable segments (`-z text`).
        if let Err(e) = unsafe { link::relocate(o, objects) } {
            match e {
                link::LinkError::Object(e) => die!(o.name(), "{e}"),
                link::LinkError::InScope(i, e) => die!(objects[i].name(), "{e}"),
                link::LinkError::Undefined(sym) => die!(
                    o.name(),
                    "undefined symbol: {}",
                    core::str::from_utf8(sym).unwrap_or("?")
                ),
            }
        }
    }
    for o in objects.iter().filter(|o| !o.is_self) {
        // SAFETY: relocated: nothing writes the read-only parts again.
        let protected = unsafe {
            if o.is_program {
                Ok(())
            } else {
                map::protect(o)
            }
            .and_then(|()| map::protect_relro(o))
        };
        if let Err(e) = protected {
            die!(o.name(), "cannot protect its segments: {e}");
        }
    }
    // SAFETY: start-up, once, after relocation.
    if unsafe { tls::install(objects, whole) }.is_none() {
        die!(name, "cannot allocate thread-local storage");
    }
    // The table the destructors walk, with the TLS ids now known.
    for (s, o) in slots.iter_mut().zip(objects.iter()) {
        *s = Some(*o);
    }
    let stack = &start.stack;
    dl::save(dl::Saved {
        lib_path: load::ld_library_path(start),
        args: (
            stack.argc as i32,
            stack.argv.cast::<*const u8>(),
            stack.envp.cast::<*const u8>(),
        ),
    });
    let order = init::order(objects);
    // SAFETY: every object is relocated and its TLS in place.
    unsafe {
        init::run_init(
            objects,
            &order,
            (
                stack.argc as i32,
                stack.argv.cast::<*const u8>(),
                stack.envp.cast::<*const u8>(),
            ),
        )
    };
    // SAFETY: `entry` is the program's entry point and `sp` the initial
    // stack as the kernel built it; `rdx` holds the destructors' routine,
    // which the ABI lets `_start` register with `atexit`.
    unsafe {
        core::arch::asm!(
            "mov rsp, {sp}",
            "xor ebp, ebp",
            "jmp {entry}",
            sp = in(reg) start.sp,
            entry = in(reg) entry,
            in("rdx") init::fini as extern "C" fn() as usize,
            options(noreturn),
        )
    }
}
