//! Futexes: where threads wait for a word of user memory to change. The
//! waiters are spread over hashed buckets (`kcore::futex`), each with its
//! own lock, so unrelated futexes do not contend. A futex is named by its
//! process and address (`Key`): private and shared futexes alike are
//! per-process (a futex in `MAP_SHARED` memory does not reach another
//! process yet).
//!
//! A waiter holds no reference to the page the word is on: once queued it
//! never touches the word again. So if the page is unmapped under it, it
//! just waits on (until a wake on that address, a signal or its timeout),
//! and nothing in the kernel can fault or corrupt (finding S-A2).

use super::{Pid, Tid, current_pid, current_tid, sched, with_current};
use kcore::errno::{Errno, KResult};
use kcore::futex::{BUCKETS, Key, Queue, Waiter, bucket};
use spin::Mutex;

static QUEUES: [Mutex<Queue<Tid>>; BUCKETS] = [const { Mutex::new(Queue::new()) }; BUCKETS];

/// Whether any bucket is locked (the scheduler's lock check).
pub fn any_bucket_locked() -> bool {
    QUEUES.iter().any(Mutex::is_locked)
}

fn key(pid: Pid, uaddr: u64, private: bool) -> Key {
    Key {
        space: u64::from(pid),
        addr: uaddr,
        private,
    }
}

fn queue(key: Key) -> spin::MutexGuard<'static, Queue<Tid>> {
    super::lockcheck::assert_table_free_for_bucket();
    QUEUES[bucket(key)].lock()
}

const NS_PER_TICK: u64 = 1_000_000_000 / crate::arch::pit::HZ as u64;

// ANCHOR: wait
/// `FUTEX_WAIT`: if the word at `uaddr` holds `val`, sleeps until a wake
/// whose bitset meets `bitset` (`Ok`), the monotonic clock reaches
/// `deadline` (`ETIMEDOUT`) or a signal (`EINTR`). Else `EAGAIN` at once.
///
/// No wake-up is lost (finding O-B2): the word is read and the waiter
/// queued with the bucket locked, and a waker takes that same lock to find
/// waiters. So a wake either comes before the read (which then sees the
/// new value: `EAGAIN`) or after the waiter is queued (and finds it). A
/// wake between the unlock and the sleep only marks the task runnable:
/// `block_current` then returns at once.
pub fn wait(
    uaddr: u64,
    private: bool,
    val: u32,
    bitset: u32,
    deadline: Option<u64>,
) -> KResult<u64> {
    let (tid, key) = (current_tid(), key(current_pid(), uaddr, private));
    {
        let mut q = queue(key);
        let mut word = [0u8; 4];
        with_current(|p| crate::uaccess::copy_from_user(p.mm(), &mut word, uaddr))?;
        if u32::from_le_bytes(word) != val {
            return Err(Errno::EAGAIN);
        }
        q.push(Waiter {
            who: tid,
            key,
            bitset,
        });
    }
    let result = loop {
        if !queue(key).contains(tid) {
            break Ok(0); // a wake took us off the queue
        }
        let error = if deadline.is_some_and(|d| crate::time::monotonic_ns() >= d) {
            Some(Errno::ETIMEDOUT)
        } else if super::signal::current_interrupted() {
            Some(Errno::EINTR)
        } else {
            None
        };
        if let Some(e) = error {
            // Not queued any more: a wake came first, and counts.
            break if queue(key).remove(tid) {
                Err(e)
            } else {
                Ok(0)
            };
        }
        if let Some(d) = deadline {
            // Asked again before every sleep: the timer's wake-up may come
            // before the clock reaches the deadline (the timer and the clock
            // are different counters), and it is used up then.
            super::timer::cancel(tid);
            let left = d.saturating_sub(crate::time::monotonic_ns());
            // One tick more than the time left: the current tick is partly gone.
            let ticks = left.div_ceil(NS_PER_TICK).saturating_add(1);
            super::timer::wake_at(crate::arch::pit::ticks().saturating_add(ticks), tid);
        }
        sched::block_current();
    };
    if deadline.is_some() {
        super::timer::cancel(tid);
    }
    result
}
// ANCHOR_END: wait

// ANCHOR: wake
/// `FUTEX_WAKE`: wakes up to `n` waiters on `uaddr` of process `pid` (that
/// waited private or not, as `private` says) whose bitset meets `bitset`,
/// oldest first; returns how many.
pub fn wake(pid: Pid, uaddr: u64, private: bool, n: usize, bitset: u32) -> usize {
    let key = key(pid, uaddr, private);
    // The wake-up list is a leaf lock: taking it under the bucket is fine.
    queue(key).wake_each(key, bitset, n, sched::wake)
}
// ANCHOR_END: wake
