//! `<sys/auxv.h>`: `getauxval`, the values the kernel passed in the
//! auxiliary vector (`AT_EXECFN`, `AT_PAGESZ`, `AT_RANDOM`, …), read from
//! the initial stack program start recorded.

use vibix_abi::errno::set_errno;
use vibix_uapi::errno::ENOENT;

use crate::types::c_ulong;

pub use vibix_uapi::auxv::{
    AT_BASE, AT_EGID, AT_ENTRY, AT_EUID, AT_EXECFN, AT_FLAGS, AT_GID, AT_NULL, AT_PAGESZ, AT_PHDR,
    AT_PHENT, AT_PHNUM, AT_RANDOM, AT_SECURE, AT_UID,
};

/// The auxiliary vector's value for `key`, or 0 with `errno` `ENOENT` when
/// the kernel passed none.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn getauxval(key: c_ulong) -> c_ulong {
    let found = vibix_abi::start::recorded()
        .and_then(|stack| stack.getauxval(key as usize))
        .map(|v| v as c_ulong);
    found.unwrap_or_else(|| {
        set_errno(ENOENT);
        0
    })
}
