//! The initial stack: what the kernel leaves at `rsp` when it starts a
//! program (System V x86_64 ABI, figure 3.9), lowest address first:
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
//! [`InitialStack::parse`] reads that layout. The kernel builds it
//! (`kcore::stack`); the runtimes' `_start` read it with this.

use core::ffi::{CStr, c_char};

use crate::auxv::AT_NULL;

// ANCHOR: main_stack
/// Where vibix puts the main thread's stack: it ends here (exclusive) and
/// is [`MAIN_STACK_SIZE`] bytes long, all of it mapped at `execve` (it does
/// not grow). The page below it is left unmapped (nothing else is placed
/// near it: `mmap` hands out addresses far lower), so an overflow faults
/// there, with no mapping at the address. A vibix fact, not a Linux one
/// (Linux's stack grows up to `RLIMIT_STACK`, 8 MiB by default): the
/// kernel maps the stack with these, and std's overflow handler knows the
/// main thread's guard page by them.
pub const MAIN_STACK_TOP: usize = 0x0000_7fff_ffff_f000;
/// The main thread's stack size: Linux's default `RLIMIT_STACK`.
pub const MAIN_STACK_SIZE: usize = 8 << 20;
// ANCHOR_END: main_stack

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
    /// long as the result is used.
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
        // is NULL-terminated and stays valid and unchanged while it is
        // used; we never step past the NULL.
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
        if key == AT_NULL {
            return None;
        }
        // SAFETY: this was not the last entry, so the next one exists.
        self.next = unsafe { self.next.add(1) };
        Some((key, value))
    }
}

// ANCHOR: entry_point
/// Defines `_start`, the ELF entry point, calling `$start_rust` (an
/// `unsafe extern "C" fn(*const usize) -> !`) with the initial stack
/// pointer. The kernel jumps to `_start` with `rsp` at the initial stack
/// and nothing else set up, so it is assembly (a naked function, no
/// prologue): clear `rbp` (the outermost frame, for debuggers), pass `rsp`
/// as the first argument, align the stack to 16 bytes as the ABI requires
/// before a `call`, and call `$start_rust`, which never returns (`ud2` in
/// case it does).
#[macro_export]
macro_rules! entry_point {
    ($start_rust:path) => {
        /// The ELF entry point. Not to be called from Rust.
        ///
        /// # Safety
        ///
        /// Only the kernel may start it, with the System V initial stack.
        #[unsafe(naked)]
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn _start() -> ! {
            ::core::arch::naked_asm!(
                "xor ebp, ebp",
                "mov rdi, rsp",
                "and rsp, -16",
                "call {start_rust}",
                "ud2",
                start_rust = sym $start_rust,
            )
        }
    };
}
// ANCHOR_END: entry_point

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auxv::*;
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
}
