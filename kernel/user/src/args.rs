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

use core::ffi::CStr;

use vibix_uapi::start::InitialStack;

/// argc, argv, envp and auxv, found from the initial stack pointer.
pub struct Args {
    stack: *const usize,
    parsed: InitialStack,
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
        // SAFETY: the caller's guarantee is `InitialStack::parse`'s.
        let parsed = unsafe { InitialStack::parse(stack) };
        Args { stack, parsed }
    }

    /// The number of arguments, including the program name `argv[0]`.
    pub fn argc(&self) -> usize {
        self.parsed.argc
    }

    /// Argument `i`, or `None` past the end.
    pub fn arg(&self, i: usize) -> Option<&'static CStr> {
        self.parsed.args().nth(i)
    }

    /// All arguments, `argv[0]` first.
    pub fn args(&self) -> impl Iterator<Item = &'static CStr> + '_ {
        self.parsed.args()
    }

    /// Environment entry `i` (a `KEY=VALUE` string), or `None` past the end.
    pub fn env_entry(&self, i: usize) -> Option<&'static CStr> {
        self.parsed.env().nth(i)
    }

    /// All environment entries, in the order the kernel passed them.
    pub fn env(&self) -> impl Iterator<Item = &'static CStr> + '_ {
        self.parsed.env()
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
        self.parsed.auxv()
    }

    /// The value of auxiliary vector entry `key` (such as
    /// [`crate::auxv::AT_PAGESZ`]), if the kernel passed one.
    pub fn auxv(&self, key: usize) -> Option<usize> {
        self.parsed.getauxval(key)
    }

    /// The stack pointer the process started with (the address of argc).
    pub fn initial_stack(&self) -> *const usize {
        self.stack
    }
}
