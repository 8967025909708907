//! Auxiliary vector keys (Linux's `<uapi/linux/auxvec.h>`): what the kernel
//! tells a new program about itself and the machine, as `(key, value)`
//! pairs after the environment on the initial stack (see [`crate::start`]).

/// End of the vector.
pub const AT_NULL: usize = 0;
/// Address of the executable's program headers.
pub const AT_PHDR: usize = 3;
/// Size of one program header (56 on x86_64).
pub const AT_PHENT: usize = 4;
/// Number of program headers.
pub const AT_PHNUM: usize = 5;
/// Page size in bytes.
pub const AT_PAGESZ: usize = 6;
/// Load address of the interpreter (0 for a static executable).
pub const AT_BASE: usize = 7;
/// Flags (unused, 0).
pub const AT_FLAGS: usize = 8;
/// Entry point of the executable.
pub const AT_ENTRY: usize = 9;
/// Real user id.
pub const AT_UID: usize = 11;
/// Effective user id.
pub const AT_EUID: usize = 12;
/// Real group id.
pub const AT_GID: usize = 13;
/// Effective group id.
pub const AT_EGID: usize = 14;
/// Non-zero if the program runs with more privileges than its user.
pub const AT_SECURE: usize = 23;
/// Address of 16 random bytes.
pub const AT_RANDOM: usize = 25;
/// Address of the path the program was executed as.
pub const AT_EXECFN: usize = 31;
