//! `<unistd.h>`: the system's limits and names: `sysconf` and its `_SC_*`
//! names (glibc's values), `pathconf`/`fpathconf` and their `_PC_*` names,
//! `getpagesize`, `getdtablesize`, `gethostname` (the `nodename` of
//! `uname`).
//!
//! What `sysconf` answers on vibix: `_SC_ARG_MAX` the kernel's limit on
//! `execve`'s strings (128 KiB; glibc on Linux says a quarter of the stack
//! limit), `_SC_OPEN_MAX` the size of a process's descriptor table (1024,
//! Linux's default soft limit), `_SC_NPROCESSORS_ONLN`/`_CONF` the CPUs of
//! `sched_getaffinity`, `_SC_PHYS_PAGES`/`_SC_AVPHYS_PAGES` from
//! `sysinfo`; the others are glibc's fixed values. An unknown name is
//! `EINVAL`; a limit there is none of is `-1` with `errno` untouched.

use vibix_uapi::Errno;
use vibix_uapi::sysinfo::Sysinfo;
use vibix_uapi::utsname::Utsname;
use vibix_uapi::{nr, syscall};

use crate::sysret::{fail, ret_int};
use crate::types::{c_char, c_int, c_long, size_t};

pub const _SC_ARG_MAX: c_int = 0;
pub const _SC_CHILD_MAX: c_int = 1;
pub const _SC_CLK_TCK: c_int = 2;
pub const _SC_NGROUPS_MAX: c_int = 3;
pub const _SC_OPEN_MAX: c_int = 4;
pub const _SC_STREAM_MAX: c_int = 5;
pub const _SC_TZNAME_MAX: c_int = 6;
pub const _SC_JOB_CONTROL: c_int = 7;
pub const _SC_SAVED_IDS: c_int = 8;
pub const _SC_VERSION: c_int = 29;
pub const _SC_PAGESIZE: c_int = 30;
pub const _SC_PAGE_SIZE: c_int = _SC_PAGESIZE;
pub const _SC_LINE_MAX: c_int = 43;
pub const _SC_RE_DUP_MAX: c_int = 44;
pub const _SC_IOV_MAX: c_int = 60;
pub const _SC_GETGR_R_SIZE_MAX: c_int = 69;
pub const _SC_GETPW_R_SIZE_MAX: c_int = 70;
pub const _SC_LOGIN_NAME_MAX: c_int = 71;
pub const _SC_TTY_NAME_MAX: c_int = 72;
pub const _SC_THREAD_DESTRUCTOR_ITERATIONS: c_int = 73;
pub const _SC_THREAD_KEYS_MAX: c_int = 74;
pub const _SC_THREAD_STACK_MIN: c_int = 75;
pub const _SC_NPROCESSORS_CONF: c_int = 83;
pub const _SC_NPROCESSORS_ONLN: c_int = 84;
pub const _SC_PHYS_PAGES: c_int = 85;
pub const _SC_AVPHYS_PAGES: c_int = 86;
pub const _SC_MONOTONIC_CLOCK: c_int = 149;
pub const _SC_SYMLOOP_MAX: c_int = 173;
pub const _SC_HOST_NAME_MAX: c_int = 180;

pub const _PC_LINK_MAX: c_int = 0;
pub const _PC_MAX_CANON: c_int = 1;
pub const _PC_MAX_INPUT: c_int = 2;
pub const _PC_NAME_MAX: c_int = 3;
pub const _PC_PATH_MAX: c_int = 4;
pub const _PC_PIPE_BUF: c_int = 5;
pub const _PC_CHOWN_RESTRICTED: c_int = 6;
pub const _PC_NO_TRUNC: c_int = 7;
pub const _PC_VDISABLE: c_int = 8;

/// The size of a process's descriptor table on vibix.
const OPEN_MAX: c_long = 1024;

/// The page size.
const PAGE_SIZE: c_long = vibix_abi::mem::PAGE_SIZE as c_long;

/// The system's memory, in pages: `(total, free)`, from `sysinfo`.
fn memory_pages() -> Option<(c_long, c_long)> {
    let mut info = Sysinfo::default();
    // SAFETY: the kernel writes one `struct sysinfo` into `info`, ours.
    if ret_int(unsafe { syscall!(nr::SYSINFO, &raw mut info) }) < 0 {
        return None;
    }
    let unit = u64::from(info.mem_unit.max(1));
    let pages = |n: u64| (n.saturating_mul(unit) / PAGE_SIZE as u64) as c_long;
    Some((pages(info.totalram), pages(info.freeram)))
}

