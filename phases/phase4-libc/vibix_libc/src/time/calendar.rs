//! `<time.h>`: broken-down time: `struct tm`, `gmtime`, `localtime` (vibix
//! has no time zones: local time is UTC, as glibc's with `TZ` unset and no
//! `/etc/localtime`), `mktime`, `timegm`, and `tzset` with its variables.
//!
//! The proleptic Gregorian calendar is counted in days from 1970-01-01 by
//! [`days_from_civil`] and back by [`civil_from_days`], in 400-year eras
//! (146 097 days each), with the year starting in March so that the leap
//! day is the last day of a year.

use core::cell::UnsafeCell;
use core::ptr;

use vibix_abi::Errno;
use vibix_abi::errno::set_errno;

use crate::types::{c_char, c_int, c_long, time_t};

/// Broken-down time, glibc's layout (with its `tm_gmtoff` and `tm_zone`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct tm {
    /// Seconds, 0 to 60.
    pub tm_sec: c_int,
    /// Minutes, 0 to 59.
    pub tm_min: c_int,
    /// Hours, 0 to 23.
    pub tm_hour: c_int,
    /// Day of the month, 1 to 31.
    pub tm_mday: c_int,
    /// Month, 0 to 11.
    pub tm_mon: c_int,
    /// Years since 1900.
    pub tm_year: c_int,
    /// Day of the week, 0 (Sunday) to 6.
    pub tm_wday: c_int,
    /// Day of the year, 0 to 365.
    pub tm_yday: c_int,
    /// Daylight-saving time in effect (never, here).
    pub tm_isdst: c_int,
    /// Seconds east of UTC.
    pub tm_gmtoff: c_long,
    /// The zone's abbreviation.
    pub tm_zone: *const c_char,
}

impl tm {
    /// All fields zero, no zone.
    pub const ZERO: tm = tm {
        tm_sec: 0,
        tm_min: 0,
        tm_hour: 0,
        tm_mday: 0,
        tm_mon: 0,
        tm_year: 0,
        tm_wday: 0,
        tm_yday: 0,
        tm_isdst: 0,
        tm_gmtoff: 0,
        tm_zone: ptr::null(),
    };
}

/// The zone names: standard and daylight-saving time.
#[cfg_attr(not(test), unsafe(no_mangle))]
#[allow(non_upper_case_globals)]
pub static mut tzname: [*mut c_char; 2] = [UTC.as_ptr().cast_mut(), UTC.as_ptr().cast_mut()];
/// Seconds west of UTC of standard time.
#[cfg_attr(not(test), unsafe(no_mangle))]
#[allow(non_upper_case_globals)]
pub static mut timezone: c_long = 0;
/// Whether the zone has daylight-saving time.
#[cfg_attr(not(test), unsafe(no_mangle))]
#[allow(non_upper_case_globals)]
pub static mut daylight: c_int = 0;

const UTC: &core::ffi::CStr = c"UTC";
const GMT: &core::ffi::CStr = c"GMT";

/// Sets the zone variables from `TZ`: on vibix always UTC, already set.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn tzset() {}

/// Days from 1970-01-01 to `year`-`month`-`day` (month 1 to 12).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date (year, month 1 to 12, day) `days` days after 1970-01-01.
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `t` broken down in UTC, zone named `zone`; `None` if the year does not
/// fit an `int`.
fn breakdown(t: time_t, zone: &'static core::ffi::CStr) -> Option<tm> {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let tm_year = c_int::try_from(year - 1900).ok()?;
    Some(tm {
        tm_sec: (secs % 60) as c_int,
        tm_min: (secs / 60 % 60) as c_int,
        tm_hour: (secs / 3600) as c_int,
        tm_mday: day as c_int,
        tm_mon: (month - 1) as c_int,
        tm_year,
        tm_wday: (days + 4).rem_euclid(7) as c_int,
        tm_yday: (days - days_from_civil(year, 1, 1)) as c_int,
        tm_isdst: 0,
        tm_gmtoff: 0,
        tm_zone: zone.as_ptr(),
    })
}

