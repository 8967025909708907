//! `<sys/time.h>`: `gettimeofday`, `utimes` (a file's access and
//! modification times, in microseconds: `utimensat` underneath), and
//! `struct timeval`.

use vibix_abi::errno::set_errno;

use super::clock::read_clock;
use crate::types::{c_char, c_int, c_void};

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

/// Sets the access (`times[0]`) and modification (`times[1]`) times of
/// the file at `path`; NULL `times` means now. A microsecond count
/// outside 0..1,000,000 is `EINVAL`, as glibc has it.
///
/// # Safety
///
/// `path` must be a NUL-terminated string, `times` NULL or two
/// `struct timeval`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn utimes(path: *const c_char, times: *const timeval) -> c_int {
    if times.is_null() {
        // SAFETY: the caller's contract; NULL times mean now.
        return unsafe {
            crate::sys_stat::utimensat(vibix_uapi::fcntl::AT_FDCWD, path, core::ptr::null(), 0)
        };
    }
    // SAFETY: the caller's contract: two `timeval`s.
    let tv = unsafe { [times.read(), times.add(1).read()] };
    if tv.iter().any(|t| !(0..1_000_000).contains(&t.tv_usec)) {
        set_errno(vibix_uapi::Errno::EINVAL.raw());
        return -1;
    }
    let ts = tv.map(|t| vibix_uapi::time::Timespec {
        tv_sec: t.tv_sec,
        tv_nsec: t.tv_usec * 1000,
    });
    // SAFETY: the caller's `path`; `ts` holds two `timespec`s.
    unsafe { crate::sys_stat::utimensat(vibix_uapi::fcntl::AT_FDCWD, path, ts.as_ptr(), 0) }
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

    #[test]
    #[cfg_attr(miri, ignore = "system calls and the host C library")]
    fn utimes_like_the_host() {
        use std::os::unix::fs::MetadataExt;
        let s = crate::testutil::Scratch::new("utimes");
        let (o, h) = (s.c("o"), s.c("h"));
        std::fs::write(s.0.join("o"), b"").unwrap();
        std::fs::write(s.0.join("h"), b"").unwrap();
        let times = [
            timeval {
                tv_sec: 1_000_000_000,
                tv_usec: 250_000,
            },
            timeval {
                tv_sec: 1_234_567_890,
                tv_usec: 999_999,
            },
        ];
        let host = times.map(|t| libc::timeval {
            tv_sec: t.tv_sec,
            tv_usec: t.tv_usec,
        });
        // SAFETY: NUL-terminated paths, two `timeval`s each.
        unsafe {
            crate::testutil::same(
                "utimes",
                || utimes(o.as_ptr(), times.as_ptr()),
                || libc::utimes(h.as_ptr(), host.as_ptr()),
            );
        }
        for name in ["o", "h"] {
            let m = std::fs::metadata(s.0.join(name)).unwrap();
            assert_eq!((m.atime(), m.atime_nsec()), (1_000_000_000, 250_000_000));
            assert_eq!((m.mtime(), m.mtime_nsec()), (1_234_567_890, 999_999_000));
        }
        let mut bad = times;
        bad[1].tv_usec = 1_000_000;
        let mut hbad = host;
        hbad[1].tv_usec = 1_000_000;
        let missing = s.c("missing");
        // SAFETY: as above.
        unsafe {
            crate::testutil::same(
                "utimes(usec 1000000)",
                || utimes(o.as_ptr(), bad.as_ptr()),
                || libc::utimes(h.as_ptr(), hbad.as_ptr()),
            );
            crate::testutil::same(
                "utimes(NULL)",
                || utimes(o.as_ptr(), core::ptr::null()),
                || libc::utimes(h.as_ptr(), core::ptr::null()),
            );
            crate::testutil::same(
                "utimes(missing)",
                || utimes(missing.as_ptr(), times.as_ptr()),
                || libc::utimes(missing.as_ptr(), host.as_ptr()),
            );
        }
    }
}
