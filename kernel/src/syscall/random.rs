//! Random syscalls: getrandom, from the kernel's generator (`crate::random`).

use crate::arch::trap::TrapFrame;
use crate::proc::with_current;
use crate::uaccess;
use alloc::vec;
use kcore::errno::{Errno, KResult};
use vibix_uapi::random::{GRND_INSECURE, GRND_NONBLOCK, GRND_RANDOM};

/// Blocking `getrandom` callers waiting for the generator to be ready
/// (each is also woken by the timer, one tick later, to try again).
static ENTROPY_WAIT: crate::proc::waitq::WaitQueue = crate::proc::waitq::WaitQueue::new();

const NONBLOCK: u64 = GRND_NONBLOCK as u64;
const RANDOM: u64 = GRND_RANDOM as u64;
const INSECURE: u64 = GRND_INSECURE as u64;
/// Linux returns at most this much per call.
const GETRANDOM_MAX: usize = 32 * 1024 * 1024;

/// `getrandom(buf, len, flags)` (findings S-A1' and U-A3).
pub fn getrandom(f: &mut TrapFrame) -> KResult<u64> {
    let (buf, len, flags) = (f.arg(0), f.arg(1) as usize, f.arg(2));
    if flags & !(NONBLOCK | RANDOM | INSECURE) != 0
        || flags & (RANDOM | INSECURE) == (RANDOM | INSECURE)
    {
        return Err(Errno::EINVAL);
    }
    let len = len.min(GETRANDOM_MAX);
    kcore::uaccess::check_user_range(buf, len as u64)?;
    let mut bytes = vec![0u8; len.min(64 * 1024)];
    let mut done = 0;
    while done < len {
        let n = (len - done).min(bytes.len());
        while !crate::random::fill(&mut bytes[..n]) {
            if flags & NONBLOCK != 0 {
                return Err(Errno::EAGAIN);
            }
            // Not ready: sleep until the next timer tick (other processes
            // run meanwhile) and try again; a signal ends the wait (EINTR).
            crate::proc::timer::wake_at(crate::arch::pit::ticks() + 1, crate::proc::current_tid());
            ENTROPY_WAIT.sleep()?;
        }
        let at = buf + done as u64;
        // Like Linux, a buffer that runs into a page the process may not
        // write gets the bytes before that page and a short count (EFAULT
        // only if not even the first byte could be written).
        let copied = with_current(|p| uaccess::copy_to_user_prefix(p.mm(), at, &bytes[..n]));
        done += copied;
        if copied < n {
            return if done > 0 {
                Ok(done as u64)
            } else {
                Err(Errno::EFAULT)
            };
        }
    }
    Ok(done as u64)
}
