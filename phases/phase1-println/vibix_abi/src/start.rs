//! Where a program begins: the initial stack the kernel builds, and (on
//! vibix) `_start`, the ELF entry point.
//!
//! When the kernel starts a program, `rsp` points at the System V initial
//! stack, lowest address first:
//!
//! ```text
//! sp ->  argc
//!        argv[0] .. argv[argc-1]     pointers to NUL-terminated strings
//!        NULL
//!        envp[0] .. envp[n-1]        "KEY=VALUE" strings
//!        NULL
//!        auxv: (key, value) pairs    ending with (AT_NULL, 0)
//!        … the strings and the 16 AT_RANDOM bytes, up to the stack top
//! ```
//!
//! [`InitialStack::parse`] reads that layout; [`record`] keeps it for the
//! rest of the program ([`recorded`]). The path from `_start` to the
//! program's `main`:
//!
//! 1. `_start` (assembly) passes the initial `rsp` to `start_rust`;
//! 2. `start_rust` parses and records the stack, then calls std's
//!    `vibix_runtime_entry(argc, argv, envp)` (in std's vibix platform
//!    layer);
//! 3. that calls `main(argc, argv)`, the C-ABI function rustc generates for
//!    every binary crate, which calls `std::rt::lang_start`, which runs the
//!    runtime's init and then the user's `fn main`;
//! 4. when `main` returns, `vibix_runtime_entry` runs the main thread's
//!    thread-local destructors and exits with `main`'s status.

use core::ffi::{CStr, c_char};
use core::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

/// Auxiliary vector keys (Linux's `<uapi/linux/auxvec.h>`), the ones vibix
/// provides.
#[allow(missing_docs)]
pub mod auxv {
    pub const AT_NULL: usize = 0;
    pub const AT_PHDR: usize = 3;
    pub const AT_PHENT: usize = 4;
    pub const AT_PHNUM: usize = 5;
    pub const AT_PAGESZ: usize = 6;
    pub const AT_BASE: usize = 7;
    pub const AT_FLAGS: usize = 8;
    pub const AT_ENTRY: usize = 9;
    pub const AT_UID: usize = 11;
    pub const AT_EUID: usize = 12;
    pub const AT_GID: usize = 13;
    pub const AT_EGID: usize = 14;
    pub const AT_SECURE: usize = 23;
    pub const AT_RANDOM: usize = 25;
    pub const AT_EXECFN: usize = 31;
}

/// The initial stack, read: where argv, envp and the auxiliary vector are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InitialStack {
    /// The number of arguments.
    pub argc: usize,
    /// `argc` string pointers, then NULL.
    pub argv: *const *const c_char,
    /// String pointers up to a NULL.
    pub envp: *const *const c_char,
    /// `(key, value)` pairs up to `AT_NULL`.
    pub auxv: *const [usize; 2],
}

// ANCHOR: parse
impl InitialStack {
    /// Reads the initial stack at `sp`.
    ///
    /// # Safety
    ///
    /// `sp` must point at a System V initial stack as described in the module
    /// documentation, and that memory must stay valid and unchanged for as
    /// long as the result (or any [`recorded`] copy) is used.
    pub unsafe fn parse(sp: *const usize) -> InitialStack {
        // SAFETY: the caller guarantees the layout: argc, argc + 1 argv
        // slots, then envp slots up to and including a NULL, then auxv.
        unsafe {
            let argc = sp.read();
            let argv = sp.add(1).cast::<*const c_char>();
            let envp = argv.add(argc + 1);
            let mut end = envp;
            while !end.read().is_null() {
                end = end.add(1);
            }
            let auxv = end.add(1).cast::<[usize; 2]>();
            InitialStack {
                argc,
                argv,
                envp,
                auxv,
            }
        }
    }
    // ANCHOR_END: parse

    /// The arguments.
    pub fn args(&self) -> CStrArray {
        CStrArray { next: self.argv }
    }

    /// The environment, as `KEY=VALUE` strings.
    pub fn env(&self) -> CStrArray {
        CStrArray { next: self.envp }
    }

    /// The auxiliary vector's `(key, value)` pairs, without the final
    /// `AT_NULL`.
    pub fn auxv(&self) -> Auxv {
        Auxv { next: self.auxv }
    }

    /// The value for `key` in the auxiliary vector, like C's `getauxval`.
    pub fn getauxval(&self, key: usize) -> Option<usize> {
        self.auxv().find(|&(k, _)| k == key).map(|(_, v)| v)
    }
}

