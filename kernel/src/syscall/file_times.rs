//! `utimensat(dirfd, path, times, flags)`: sets a file's access and
//! modification times (the rules are `kcore::fs::times`'s). A NULL `path`
//! with a descriptor is `futimens`: the open file itself. A NULL `times`
//! means both now; each `tv_nsec` may be `UTIME_NOW` or `UTIME_OMIT`
//! instead of a time. The change time becomes now whenever something is
//! set. The checks come in Linux's order.

use super::fs::{AT_FDCWD, file, read_path, start_dir, start_for};
use crate::arch::trap::TrapFrame;
use crate::fs::file::Target;
use crate::fs::with_tree;
use crate::proc::with_current;
use crate::uaccess;
use kcore::errno::{Errno, KResult};
use kcore::fs::{Ino, TimeChange};
use vibix_uapi::fcntl::{AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW};
use vibix_uapi::stat::UTIME_OMIT;
use vibix_uapi::time::Timespec;

const NOFOLLOW: u32 = AT_SYMLINK_NOFOLLOW as u32;
const EMPTY_PATH: u32 = AT_EMPTY_PATH as u32;

/// Reads the two `struct timespec`s (access time, then modification time)
/// as (seconds, nanoseconds) pairs.
fn read_times(addr: u64) -> KResult<[(i64, i64); 2]> {
    const TIMESPEC: usize = core::mem::size_of::<Timespec>();
    let mut raw = [0u8; 2 * TIMESPEC];
    with_current(|p| uaccess::copy_from_user(p.mm(), &mut raw, addr))?;
    let word = |at: usize| i64::from_le_bytes(raw[at..at + 8].try_into().expect("8 bytes"));
    Ok([(word(0), word(8)), (word(TIMESPEC), word(TIMESPEC + 8))])
}

/// The node `fd` refers to; `None` for the console or a pipe, which have
/// times on Linux but none to keep here.
fn fd_node(fd: i32) -> KResult<Option<Ino>> {
    Ok(match file(fd)?.target {
        Target::Node(ino) => Some(ino),
        _ => None,
    })
}

/// The file `utimensat` works on.
fn target(dirfd: i32, path_ptr: u64, flags: u32) -> KResult<Option<Ino>> {
    if path_ptr == 0 && dirfd != AT_FDCWD {
        // futimens: the descriptor itself, and no flags.
        if flags != 0 {
            return Err(Errno::EINVAL);
        }
        return fd_node(dirfd);
    }
    if flags & !(NOFOLLOW | EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    // A NULL path with AT_FDCWD is a bad pointer, as on Linux.
    let path = read_path(path_ptr)?;
    if path.is_empty() && flags & EMPTY_PATH != 0 {
        return match dirfd {
            AT_FDCWD => start_dir(AT_FDCWD).map(Some),
            fd => fd_node(fd),
        };
    }
    let start = start_for(dirfd, &path)?;
    let follow = flags & NOFOLLOW == 0;
    with_tree(|t| t.lookup(start, &path, follow)).map(Some)
}

pub fn utimensat(f: &mut TrapFrame) -> KResult<u64> {
    let (dirfd, path_ptr, times_ptr, flags) =
        (f.arg(0) as i32, f.arg(1), f.arg(2), f.arg(3) as u32);
    let times = match times_ptr {
        0 => None,
        ptr => Some(read_times(ptr)?),
    };
    // Nothing to do: Linux does not even look at the path or the flags.
    if let Some([(_, UTIME_OMIT), (_, UTIME_OMIT)]) = times {
        return Ok(0);
    }
    let ino = target(dirfd, path_ptr, flags)?;
    let (atime, mtime) = match times {
        None => (TimeChange::Now, TimeChange::Now),
        Some([(a_sec, a_nsec), (m_sec, m_nsec)]) => (
            TimeChange::from_timespec(a_sec, a_nsec)?,
            TimeChange::from_timespec(m_sec, m_nsec)?,
        ),
    };
    if let Some(ino) = ino {
        with_tree(|t| t.set_times(ino, atime, mtime));
    }
    Ok(0)
}
