//! `<unistd.h>`: sleeping: `sleep` (seconds) and `usleep` (microseconds),
//! over `nanosleep`.

use vibix_uapi::time::Timespec;
use vibix_uapi::{nr, syscall};

use crate::sysret::ret_int;
use crate::types::{c_int, c_uint};

/// Sleeps `seconds` seconds; returns 0, or the whole seconds left (as
/// glibc: the fraction is dropped) if a signal handler interrupted the
/// sleep.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn sleep(seconds: c_uint) -> c_uint {
    let ts = Timespec {
        tv_sec: seconds.into(),
        tv_nsec: 0,
    };
    let mut rem = Timespec::default();
    // SAFETY: the kernel reads `ts` and may write `rem`, both ours.
    if ret_int(unsafe { syscall!(nr::NANOSLEEP, &raw const ts, &raw mut rem) }) < 0 {
        return rem.tv_sec as c_uint;
    }
    0
}

/// Sleeps `usec` microseconds: 0, or `-1` with `errno` (`EINTR`).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn usleep(usec: c_uint) -> c_int {
    let ts = Timespec {
        tv_sec: i64::from(usec / 1_000_000),
        tv_nsec: i64::from(usec % 1_000_000) * 1000,
    };
    // SAFETY: the kernel reads `ts`, which is ours.
    ret_int(unsafe { syscall!(nr::NANOSLEEP, &raw const ts, 0usize) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls")]
    fn sleeps_at_least_as_asked() {
        let start = std::time::Instant::now();
        assert_eq!(usleep(20_000), 0);
        assert!(start.elapsed() >= std::time::Duration::from_millis(20));
        assert_eq!(sleep(0), 0);
    }
}