/// The seconds since the epoch of broken-down UTC time `t`, its fields
/// taken as they are (out-of-range ones carry over).
pub(crate) fn seconds_of(t: &tm) -> i64 {
    let month = i64::from(t.tm_mon);
    let year = i64::from(t.tm_year) + 1900 + month.div_euclid(12);
    let days = days_from_civil(year, month.rem_euclid(12) + 1, 1) + i64::from(t.tm_mday) - 1;
    days * 86_400 + i64::from(t.tm_hour) * 3600 + i64::from(t.tm_min) * 60 + i64::from(t.tm_sec)
}

/// What `mktime` returns for `t` (its seconds, or -1 if they cannot be
/// represented), leaving `t` alone: `strftime`'s `%s`.
pub(crate) fn mktime_value(t: &tm) -> time_t {
    let secs = seconds_of(t);
    if breakdown(secs, UTC).is_some() {
        secs
    } else {
        -1
    }
}

/// The one static result `gmtime` and `localtime` share, as in glibc.
struct Shared(UnsafeCell<tm>);
// SAFETY: C's `gmtime` and `localtime` are not thread-safe: the caller
// keeps calls to them apart (the `_r` forms are the thread-safe ones).
unsafe impl Sync for Shared {}
static RESULT: Shared = Shared(UnsafeCell::new(tm::ZERO));

/// `*t` as UTC broken-down time, into `*result`; NULL (`EOVERFLOW`) if the
/// year does not fit an `int`.
///
/// # Safety
///
/// `t` must point to a `time_t`, `result` be valid for a write of a `tm`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn gmtime_r(t: *const time_t, result: *mut tm) -> *mut tm {
    // SAFETY: the caller's contract.
    match breakdown(unsafe { *t }, GMT) {
        Some(b) => {
            // SAFETY: the caller's contract.
            unsafe { result.write(b) };
            result
        }
        None => {
            set_errno(Errno::EOVERFLOW.raw());
            ptr::null_mut()
        }
    }
}

/// [`gmtime_r`] into a static result shared with `localtime`.
///
/// # Safety
///
/// `t` must point to a `time_t`; no other thread may use the static
/// result meanwhile.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn gmtime(t: *const time_t) -> *mut tm {
    // SAFETY: the caller's contract; the static is the result's room.
    unsafe { gmtime_r(t, RESULT.0.get()) }
}

/// `*t` as local broken-down time: local time is UTC on vibix, so this is
/// [`gmtime_r`] under the zone name glibc gives local UTC ("UTC", where
/// `gmtime` says "GMT").
///
/// # Safety
///
/// As for [`gmtime_r`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn localtime_r(t: *const time_t, result: *mut tm) -> *mut tm {
    // SAFETY: the caller's contract.
    let r = unsafe { gmtime_r(t, result) };
    if !r.is_null() {
        // SAFETY: `gmtime_r` wrote a `tm` there.
        unsafe { (*r).tm_zone = UTC.as_ptr() };
    }
    r
}

/// [`localtime_r`] into the static result shared with `gmtime`.
///
/// # Safety
///
/// As for [`gmtime`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn localtime(t: *const time_t) -> *mut tm {
    // SAFETY: the caller's contract; the static is the result's room.
    unsafe { localtime_r(t, RESULT.0.get()) }
}

/// Normalizes `*t` as time in `zone` and returns its seconds since the
/// epoch, or -1 with `EOVERFLOW` (leaving `*t` alone).
///
/// # Safety
///
/// `t` must point to a writable `tm`.
unsafe fn normalize(t: *mut tm, zone: &'static core::ffi::CStr) -> time_t {
    // SAFETY: the caller's contract.
    let secs = seconds_of(unsafe { &*t });
    match breakdown(secs, zone) {
        Some(b) => {
            // SAFETY: the caller's contract.
            unsafe { t.write(b) };
            secs
        }
        None => {
            set_errno(Errno::EOVERFLOW.raw());
            -1
        }
    }
}

/// The seconds since the epoch of local (UTC) time `*t`, whose fields are
/// normalized (and `tm_wday`, `tm_yday` set); -1 with `EOVERFLOW` if it
/// cannot be represented.
///
/// # Safety
///
/// `t` must point to a writable `tm`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn mktime(t: *mut tm) -> time_t {
    // SAFETY: the caller's contract.
    unsafe { normalize(t, UTC) }
}

