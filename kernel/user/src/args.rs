//! The program's arguments, environment and auxiliary vector, as the kernel
//! left them on the initial stack (System V x86_64 ABI, figure 3.9):
//!
//! ```text
//!          (higher addresses: the strings themselves, AT_RANDOM's bytes, ...)
//!          0, 0                  auxv terminator (AT_NULL)
//!          key, value            auxv entries, two words each
//!          ...
//!          0                     envp terminator
//!          envp[0] .. envp[n-1]  pointers to "KEY=VALUE" strings
//!          0                     argv terminator
//!          argv[0] .. argv[argc-1]
//!  rsp ->  argc
//! ```
//!
//! All of it stays where it is for the life of the process (the stack only
//! grows down from there), so the strings are handed out as `&'static CStr`.

use core::ffi::{CStr, c_char};

use crate::auxv::AT_NULL;

/// argc, argv, envp and auxv, found from the initial stack pointer.
pub struct Args {
    stack: *const usize,
    argc: usize,
    argv: *const *const c_char,
    envc: usize,
    envp: *const *const c_char,
    auxv: *const [usize; 2],
}

impl Args {
    /// Finds the pieces on the initial stack.
    ///
    /// # Safety
    ///
    /// `stack` must be the stack pointer the kernel started the process
    /// with, pointing at a well-formed layout as pictured above; it must stay
    /// untouched for the rest of the program.
    pub unsafe fn from_initial_stack(stack: *const usize) -> Args {
        // SAFETY: by the caller's guarantee, the words read here are argc
        // and the NULL-terminated argv and envp arrays, which lie above
        // `stack`, in order.
        unsafe {
            let argc = *stack;
            let argv = stack.add(1).cast::<*const c_char>();
            let envp = argv.add(argc + 1);
            let mut envc = 0;
            while !(*envp.add(envc)).is_null() {
                envc += 1;
            }
            let auxv = envp.add(envc + 1).cast::<[usize; 2]>();
            Args {
                stack,
                argc,
                argv,
                envc,
                envp,
                auxv,
            }
        }
    }

    /// The number of arguments, including the program name `argv[0]`.
    pub fn argc(&self) -> usize {
        self.argc
    }

    /// Argument `i`, or `None` past the end.
    pub fn arg(&self, i: usize) -> Option<&'static CStr> {
        // SAFETY: `i < argc`, and argv[0..argc] are valid C strings that live
        // as long as the process (the `from_initial_stack` contract).
        (i < self.argc).then(|| unsafe { CStr::from_ptr(*self.argv.add(i)) })
    }

    /// All arguments, `argv[0]` first.
    pub fn args(&self) -> impl Iterator<Item = &'static CStr> + '_ {
        (0..self.argc).filter_map(|i| self.arg(i))
    }

    /// Environment entry `i` (a `KEY=VALUE` string), or `None` past the end.
    pub fn env_entry(&self, i: usize) -> Option<&'static CStr> {
        // SAFETY: `i < envc`, and envp[0..envc] are valid C strings that live
        // as long as the process (the `from_initial_stack` contract).
        (i < self.envc).then(|| unsafe { CStr::from_ptr(*self.envp.add(i)) })
    }

    /// All environment entries, in the order the kernel passed them.
    pub fn env(&self) -> impl Iterator<Item = &'static CStr> + '_ {
        (0..self.envc).filter_map(|i| self.env_entry(i))
    }

    /// The value of environment variable `key`, if it is set.
    pub fn var(&self, key: &str) -> Option<&'static [u8]> {
        self.env().find_map(|entry| {
            let rest = entry.to_bytes().strip_prefix(key.as_bytes())?;
            rest.strip_prefix(b"=")
        })
    }

    /// All auxiliary vector entries as `(key, value)`, without the final
    /// `AT_NULL`.
    pub fn auxv_entries(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        (0..)
            // SAFETY: entries are read in order, stopping at the AT_NULL
            // entry that ends the vector (the `from_initial_stack`
            // contract), so every one read is inside the vector.
            .map(|i| unsafe { *self.auxv.add(i) })
            .take_while(|&[key, _]| key != AT_NULL)
            .map(|[key, value]| (key, value))
    }

    /// The value of auxiliary vector entry `key` (such as
    /// [`crate::auxv::AT_PAGESZ`]), if the kernel passed one.
    pub fn auxv(&self, key: usize) -> Option<usize> {
        self.auxv_entries().find(|&(k, _)| k == key).map(|(_, v)| v)
    }

    /// The stack pointer the process started with (the address of argc).
    pub fn initial_stack(&self) -> *const usize {
        self.stack
    }
}
