//! `<sys/time.h>`: `gettimeofday`, and `struct timeval`.

use vibix_abi::errno::set_errno;

use super::clock::read_clock;
use crate::types::{c_int, c_void};

pub use vibix_uapi::time::Timeval as timeval;

/// The obsolete time-zone argument of `gettimeofday`: vibix's zone is UTC.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct timezone {
    /// Minutes west of Greenwich.
    pub tz_minuteswest: c_int,
    /// The kind of daylight-saving correction (none).
    pub tz_dsttime: c_int,
}

/// The current time, in seconds and microseconds since the epoch, into
/// `*tv` (unless NULL); `*tz` (unless NULL) gets UTC.
///
/// # Safety
///
/// `tv` must be NULL or valid for a write of a `timeval`; `tz` NULL or a
/// `struct timezone`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn gettimeofday(tv: *mut timeval, tz: *mut c_void) -> c_int {
    if !tv.is_null() {
        match read_clock(vibix_uapi::time::CLOCK_REALTIME) {
            // SAFETY: the caller's contract.
            Ok(ts) => unsafe {
                tv.write(timeval {
                    tv_sec: ts.tv_sec,
                    tv_usec: ts.tv_nsec / 1000,
                })
            },
            Err(e) => {
                set_errno(e.raw());
                return -1;
            }
        }
    }
    if !tz.is_null() {
        // SAFETY: the caller's contract.
        unsafe { tz.cast::<timezone>().write(timezone::default()) };
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::{offset_of, size_of};

    #[test]
    fn layouts() {
        assert_eq!(size_of::<timeval>(), size_of::<libc::timeval>());
        assert_eq!(
            offset_of!(timeval, tv_usec),
            offset_of!(libc::timeval, tv_usec)
        );
        // glibc's `struct timezone`: two `int`s (the libc crate's is opaque).
        assert_eq!(size_of::<timezone>(), 8);
    }

    #[test]
    #[cfg_attr(miri, ignore = "system calls")]
    fn like_the_host() {
        let mut ours = timeval::default();
        let mut tz = timezone {
            tz_minuteswest: 5,
            tz_dsttime: 5,
        };
        // SAFETY: valid pointers.
        let r = unsafe { gettimeofday(&raw mut ours, (&raw mut tz).cast()) };
        assert_eq!(r, 0);
        assert_eq!(tz, timezone::default());
        let mut host = libc::timeval {
            tv_sec: 0,
            tv_usec: 0,
        };
        // SAFETY: valid pointers.
        let r = unsafe { libc::gettimeofday(&raw mut host, core::ptr::null_mut()) };
        assert_eq!(r, 0);
        assert!((ours.tv_sec - host.tv_sec).abs() <= 1);
        assert!((0..1_000_000).contains(&ours.tv_usec));
        // SAFETY: NULLs are allowed.
        let r = unsafe { gettimeofday(core::ptr::null_mut(), core::ptr::null_mut()) };
        assert_eq!(r, 0);
    }
}