/// The value of the system limit or option `name` (`_SC_*`).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn sysconf(name: c_int) -> c_long {
    match name {
        _SC_ARG_MAX => 128 * 1024,
        _SC_CHILD_MAX | _SC_TZNAME_MAX | _SC_SYMLOOP_MAX => -1,
        _SC_CLK_TCK => 100,
        _SC_NGROUPS_MAX => 65536,
        _SC_OPEN_MAX => OPEN_MAX,
        _SC_STREAM_MAX => 16,
        _SC_JOB_CONTROL | _SC_SAVED_IDS => 1,
        _SC_VERSION | _SC_MONOTONIC_CLOCK => 200809,
        _SC_PAGESIZE => PAGE_SIZE,
        _SC_LINE_MAX => 2048,
        _SC_RE_DUP_MAX => 0x7fff,
        _SC_IOV_MAX => vibix_uapi::uio::IOV_MAX as c_long,
        _SC_GETGR_R_SIZE_MAX | _SC_GETPW_R_SIZE_MAX => 1024,
        _SC_LOGIN_NAME_MAX => 256,
        _SC_TTY_NAME_MAX => 32,
        _SC_THREAD_DESTRUCTOR_ITERATIONS => 4,
        _SC_THREAD_KEYS_MAX => 1024,
        _SC_THREAD_STACK_MIN => 16384,
        _SC_HOST_NAME_MAX => 64,
        _SC_NPROCESSORS_CONF | _SC_NPROCESSORS_ONLN => {
            vibix_abi::thread::cpu_count().map_or(1, |n| n.max(1) as c_long)
        }
        _SC_PHYS_PAGES => memory_pages().map_or(-1, |m| m.0),
        _SC_AVPHYS_PAGES => memory_pages().map_or(-1, |m| m.1),
        _ => fail(Errno::EINVAL).into(),
    }
}

/// Whether glibc asks the file system (and so needs the file to exist)
/// for limit `name`; the others are constants.
fn asks_file_system(name: c_int) -> bool {
    matches!(name, _PC_LINK_MAX | _PC_NAME_MAX | _PC_CHOWN_RESTRICTED)
}

/// The limit `name` (`_PC_*`): the values glibc gives on Linux for a file
/// system that does not say otherwise (`_PC_LINK_MAX` is Linux's generic
/// 127).
fn path_limit(name: c_int) -> c_long {
    match name {
        _PC_LINK_MAX => 127,
        _PC_MAX_CANON | _PC_MAX_INPUT | _PC_NAME_MAX => 255,
        _PC_PATH_MAX => vibix_uapi::limits::PATH_MAX as c_long,
        _PC_PIPE_BUF => 4096,
        _PC_CHOWN_RESTRICTED | _PC_NO_TRUNC => 1,
        _PC_VDISABLE => 0,
        _ => fail(Errno::EINVAL).into(),
    }
}

/// A limit of the file system `path` is on (`_PC_*`). As glibc, the
/// limits read from the file system (`_PC_LINK_MAX`, `_PC_NAME_MAX`,
/// `_PC_CHOWN_RESTRICTED`) need `path` to exist (else `-1` with `errno`);
/// the others do not.
///
/// # Safety
///
/// `path` must be a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pathconf(path: *const c_char, name: c_int) -> c_long {
    if asks_file_system(name) {
        let mut st = vibix_uapi::stat::Stat::default();
        let cwd = vibix_uapi::fcntl::AT_FDCWD;
        // SAFETY: the kernel reads `path` and writes one `struct stat`.
        if ret_int(unsafe { syscall!(nr::NEWFSTATAT, cwd, path, &raw mut st, 0) }) < 0 {
            return -1;
        }
    }
    path_limit(name)
}

/// [`pathconf`] for the file `fd` refers to (a negative `fd` is `EBADF`).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn fpathconf(fd: c_int, name: c_int) -> c_long {
    if fd < 0 {
        return fail(Errno::EBADF).into();
    }
    if asks_file_system(name) {
        let mut st = vibix_uapi::stat::Stat::default();
        // SAFETY: the kernel writes one `struct stat` into `st`.
        if ret_int(unsafe { syscall!(nr::FSTAT, fd, &raw mut st) }) < 0 {
            return -1;
        }
    }
    path_limit(name)
}

