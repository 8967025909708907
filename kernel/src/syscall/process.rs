//! Process syscalls: fork, execve, exit (of a thread), exit_group, wait4, getpid,
//! arch_prctl (the TLS pointer).

use crate::arch::trap::TrapFrame;
use crate::proc::with_current;
use crate::uaccess;
use alloc::vec::Vec;
use kcore::errno::{Errno, KResult};
use kcore::layout::USER_END;

const ARCH_SET_FS: u64 = vibix_uapi::prctl::ARCH_SET_FS as u64;
const ARCH_GET_FS: u64 = vibix_uapi::prctl::ARCH_GET_FS as u64;

/// `exit`: ends the calling thread only (the process ends with its last
/// thread, see `proc::exit`).
pub fn exit(f: &mut TrapFrame) -> KResult<u64> {
    crate::proc::exit::exit_thread(vibix_uapi::wait::exited(f.arg(0) as u8))
}

pub fn arch_prctl(f: &mut TrapFrame) -> KResult<u64> {
    let (code, addr) = (f.arg(0), f.arg(1));
    match code {
        ARCH_SET_FS => {
            if addr >= USER_END {
                return Err(Errno::EPERM);
            }
            crate::proc::with_current_task(|t, _| t.fs_base = addr);
            crate::arch::cpu::set_fs_base(addr);
            Ok(0)
        }
        ARCH_GET_FS => crate::proc::with_current_task(|t, p| {
            let fs_base = t.fs_base;
            uaccess::copy_to_user(p.mm(), addr, &fs_base.to_le_bytes())
        })
        .map(|()| 0),
        _ => Err(Errno::EINVAL),
    }
}

/// `exit_group`: ends every thread of the process.
pub fn exit_group(f: &mut TrapFrame) -> KResult<u64> {
    crate::proc::exit_current(vibix_uapi::wait::exited(f.arg(0) as u8))
}

pub fn getpid(_: &mut TrapFrame) -> KResult<u64> {
    Ok(u64::from(crate::proc::current_pid()))
}

pub fn fork(f: &mut TrapFrame) -> KResult<u64> {
    crate::proc::fork::fork(f).map(u64::from)
}

/// The most argv or envp entries `execve` accepts.
const MAX_ARGS: usize = 4096;

/// Reads a NULL-terminated array of string pointers (argv or envp).
fn read_string_array(addr: u64) -> KResult<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    if addr == 0 {
        return Ok(out); // Linux accepts NULL as an empty array
    }
    let mut total = 0;
    for i in 0..MAX_ARGS as u64 {
        let mut ptr = [0u8; 8];
        let at = addr.checked_add(i * 8).ok_or(Errno::EFAULT)?;
        with_current(|p| uaccess::copy_from_user(p.mm(), &mut ptr, at))?;
        let ptr = u64::from_le_bytes(ptr);
        if ptr == 0 {
            return Ok(out);
        }
        let s = with_current(|p| uaccess::read_cstr(p.mm(), ptr, kcore::stack::ARG_MAX)).map_err(
            |e| {
                if e == Errno::ENAMETOOLONG {
                    Errno::E2BIG
                } else {
                    e
                }
            },
        )?;
        total += s.len() + 1;
        if total > kcore::stack::ARG_MAX {
            return Err(Errno::E2BIG);
        }
        out.push(s);
    }
    Err(Errno::E2BIG)
}

pub fn execve(f: &mut TrapFrame) -> KResult<u64> {
    let path = with_current(|p| uaccess::read_cstr(p.mm(), f.arg(0), kcore::path::PATH_MAX - 1))?;
    let argv = read_string_array(f.arg(1))?;
    let envp = read_string_array(f.arg(2))?;
    let argv: Vec<&[u8]> = argv.iter().map(Vec::as_slice).collect();
    let envp: Vec<&[u8]> = envp.iter().map(Vec::as_slice).collect();
    crate::proc::exec::execve(f, &path, &argv, &envp)?;
    Ok(0)
}

/// `wait4(pid, *wstatus, options, *rusage)`; resource usage is reported as
/// all zeros.
pub fn wait4(f: &mut TrapFrame) -> KResult<u64> {
    let (want, status_ptr, options, rusage_ptr) = (f.arg(0) as i32, f.arg(1), f.arg(2), f.arg(3));
    const KNOWN: u64 = crate::proc::exit::WNOHANG | 2 /* WUNTRACED */ | 8 /* WCONTINUED */ | 0x4000_0000 /* __WALL */;
    if options & !KNOWN != 0 {
        return Err(Errno::EINVAL);
    }
    let Some((pid, status)) = crate::proc::exit::wait_child(i64::from(want), options)? else {
        return Ok(0);
    };
    if status_ptr != 0 {
        with_current(|p| uaccess::copy_to_user(p.mm(), status_ptr, &status.to_le_bytes()))?;
    }
    if rusage_ptr != 0 {
        with_current(|p| {
            uaccess::copy_to_user(
                p.mm(),
                rusage_ptr,
                &[0u8; size_of::<vibix_uapi::wait::Rusage>()],
            )
        })?;
    }
    Ok(u64::from(pid))
}
