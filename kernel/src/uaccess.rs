//! Every access to user memory goes through here. A range is checked
//! (`kcore::uaccess`: inside the user half, no overflow), every page is
//! made present with the right permission (`AddressSpace::prepare`, which
//! fails with EFAULT rather than faulting), and only then copied. Syscalls
//! run with interrupts off on one CPU, so nothing can unmap the pages
//! between the check and the copy.

use crate::mm::aspace::{Access, AddressSpace};
use alloc::vec::Vec;
use kcore::errno::{Errno, KResult};

// ANCHOR: copy_from_user
/// Copies `dst.len()` bytes from user address `src`.
pub fn copy_from_user(aspace: &mut AddressSpace, dst: &mut [u8], src: u64) -> KResult<()> {
    aspace.prepare(src, dst.len() as u64, Access::Read)?;
    // SAFETY: `prepare` checked that every byte of the source range is a
    // present, user-readable page of the active address space.
    unsafe { core::ptr::copy_nonoverlapping(src as *const u8, dst.as_mut_ptr(), dst.len()) };
    Ok(())
}
// ANCHOR_END: copy_from_user

/// Copies `src` to user address `dst`.
pub fn copy_to_user(aspace: &mut AddressSpace, dst: u64, src: &[u8]) -> KResult<()> {
    aspace.prepare(dst, src.len() as u64, Access::Write)?;
    // SAFETY: `prepare` checked that every byte of the destination range is
    // a present, user-writable page of the active address space.
    unsafe { core::ptr::copy_nonoverlapping(src.as_ptr(), dst as *mut u8, src.len()) };
    Ok(())
}

/// Fills `len` bytes at user address `dst` with zeros (`read` of
/// `/dev/zero`).
pub fn zero_user(aspace: &mut AddressSpace, dst: u64, len: usize) -> KResult<()> {
    aspace.prepare(dst, len as u64, Access::Write)?;
    // SAFETY: `prepare` checked that every byte of the destination range is
    // a present, user-writable page of the active address space.
    unsafe { core::ptr::write_bytes(dst as *mut u8, 0, len) };
    Ok(())
}

/// Copies as much of `src` to user address `dst` as fits before the first
/// page the process may not write; returns how many bytes that was (all of
/// `src` if every page is writable). For calls that, like Linux's, report
/// a short count when a buffer runs into a bad page (`getrandom` is the
/// only one so far).
pub fn copy_to_user_prefix(aspace: &mut AddressSpace, dst: u64, src: &[u8]) -> usize {
    let mut done = 0;
    while done < src.len() {
        let at = dst.wrapping_add(done as u64);
        // Up to the end of the page `at` is on.
        let chunk = ((kcore::layout::PAGE_SIZE - at % kcore::layout::PAGE_SIZE) as usize)
            .min(src.len() - done);
        if copy_to_user(aspace, at, &src[done..done + chunk]).is_err() {
            break;
        }
        done += chunk;
    }
    done
}

/// Reads a NUL-terminated string of at most `max` bytes (without the NUL).
/// Too long gives ENAMETOOLONG, like a path.
pub fn read_cstr(aspace: &mut AddressSpace, addr: u64, max: usize) -> KResult<Vec<u8>> {
    let mut out = Vec::new();
    let mut at = addr;
    loop {
        // Read up to the end of the current page, then look for the NUL.
        let chunk = (kcore::layout::PAGE_SIZE - at % kcore::layout::PAGE_SIZE) as usize;
        let mut buf = [0u8; 4096];
        copy_from_user(aspace, &mut buf[..chunk], at)?;
        if let Some(nul) = buf[..chunk].iter().position(|&b| b == 0) {
            out.extend_from_slice(&buf[..nul]);
            return if out.len() > max {
                Err(Errno::ENAMETOOLONG)
            } else {
                Ok(out)
            };
        }
        out.extend_from_slice(&buf[..chunk]);
        if out.len() > max {
            return Err(Errno::ENAMETOOLONG);
        }
        at = at.checked_add(chunk as u64).ok_or(Errno::EFAULT)?;
    }
}

/// Copies into `dst` as much of user memory at `src` as the process may
/// read before the first bad page; returns how many bytes that was. For
/// calls that, like Linux's, report a short count when a buffer runs into
/// a bad page (`pwrite64`).
pub fn copy_from_user_prefix(aspace: &mut AddressSpace, dst: &mut [u8], src: u64) -> usize {
    let mut done = 0;
    while done < dst.len() {
        let at = src.wrapping_add(done as u64);
        // Up to the end of the page `at` is on.
        let chunk = ((kcore::layout::PAGE_SIZE - at % kcore::layout::PAGE_SIZE) as usize)
            .min(dst.len() - done);
        if copy_from_user(aspace, &mut dst[done..done + chunk], at).is_err() {
            break;
        }
        done += chunk;
    }
    done
}