/// The size of the descriptor table (`sysconf(_SC_OPEN_MAX)`).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn getdtablesize() -> c_int {
    OPEN_MAX as c_int
}

/// The page size in bytes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn getpagesize() -> c_int {
    PAGE_SIZE as c_int
}

/// Copies the host name (`uname`'s `nodename`) into `name`, NUL included;
/// `ENAMETOOLONG` if `len` bytes cannot hold it (as glibc, the buffer then
/// holds as much as fits).
///
/// # Safety
///
/// `name` must be writable for `len` bytes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn gethostname(name: *mut c_char, len: size_t) -> c_int {
    let mut uts = core::mem::MaybeUninit::<Utsname>::zeroed();
    // SAFETY: the kernel writes one `struct utsname` into `uts`, ours.
    if ret_int(unsafe { syscall!(nr::UNAME, uts.as_mut_ptr()) }) < 0 {
        return -1;
    }
    // SAFETY: zeroed bytes are a valid `Utsname`, and `uname` filled it.
    let uts = unsafe { uts.assume_init() };
    let node = &uts.nodename;
    let n = node.iter().position(|&b| b == 0).unwrap_or(node.len()) + 1;
    let copy = n.min(len);
    // SAFETY: `name` is writable for `len >= copy` bytes; `node` has `n`.
    unsafe { core::ptr::copy_nonoverlapping(node.as_ptr().cast(), name, copy) };
    if n > len {
        return fail(Errno::ENAMETOOLONG);
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_glibcs() {
        assert_eq!(_SC_ARG_MAX, libc::_SC_ARG_MAX);
        assert_eq!(_SC_CHILD_MAX, libc::_SC_CHILD_MAX);
        assert_eq!(_SC_CLK_TCK, libc::_SC_CLK_TCK);
        assert_eq!(_SC_NGROUPS_MAX, libc::_SC_NGROUPS_MAX);
        assert_eq!(_SC_OPEN_MAX, libc::_SC_OPEN_MAX);
        assert_eq!(_SC_STREAM_MAX, libc::_SC_STREAM_MAX);
        assert_eq!(_SC_TZNAME_MAX, libc::_SC_TZNAME_MAX);
        assert_eq!(_SC_JOB_CONTROL, libc::_SC_JOB_CONTROL);
        assert_eq!(_SC_SAVED_IDS, libc::_SC_SAVED_IDS);
        assert_eq!(_SC_VERSION, libc::_SC_VERSION);
        assert_eq!(_SC_PAGESIZE, libc::_SC_PAGESIZE);
        assert_eq!(_SC_PAGE_SIZE, libc::_SC_PAGE_SIZE);
        assert_eq!(_SC_LINE_MAX, libc::_SC_LINE_MAX);
        assert_eq!(_SC_RE_DUP_MAX, libc::_SC_RE_DUP_MAX);
        assert_eq!(_SC_IOV_MAX, libc::_SC_IOV_MAX);
        assert_eq!(_SC_GETGR_R_SIZE_MAX, libc::_SC_GETGR_R_SIZE_MAX);
        assert_eq!(_SC_GETPW_R_SIZE_MAX, libc::_SC_GETPW_R_SIZE_MAX);
        assert_eq!(_SC_LOGIN_NAME_MAX, libc::_SC_LOGIN_NAME_MAX);
        assert_eq!(_SC_TTY_NAME_MAX, libc::_SC_TTY_NAME_MAX);
        assert_eq!(
            _SC_THREAD_DESTRUCTOR_ITERATIONS,
            libc::_SC_THREAD_DESTRUCTOR_ITERATIONS
        );
        assert_eq!(_SC_THREAD_KEYS_MAX, libc::_SC_THREAD_KEYS_MAX);
        assert_eq!(_SC_THREAD_STACK_MIN, libc::_SC_THREAD_STACK_MIN);
        assert_eq!(_SC_NPROCESSORS_CONF, libc::_SC_NPROCESSORS_CONF);
        assert_eq!(_SC_NPROCESSORS_ONLN, libc::_SC_NPROCESSORS_ONLN);
        assert_eq!(_SC_PHYS_PAGES, libc::_SC_PHYS_PAGES);
        assert_eq!(_SC_AVPHYS_PAGES, libc::_SC_AVPHYS_PAGES);
        assert_eq!(_SC_MONOTONIC_CLOCK, libc::_SC_MONOTONIC_CLOCK);
        assert_eq!(_SC_SYMLOOP_MAX, libc::_SC_SYMLOOP_MAX);
        assert_eq!(_SC_HOST_NAME_MAX, libc::_SC_HOST_NAME_MAX);
        assert_eq!(
            [
                _PC_LINK_MAX,
                _PC_MAX_CANON,
                _PC_MAX_INPUT,
                _PC_NAME_MAX,
                _PC_PATH_MAX
            ],
            [
                libc::_PC_LINK_MAX,
                libc::_PC_MAX_CANON,
                libc::_PC_MAX_INPUT,
                libc::_PC_NAME_MAX,
                libc::_PC_PATH_MAX
            ]
        );
        assert_eq!(
            [
                _PC_PIPE_BUF,
                _PC_CHOWN_RESTRICTED,
                _PC_NO_TRUNC,
                _PC_VDISABLE
            ],
            [
                libc::_PC_PIPE_BUF,
                libc::_PC_CHOWN_RESTRICTED,
                libc::_PC_NO_TRUNC,
                libc::_PC_VDISABLE
            ]
        );
    }

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls")]
    fn path_limits_as_the_host() {
        for name in [
            _PC_NAME_MAX,
            _PC_MAX_CANON,
            _PC_PATH_MAX,
            _PC_PIPE_BUF,
            _PC_NO_TRUNC,
            _PC_CHOWN_RESTRICTED,
            _PC_VDISABLE,
            99,
        ] {
            // SAFETY: NUL-terminated paths.
            unsafe {
                crate::testutil::same(
                    "pathconf",
                    || pathconf(c"/".as_ptr(), name),
                    || libc::pathconf(c"/".as_ptr(), name),
                );
                crate::testutil::same(
                    "pathconf missing",
                    || pathconf(c"/no/such/path".as_ptr(), name),
                    || libc::pathconf(c"/no/such/path".as_ptr(), name),
                );
                crate::testutil::same(
                    "fpathconf",
                    || fpathconf(-1, name),
                    || libc::fpathconf(-1, name),
                );
            }
        }
        assert_eq!(getdtablesize(), 1024);
    }

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls")]
    fn values_match_the_host_where_linux_fixes_them() {
        for name in [
            _SC_CLK_TCK,
            _SC_PAGESIZE,
            _SC_NGROUPS_MAX,
            _SC_LINE_MAX,
            _SC_RE_DUP_MAX,
            _SC_IOV_MAX,
            _SC_VERSION,
            _SC_HOST_NAME_MAX,
            _SC_LOGIN_NAME_MAX,
            _SC_TTY_NAME_MAX,
            _SC_PHYS_PAGES,
            _SC_THREAD_KEYS_MAX,
            _SC_THREAD_DESTRUCTOR_ITERATIONS,
            _SC_MONOTONIC_CLOCK,
            _SC_JOB_CONTROL,
        ] {
            // SAFETY: `sysconf` has no preconditions.
            assert_eq!(sysconf(name), unsafe { libc::sysconf(name) }, "name {name}");
        }
        // SAFETY: a zeroed `cpu_set_t` is valid; the host's call fills it.
        let allowed = unsafe {
            let mut set: libc::cpu_set_t = core::mem::zeroed();
            assert_eq!(libc::sched_getaffinity(0, size_of_val(&set), &mut set), 0);
            libc::CPU_COUNT(&set) as c_long
        };
        assert_eq!(sysconf(_SC_NPROCESSORS_ONLN), allowed);
        assert_eq!(getpagesize(), 4096);
        assert_eq!(sysconf(-1), -1);
        assert_eq!(vibix_abi::errno::errno(), libc::EINVAL);
    }

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls")]
    fn hostname_as_the_host() {
        let mut ours = [0 as c_char; 65];
        let mut host = [0 as c_char; 65];
        // SAFETY: both buffers are 65 bytes.
        unsafe {
            assert_eq!(gethostname(ours.as_mut_ptr(), 65), 0);
            assert_eq!(libc::gethostname(host.as_mut_ptr(), 65), 0);
        }
        assert_eq!(ours, host);
        let mut small = [0 as c_char; 1];
        // SAFETY: the buffer is 1 byte.
        assert_eq!(unsafe { gethostname(small.as_mut_ptr(), 1) }, -1);
        assert_eq!(vibix_abi::errno::errno(), libc::ENAMETOOLONG);
    }
}
