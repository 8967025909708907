//! `poll(fds, nfds, timeout_ms)`: waits until one of the descriptors is
//! ready, the timeout (rounded up to timer ticks) passes, or a signal comes.

use crate::arch::trap::TrapFrame;
use crate::proc::with_current;
use crate::uaccess;
use alloc::vec;
use kcore::errno::{Errno, KResult};

pub const POLLNVAL: i16 = vibix_uapi::poll::POLLNVAL;
const MAX_FDS: u64 = 1024;
const MS_PER_TICK: u64 = 1000 / crate::arch::pit::HZ as u64;

pub fn poll(f: &mut TrapFrame) -> KResult<u64> {
    let (fds_ptr, nfds, timeout_ms) = (f.arg(0), f.arg(1), f.arg(2) as i32);
    if nfds > MAX_FDS {
        return Err(Errno::EINVAL);
    }
    // struct pollfd { int fd; short events; short revents; }
    let mut raw = vec![0u8; nfds as usize * 8];
    with_current(|p| uaccess::copy_from_user(p.mm(), &mut raw, fds_ptr))?;
    let deadline = u64::try_from(timeout_ms)
        .ok()
        .map(|ms| crate::arch::pit::ticks() + ms.div_ceil(MS_PER_TICK));
    loop {
        let mut ready = 0u64;
        for entry in raw.chunks_exact_mut(8) {
            let fd = i32::from_le_bytes(entry[..4].try_into().expect("4 bytes"));
            let events = i16::from_le_bytes(entry[4..6].try_into().expect("2 bytes"));
            let revents = if fd < 0 {
                0
            } else {
                match with_current(|p| p.files.get(fd)) {
                    Ok(file) => file.poll() & (events | crate::fs::file::POLL_ALWAYS),
                    Err(_) => POLLNVAL,
                }
            };
            entry[6..8].copy_from_slice(&revents.to_le_bytes());
            ready += u64::from(revents != 0);
        }
        let expired = deadline.is_some_and(|d| crate::arch::pit::ticks() >= d);
        if ready > 0 || expired {
            with_current(|p| uaccess::copy_to_user(p.mm(), fds_ptr, &raw))?;
            return Ok(ready);
        }
        if let Some(d) = deadline {
            crate::proc::timer::wake_at(d, crate::proc::current_tid());
        }
        crate::fs::file::POLL_WAIT.sleep()?;
    }
}
