//! Memory syscalls: mmap (anonymous, private or shared, and private
//! mappings of files, from the page cache), munmap, mprotect, brk. vibix
//! keeps W^X: a mapping is never writable and executable at once (finding
//! S-A5), so PROT_WRITE|PROT_EXEC is refused with EINVAL.

use crate::arch::trap::TrapFrame;
use crate::fs::file::Target;
use crate::mm::aspace::Access;
use crate::mm::page_cache;
use crate::proc::with_current;
use kcore::errno::{Errno, KResult};
use kcore::layout::{PAGE_SIZE, USER_END, USER_MIN, USER_MMAP_TOP, page_ceil};
use kcore::vma::{PROT_EXEC, PROT_READ, PROT_WRITE};

const MAP_SHARED: u64 = vibix_uapi::mman::MAP_SHARED as u64;
const MAP_PRIVATE: u64 = vibix_uapi::mman::MAP_PRIVATE as u64;
const MAP_SHARED_VALIDATE: u64 = 0x03;
const MAP_TYPE: u64 = 0x0f;
const MAP_FIXED: u64 = vibix_uapi::mman::MAP_FIXED as u64;
const MAP_ANONYMOUS: u64 = vibix_uapi::mman::MAP_ANONYMOUS as u64;
const MAP_POPULATE: u64 = vibix_uapi::mman::MAP_POPULATE as u64;
const MAP_FIXED_NOREPLACE: u64 = vibix_uapi::mman::MAP_FIXED_NOREPLACE as u64;

/// Checks a protection argument: known bits only, and never W+X.
fn check_prot(prot: u64) -> KResult<u32> {
    let prot = u32::try_from(prot).map_err(|_| Errno::EINVAL)?;
    if prot & !(PROT_READ | PROT_WRITE | PROT_EXEC) != 0 {
        return Err(Errno::EINVAL);
    }
    if prot & PROT_WRITE != 0 && prot & PROT_EXEC != 0 {
        return Err(Errno::EINVAL);
    }
    Ok(prot)
}

/// `[addr, addr + len)` with `len` rounded up to pages, inside user space.
fn user_range(addr: u64, len: u64) -> KResult<(u64, u64)> {
    if !addr.is_multiple_of(PAGE_SIZE) || len == 0 {
        return Err(Errno::EINVAL);
    }
    let len = page_ceil(len).ok_or(Errno::ENOMEM)?;
    match addr.checked_add(len) {
        Some(end) if end <= USER_END && addr >= USER_MIN => Ok((addr, len)),
        _ => Err(Errno::EINVAL),
    }
}

pub fn mmap(f: &mut TrapFrame) -> KResult<u64> {
    let (hint, len, prot, flags, offset) = (f.arg(0), f.arg(1), f.arg(2), f.arg(3), f.arg(5));
    let prot = check_prot(prot)?;
    if len == 0 || !offset.is_multiple_of(PAGE_SIZE) {
        return Err(Errno::EINVAL);
    }
    if !matches!(
        flags & MAP_TYPE,
        MAP_SHARED | MAP_PRIVATE | MAP_SHARED_VALIDATE
    ) {
        return Err(Errno::EINVAL);
    }
    // A private file mapping shows the file's pages from the page cache,
    // copy-on-write: the bytes the file holds now, and the process's own
    // writes. A shared one would have to stay coherent with the file,
    // which vibix does not do yet.
    let pages = if flags & MAP_ANONYMOUS == 0 {
        if flags & MAP_TYPE != MAP_PRIVATE {
            return Err(Errno::ENODEV);
        }
        Some(file_pages(f.arg(4) as i32, offset, len)?)
    } else {
        None
    };
    let len = page_ceil(len).ok_or(Errno::ENOMEM)?;
    with_current(|p| {
        let aspace = p.mm();
        let start = if flags & (MAP_FIXED | MAP_FIXED_NOREPLACE) != 0 {
            let (start, len) = user_range(hint, len)?;
            if flags & MAP_FIXED_NOREPLACE != 0 && !aspace.areas.is_free(start, start + len) {
                return Err(Errno::EEXIST);
            }
            aspace.unmap(start, len)?;
            start
        } else {
            match user_range(hint, len) {
                Ok((start, len)) if hint != 0 && aspace.areas.is_free(start, start + len) => start,
                _ => aspace
                    .areas
                    .find_free(len, USER_MIN, USER_MMAP_TOP)
                    .ok_or(Errno::ENOMEM)?,
            }
        };
        if flags & MAP_TYPE == MAP_PRIVATE {
            aspace.map_anonymous(start, len, prot)?;
        } else {
            aspace.map_shared(start, len, prot)?;
        }
        if let Some(pages) = pages {
            aspace.map_cached(start, pages)?;
        }
        if flags & MAP_POPULATE != 0 && prot != 0 {
            let access = if prot & PROT_WRITE != 0 {
                Access::Write
            } else {
                Access::Read
            };
            aspace.prepare(start, len, access)?;
        }
        Ok(start)
    })
}

/// The page cache's frames for the pages of the regular file open as `fd`
/// from `offset` (a multiple of the page size) on, for a mapping of `len`
/// bytes: none past the file's end, where the mapping reads zeros.
fn file_pages(fd: i32, offset: u64, len: u64) -> KResult<page_cache::Counted> {
    let file = with_current(|p| p.files.get(fd))?;
    let Target::Node(ino) = file.target else {
        return Err(Errno::ENODEV);
    };
    if !file.readable() {
        return Err(Errno::EACCES);
    }
    crate::fs::with_tree(|t| {
        let data = t.map_file(ino)?;
        let first = offset / PAGE_SIZE;
        let end = (data.len() as u64)
            .div_ceil(PAGE_SIZE)
            .min(first.saturating_add(len.div_ceil(PAGE_SIZE)));
        page_cache::frames(data, first..end.max(first))
    })
}

pub fn munmap(f: &mut TrapFrame) -> KResult<u64> {
    let (start, len) = user_range(f.arg(0), f.arg(1))?;
    with_current(|p| p.mm().unmap(start, len)).map(|()| 0)
}

pub fn mprotect(f: &mut TrapFrame) -> KResult<u64> {
    let prot = check_prot(f.arg(2))?;
    if f.arg(1) == 0 && f.arg(0).is_multiple_of(PAGE_SIZE) {
        return Ok(0);
    }
    let (start, len) = user_range(f.arg(0), f.arg(1))?;
    with_current(|p| p.mm().protect(start, len, prot)).map(|()| 0)
}

/// `brk(addr)`: moves the program break if it can and returns the break
/// (the old one when it cannot move, as the Linux syscall does).
pub fn brk(f: &mut TrapFrame) -> KResult<u64> {
    let want = f.arg(0);
    with_current(|p| {
        let a = p.mm();
        if want < a.brk_start || want >= USER_MMAP_TOP {
            return Ok(a.brk);
        }
        let (old_end, new_end) = (
            page_ceil(a.brk).unwrap_or(a.brk),
            page_ceil(want).unwrap_or(want),
        );
        if new_end > old_end {
            if !a.areas.is_free(old_end, new_end)
                || a.map_anonymous(old_end, new_end - old_end, PROT_READ | PROT_WRITE)
                    .is_err()
            {
                return Ok(a.brk);
            }
        } else if new_end < old_end {
            a.unmap(new_end, old_end - new_end)?;
        }
        a.brk = want;
        Ok(want)
    })
}