/// The strings of a NULL-terminated array of C string pointers.
#[derive(Debug, Clone)]
pub struct CStrArray {
    next: *const *const c_char,
}

impl Iterator for CStrArray {
    type Item = &'static CStr;

    fn next(&mut self) -> Option<&'static CStr> {
        // SAFETY: `InitialStack::parse`'s caller guaranteed that the array
        // is NULL-terminated and lives (unchanged) for the rest of the
        // program; we never step past the NULL.
        unsafe {
            let ptr = self.next.read();
            if ptr.is_null() {
                return None;
            }
            self.next = self.next.add(1);
            Some(CStr::from_ptr(ptr))
        }
    }
}

/// The auxiliary vector's pairs.
#[derive(Debug, Clone)]
pub struct Auxv {
    next: *const [usize; 2],
}

impl Iterator for Auxv {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        // SAFETY: as for `CStrArray`: the vector ends with AT_NULL and we
        // never step past it.
        let [key, value] = unsafe { self.next.read() };
        if key == auxv::AT_NULL {
            return None;
        }
        // SAFETY: this was not the last entry, so the next one exists.
        self.next = unsafe { self.next.add(1) };
        Some((key, value))
    }
}

static ARGC: AtomicUsize = AtomicUsize::new(0);
static ARGV: AtomicPtr<*const c_char> = AtomicPtr::new(core::ptr::null_mut());
static ENVP: AtomicPtr<*const c_char> = AtomicPtr::new(core::ptr::null_mut());
static AUXV: AtomicPtr<[usize; 2]> = AtomicPtr::new(core::ptr::null_mut());

/// Keeps `stack` for [`recorded`].
///
/// # Safety
///
/// `stack` must satisfy [`InitialStack::parse`]'s requirements for the rest
/// of the program's life.
pub unsafe fn record(stack: InitialStack) {
    ARGC.store(stack.argc, Ordering::Relaxed);
    ARGV.store(stack.argv.cast_mut(), Ordering::Relaxed);
    ENVP.store(stack.envp.cast_mut(), Ordering::Relaxed);
    // Release: whoever sees AUXV sees the other three.
    AUXV.store(stack.auxv.cast_mut(), Ordering::Release);
}

/// The initial stack `_start` recorded, or `None` before that (or on the
/// host, where `_start` is the C library's).
pub fn recorded() -> Option<InitialStack> {
    let auxv = AUXV.load(Ordering::Acquire);
    if auxv.is_null() {
        return None;
    }
    Some(InitialStack {
        argc: ARGC.load(Ordering::Relaxed),
        argv: ARGV.load(Ordering::Relaxed),
        envp: ENVP.load(Ordering::Relaxed),
        auxv,
    })
}

// ANCHOR: start
/// The ELF entry point. The kernel jumps here with `rsp` at the initial
/// stack and nothing else set up, so it is assembly (a naked function, no
/// prologue): clear `rbp` (the outermost frame, for debuggers), pass `rsp`
/// as the first argument, align the stack to 16 bytes as the ABI requires
/// before a `call`, and call `start_rust`, which never returns.
///
/// # Safety
///
/// Only the kernel may start it, with the System V initial stack.
#[cfg(target_os = "vibix")]
#[unsafe(naked)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn _start() -> ! {
    core::arch::naked_asm!(
        "xor ebp, ebp",
        "mov rdi, rsp",
        "and rsp, -16",
        "call {start_rust}",
        "ud2",
        start_rust = sym start_rust,
    )
}

#[cfg(target_os = "vibix")]
unsafe extern "C" {
    /// std's entry (in its vibix platform layer): runs `main` and exits.
    fn vibix_runtime_entry(
        argc: isize,
        argv: *const *const c_char,
        envp: *const *const c_char,
    ) -> !;
}

/// Records the initial stack, then enters std.
///
/// # Safety
///
/// `sp` must be the initial stack pointer (only `_start` calls this).
#[cfg(target_os = "vibix")]
unsafe extern "C" fn start_rust(sp: *const usize) -> ! {
    // SAFETY: `_start` passes the untouched initial stack pointer; nothing
    // ever writes the initial stack's contents above it.
    let stack = unsafe { InitialStack::parse(sp) };
    // SAFETY: as above, for the whole life of the process.
    unsafe { record(stack) };
    // SAFETY: std defines the entry with this signature; argv and envp are
    // the kernel's NULL-terminated arrays.
    unsafe { vibix_runtime_entry(stack.argc as isize, stack.argv, stack.envp) }
}
// ANCHOR_END: start