/// [`mktime`] for UTC time, zone "GMT".
///
/// # Safety
///
/// As for [`mktime`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn timegm(t: *mut tm) -> time_t {
    // SAFETY: the caller's contract.
    unsafe { normalize(t, GMT) }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use core::ffi::CStr;
    use core::mem::{offset_of, size_of};

    /// A small deterministic generator (xorshift), for random inputs.
    pub(crate) struct Rng(pub u64);
    impl Rng {
        pub(crate) fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    pub(crate) fn to_host(t: &tm) -> libc::tm {
        libc::tm {
            tm_sec: t.tm_sec,
            tm_min: t.tm_min,
            tm_hour: t.tm_hour,
            tm_mday: t.tm_mday,
            tm_mon: t.tm_mon,
            tm_year: t.tm_year,
            tm_wday: t.tm_wday,
            tm_yday: t.tm_yday,
            tm_isdst: t.tm_isdst,
            tm_gmtoff: t.tm_gmtoff,
            tm_zone: t.tm_zone,
        }
    }

    fn fields(t: &tm) -> [i64; 10] {
        [
            t.tm_sec.into(),
            t.tm_min.into(),
            t.tm_hour.into(),
            t.tm_mday.into(),
            t.tm_mon.into(),
            t.tm_year.into(),
            t.tm_wday.into(),
            t.tm_yday.into(),
            t.tm_isdst.into(),
            t.tm_gmtoff,
        ]
    }

    fn host_fields(t: &libc::tm) -> [i64; 10] {
        [
            t.tm_sec.into(),
            t.tm_min.into(),
            t.tm_hour.into(),
            t.tm_mday.into(),
            t.tm_mon.into(),
            t.tm_year.into(),
            t.tm_wday.into(),
            t.tm_yday.into(),
            t.tm_isdst.into(),
            t.tm_gmtoff,
        ]
    }

    fn zone(p: *const c_char) -> &'static [u8] {
        // SAFETY: a zone name of ours or the host's: static, NUL-terminated.
        unsafe { CStr::from_ptr(p) }.to_bytes()
    }

    #[test]
    fn layout_is_glibcs() {
        assert_eq!(size_of::<tm>(), size_of::<libc::tm>());
        assert_eq!(offset_of!(tm, tm_isdst), offset_of!(libc::tm, tm_isdst));
        assert_eq!(offset_of!(tm, tm_gmtoff), offset_of!(libc::tm, tm_gmtoff));
        assert_eq!(offset_of!(tm, tm_zone), offset_of!(libc::tm, tm_zone));
    }

    #[test]
    fn calendar_round_trips() {
        let step = if cfg!(miri) { 997 } else { 1 };
        // Every day from 1900 to 2100 (and beyond both ends), both ways.
        let first = days_from_civil(1600, 1, 1);
        let last = days_from_civil(2500, 12, 31);
        let mut d = first;
        let (mut y, mut m, mut day) = civil_from_days(first);
        assert_eq!((y, m, day), (1600, 1, 1));
        while d <= last {
            assert_eq!(days_from_civil(y, m, day), d);
            let next = civil_from_days(d + step);
            if step == 1 {
                let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
                let len = [
                    31,
                    if leap { 29 } else { 28 },
                    31,
                    30,
                    31,
                    30,
                    31,
                    31,
                    30,
                    31,
                    30,
                    31,
                ][m as usize - 1];
                let expect = if day < len {
                    (y, m, day + 1)
                } else if m < 12 {
                    (y, m + 1, 1)
                } else {
                    (y + 1, 1, 1)
                };
                assert_eq!(next, expect);
            }
            (y, m, day) = next;
            d += step;
        }
    }

    #[cfg(not(miri))]
    fn check_time(t: i64) {
        let mut ours = tm::ZERO;
        // SAFETY: zeroed `tm` is valid (a null zone).
        let mut host: libc::tm = unsafe { core::mem::zeroed() };
        // SAFETY: valid pointers.
        let a = unsafe { gmtime_r(&t, &mut ours) };
        // SAFETY: as above.
        let b = unsafe { libc::gmtime_r(&t, &mut host) };
        assert_eq!(a.is_null(), b.is_null(), "{t}");
        if a.is_null() {
            return;
        }
        assert_eq!(fields(&ours), host_fields(&host), "gmtime {t}");
        assert_eq!(zone(ours.tm_zone), zone(host.tm_zone));
        // SAFETY: valid pointers.
        unsafe {
            localtime_r(&t, &mut ours);
            libc::localtime_r(&t, &mut host);
        }
        assert_eq!(fields(&ours), host_fields(&host), "localtime {t}");
        assert_eq!(zone(ours.tm_zone), zone(host.tm_zone));
        // SAFETY: valid pointers.
        unsafe {
            assert_eq!(timegm(&mut ours), t);
            assert_eq!(mktime(&mut ours), t);
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "the host's C library")]
    fn breakdown_like_the_host() {
        #[cfg(not(miri))]
        {
            // Every day of 1900 to 2100, at a varying second.
            let mut rng = Rng(0x1234_5678_9abc_def1);
            let start = days_from_civil(1900, 1, 1);
            let end = days_from_civil(2101, 1, 1);
            for day in start..end {
                check_time(day * 86_400 + (rng.next() % 86_400) as i64);
            }
            for _ in 0..200_000 {
                check_time(rng.next() as i64 >> (rng.next() % 40));
            }
            for t in [
                0,
                -1,
                i64::MAX,
                i64::MIN,
                67_768_036_191_676_799,
                67_768_036_191_676_800,
                -67_768_040_609_740_800,
                -67_768_040_609_740_801,
            ] {
                check_time(t);
            }
        }
    }

    #[cfg(not(miri))]
    fn check_normalize(mut t: tm) {
        let mut host = to_host(&t);
        let mut ours = t;
        // SAFETY: valid pointers.
        unsafe {
            set_errno(0);
            let a = mktime(&mut ours);
            let ea = vibix_abi::errno::errno();
            *libc::__errno_location() = 0;
            let b = libc::mktime(&mut host);
            let eb = *libc::__errno_location();
            assert_eq!(a, b, "{t:?}");
            assert_eq!(ea, eb, "{t:?}");
            assert_eq!(fields(&ours), host_fields(&host), "{t:?}");
            host = to_host(&t);
            assert_eq!(timegm(&mut t), libc::timegm(&mut host));
            assert_eq!(fields(&t), host_fields(&host));
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "the host's C library")]
    fn normalizing_like_the_host() {
        #[cfg(not(miri))]
        {
            let mut rng = Rng(42);
            let mut small = || (rng.next() % 2000) as c_int - 1000;
            for _ in 0..100_000 {
                check_normalize(tm {
                    tm_sec: small(),
                    tm_min: small(),
                    tm_hour: small() / 10,
                    tm_mday: small(),
                    tm_mon: small() / 10,
                    tm_year: small() / 4 + 100,
                    tm_wday: 9,
                    tm_yday: 999,
                    tm_isdst: 0,
                    tm_gmtoff: 0,
                    tm_zone: ptr::null(),
                });
            }
            let big = tm {
                tm_sec: c_int::MAX,
                tm_min: c_int::MAX,
                tm_hour: c_int::MAX,
                tm_mday: c_int::MAX,
                tm_mon: c_int::MAX,
                tm_year: c_int::MAX,
                ..tm::ZERO
            };
            check_normalize(big);
            let low = tm {
                tm_sec: c_int::MIN,
                tm_min: c_int::MIN,
                tm_hour: c_int::MIN,
                tm_mday: c_int::MIN,
                tm_mon: c_int::MIN,
                tm_year: c_int::MIN,
                ..tm::ZERO
            };
            check_normalize(low);
            check_normalize(tm {
                tm_year: c_int::MAX - 1899,
                tm_mday: 1,
                ..tm::ZERO
            });
            check_normalize(tm {
                tm_year: c_int::MAX - 1900,
                tm_mday: 1,
                tm_mon: 11,
                tm_sec: 86_400 * 31,
                ..tm::ZERO
            });
        }
    }

    #[test]
    fn static_results_are_shared() {
        let t = 86_400 * 365;
        // SAFETY: one thread uses the static result in this test.
        unsafe {
            let g = gmtime(&t);
            let l = localtime(&t);
            assert_eq!(g, l);
            assert_eq!((*l).tm_year, 71);
            assert_eq!(zone((*l).tm_zone), b"UTC");
        }
    }
}
