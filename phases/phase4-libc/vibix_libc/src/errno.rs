//! `<errno.h>`: `errno`, one per thread, and the error numbers.
//!
//! The variable is `vibix_abi`'s thread-local (the same one std's layer
//! uses) and `__errno_location` is its C name, exported there (finding
//! T-A6: the linker keeps it because it is the one definition). The error
//! numbers are `vibix_uapi::errno`'s table: the header generator writes one
//! `#define` per entry of `vibix_uapi::errno::ALL`.
//!
//! ```c
//! #define errno (*__errno_location())
//! ```

pub use vibix_abi::errno::__errno_location;
use vibix_abi::errno::set_errno;

use crate::types::c_int;

/// Sets `errno` and returns `-1`, the usual failure of a C call.
pub(crate) fn fail(errno: c_int) -> c_int {
    set_errno(errno);
    -1
}

/// The result of a `vibix_abi` wrapper as C returns it: the value, or `-1`
/// with `errno` set (the wrappers record `errno` already).
#[allow(dead_code, reason = "for the areas that make system calls")]
pub(crate) fn ret<T: Into<i64>>(r: vibix_abi::Result<T>) -> i64 {
    match r {
        Ok(v) => v.into(),
        Err(e) => fail(e.raw()).into(),
    }
}