#[cfg(test)]
mod tests {
    use super::auxv::*;
    use super::*;
    use std::ffi::CString;
    use std::vec::Vec;

    /// A synthetic initial stack: the words, and the strings they point to.
    /// The words are pointers so that the string pointers keep their
    /// provenance (Miri checks it); the numbers are pointers without any.
    struct Synthetic {
        words: Vec<*const u8>,
        _strings: Vec<CString>,
        random: [u8; 16],
    }

    fn num(n: usize) -> *const u8 {
        core::ptr::without_provenance(n)
    }

    fn build(args: &[&str], env: &[&str]) -> Synthetic {
        let strings: Vec<CString> = args
            .iter()
            .chain(env)
            .map(|s| CString::new(*s).unwrap())
            .collect();
        let mut words = std::vec![num(args.len())];
        for s in &strings[..args.len()] {
            words.push(s.as_ptr().cast());
        }
        words.push(num(0));
        for s in &strings[args.len()..] {
            words.push(s.as_ptr().cast());
        }
        words.push(num(0));
        Synthetic {
            words,
            _strings: strings,
            random: [7u8; 16],
        }
    }

    /// Appends the auxiliary vector and its AT_NULL.
    fn with_auxv(s: &mut Synthetic, aux: &[(usize, usize)]) {
        for &(k, v) in aux {
            s.words.extend([num(k), num(v)]);
        }
        s.words.extend([num(AT_NULL), num(0)]);
    }

    fn sp(s: &Synthetic) -> *const usize {
        s.words.as_ptr().cast()
    }

    fn strs(it: CStrArray) -> Vec<&'static str> {
        it.map(|c| c.to_str().unwrap()).collect()
    }

    #[test]
    fn parses_a_synthetic_stack() {
        let mut s = build(
            &["/bin/prog", "one", "two words"],
            &["HOME=/", "TERM=linux"],
        );
        let random_addr = s.random.as_ptr().expose_provenance();
        with_auxv(
            &mut s,
            &[
                (AT_PAGESZ, 4096),
                (AT_RANDOM, random_addr),
                (AT_ENTRY, 0x401000),
            ],
        );
        // SAFETY: `s.words` has the initial-stack layout and outlives `st`.
        let st = unsafe { InitialStack::parse(sp(&s)) };
        assert_eq!(st.argc, 3);
        assert_eq!(strs(st.args()), ["/bin/prog", "one", "two words"]);
        assert_eq!(strs(st.env()), ["HOME=/", "TERM=linux"]);
        assert_eq!(
            st.auxv().collect::<Vec<_>>(),
            [
                (AT_PAGESZ, 4096),
                (AT_RANDOM, random_addr),
                (AT_ENTRY, 0x401000)
            ]
        );
        assert_eq!(st.getauxval(AT_PAGESZ), Some(4096));
        assert_eq!(st.getauxval(AT_EXECFN), None);
        let random: *const [u8; 16] =
            core::ptr::with_exposed_provenance(st.getauxval(AT_RANDOM).unwrap());
        // SAFETY: AT_RANDOM points at `s.random`, which is alive.
        assert_eq!(unsafe { *random }, [7; 16]);
    }

    #[test]
    fn parses_an_empty_environment_and_no_arguments() {
        let mut s = build(&[], &[]);
        with_auxv(&mut s, &[(AT_PAGESZ, 4096)]);
        // SAFETY: as above.
        let st = unsafe { InitialStack::parse(sp(&s)) };
        assert_eq!(st.argc, 0);
        assert_eq!(st.args().count(), 0);
        assert_eq!(st.env().count(), 0);
        assert_eq!(st.auxv().collect::<Vec<_>>(), [(AT_PAGESZ, 4096)]);
    }

    #[test]
    fn records_the_stack() {
        let mut s = build(&["p"], &["A=1"]);
        with_auxv(&mut s, &[]);
        // `record` needs the stack for the rest of the program: leak it (the
        // statics keep it reachable, so Miri's leak check agrees).
        let Synthetic {
            words, _strings, ..
        } = s;
        for string in _strings {
            std::boxed::Box::leak(string.into_boxed_c_str());
        }
        let words: &'static [*const u8] = words.leak();
        // SAFETY: the layout is right and the memory is never freed.
        unsafe {
            let st = InitialStack::parse(words.as_ptr().cast());
            record(st);
            assert_eq!(recorded(), Some(st));
        }
        assert_eq!(strs(recorded().unwrap().env()), ["A=1"]);
        assert_eq!(strs(recorded().unwrap().args()), ["p"]);
    }
}
