//! `<sys/sysinfo.h>`: `sysinfo` (`struct sysinfo`, `vibix_uapi`'s: uptime,
//! memory, process count) and glibc's `get_nprocs`, `get_nprocs_conf`,
//! `get_phys_pages`, `get_avphys_pages`.

pub use vibix_uapi::sysinfo::Sysinfo as sysinfo;
use vibix_uapi::{nr, syscall};

use crate::sysret::ret_int;
use crate::types::{c_int, c_long};
use crate::unistd::sysconf::{
    _SC_AVPHYS_PAGES, _SC_NPROCESSORS_CONF, _SC_NPROCESSORS_ONLN, _SC_PHYS_PAGES, sysconf,
};

/// Fills `*info` with the system's statistics.
///
/// # Safety
///
/// `info` must be writable for a `struct sysinfo`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn sysinfo(info: *mut sysinfo) -> c_int {
    // SAFETY: the kernel writes one `struct sysinfo` at `info`.
    ret_int(unsafe { syscall!(nr::SYSINFO, info) })
}

/// The CPUs this process may run on.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn get_nprocs() -> c_int {
    sysconf(_SC_NPROCESSORS_ONLN) as c_int
}

/// The CPUs configured (on vibix: those it may run on).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn get_nprocs_conf() -> c_int {
    sysconf(_SC_NPROCESSORS_CONF) as c_int
}

/// The pages of physical memory.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn get_phys_pages() -> c_long {
    sysconf(_SC_PHYS_PAGES)
}

/// The pages of physical memory not in use.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn get_avphys_pages() -> c_long {
    sysconf(_SC_AVPHYS_PAGES)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// glibc's functions the `libc` crate does not declare.
    mod host {
        use crate::types::{c_int, c_long};
        unsafe extern "C" {
            pub fn get_nprocs() -> c_int;
            pub fn get_phys_pages() -> c_long;
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
    fn as_the_host() {
        let mut ours = sysinfo::default();
        // SAFETY: `ours` is a writable `struct sysinfo`; the host's calls
        // have no preconditions.
        unsafe {
            assert_eq!(sysinfo(&raw mut ours), 0);
            // glibc counts the CPUs online; vibix's answer is the CPUs this
            // process may use, the same unless an affinity mask is set.
            let mut set: libc::cpu_set_t = core::mem::zeroed();
            assert_eq!(libc::sched_getaffinity(0, size_of_val(&set), &mut set), 0);
            assert_eq!(get_nprocs(), libc::CPU_COUNT(&set));
            assert_eq!(get_nprocs_conf(), get_nprocs());
            assert!(get_nprocs() <= host::get_nprocs());
            assert_eq!(get_phys_pages(), host::get_phys_pages());
            assert_eq!(sysinfo(core::ptr::null_mut()), -1);
        }
        assert_eq!(vibix_abi::errno::errno(), libc::EFAULT);
        assert!(ours.totalram > 0 && ours.mem_unit > 0);
        assert_eq!(size_of::<sysinfo>(), size_of::<libc::sysinfo>());
    }
}
