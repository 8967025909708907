//! The logic of `futex` that needs no hardware: decoding and checking the
//! operation, where a futex's waiters are queued (hashed buckets, so
//! unrelated futexes do not share a lock), which waiters a wake picks
//! (bitsets), and turning a timeout into a deadline. The kernel's
//! `proc/futex.rs` adds the locks, the user memory and the sleeping.

use crate::errno::{Errno, KResult};
use crate::layout::USER_END;
use alloc::vec::Vec;
use vibix_uapi::futex::*;

/// The operations vibix implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmd {
    Wait,
    Wake,
    WaitBitset,
    WakeBitset,
}

/// A decoded `op` argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Op {
    pub cmd: Cmd,
    /// `FUTEX_PRIVATE_FLAG`: the futex is not shared with other processes.
    pub private: bool,
    /// `FUTEX_CLOCK_REALTIME`: an absolute timeout is on `CLOCK_REALTIME`.
    pub realtime: bool,
}

impl Op {
    /// Whether the operation waits (and so reads a timeout).
    pub fn waits(self) -> bool {
        matches!(self.cmd, Cmd::Wait | Cmd::WaitBitset)
    }
}

// ANCHOR: decode
/// Decodes `op` as Linux does: an unknown operation, or
/// `FUTEX_CLOCK_REALTIME` on anything but `FUTEX_WAIT_BITSET` (plain
/// `FUTEX_WAIT`'s timeout is relative: no clock to choose), is `ENOSYS`.
/// (`FUTEX_REQUEUE`, `FUTEX_CMP_REQUEUE` and the PI operations are not
/// implemented: `ENOSYS` too.)
pub fn decode(op: u64) -> KResult<Op> {
    let op = u32::try_from(op).map_err(|_| Errno::ENOSYS)?;
    let flags = (FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME) as u32;
    let cmd = match (op & !flags) as i32 {
        FUTEX_WAIT => Cmd::Wait,
        FUTEX_WAKE => Cmd::Wake,
        FUTEX_WAIT_BITSET => Cmd::WaitBitset,
        FUTEX_WAKE_BITSET => Cmd::WakeBitset,
        _ => return Err(Errno::ENOSYS),
    };
    let op = Op {
        cmd,
        private: op & FUTEX_PRIVATE_FLAG as u32 != 0,
        realtime: op & FUTEX_CLOCK_REALTIME as u32 != 0,
    };
    if op.realtime && op.cmd != Cmd::WaitBitset {
        return Err(Errno::ENOSYS);
    }
    Ok(op)
}
// ANCHOR_END: decode

/// The bitset an operation uses: `val3` for the bitset forms (0 is
/// `EINVAL`: it could match nobody), every bit for the plain ones.
pub fn bitset(cmd: Cmd, val3: u64) -> KResult<u32> {
    match cmd {
        Cmd::Wait | Cmd::Wake => Ok(FUTEX_BITSET_MATCH_ANY),
        Cmd::WaitBitset | Cmd::WakeBitset => match val3 as u32 {
            0 => Err(Errno::EINVAL),
            bits => Ok(bits),
        },
    }
}

// ANCHOR: check_addr
/// Checks a futex address (finding S-A2): a 4-byte word, aligned (else
/// `EINVAL`), inside the user half (else `EFAULT`, as Linux answers and as
/// every bad pointer is, finding S-A4). Whether it is mapped is the
/// caller's to find out (`EFAULT`).
pub fn check_addr(uaddr: u64) -> KResult<()> {
    if !uaddr.is_multiple_of(4) {
        return Err(Errno::EINVAL);
    }
    if uaddr.checked_add(4).is_none_or(|end| end > USER_END) {
        return Err(Errno::EFAULT);
    }
    Ok(())
}
// ANCHOR_END: check_addr

const NS_PER_SEC: u64 = 1_000_000_000;

/// Turns a wait's timeout into a deadline on the monotonic clock (in
/// nanoseconds). `FUTEX_WAIT`'s timeout is relative; `FUTEX_WAIT_BITSET`'s
/// is a time of `CLOCK_MONOTONIC`, or of `CLOCK_REALTIME` with
/// `FUTEX_CLOCK_REALTIME`. A `timespec` with `tv_sec < 0` or `tv_nsec`
/// outside `0..10^9` is `EINVAL`. A deadline already past is returned as
/// is (the wait then times out at once, after the value check).
pub fn deadline(op: Op, sec: i64, nsec: i64, now_mono: u64, now_real: u64) -> KResult<u64> {
    if sec < 0 || !(0..NS_PER_SEC as i64).contains(&nsec) {
        return Err(Errno::EINVAL);
    }
    let t = (sec as u64)
        .saturating_mul(NS_PER_SEC)
        .saturating_add(nsec as u64);
    Ok(match op.cmd {
        Cmd::Wait => now_mono.saturating_add(t),
        _ if op.realtime => {
            if t >= now_real {
                now_mono.saturating_add(t - now_real)
            } else {
                now_mono.saturating_sub(now_real - t)
            }
        }
        _ => t,
    })
}

/// What identifies a futex: the address space it is in (its process),
/// its address there, and whether it was named private. As on Linux, a
/// private and a shared operation on the same word do not meet (Linux
/// keys a shared futex in private memory apart from a private one): the
/// `CLONE_CHILD_CLEARTID` wake is a shared one, so a `join` waits without
/// `FUTEX_PRIVATE_FLAG`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub space: u64,
    pub addr: u64,
    pub private: bool,
}

/// How many buckets the waiters are spread over.
pub const BUCKETS: usize = 64;

// ANCHOR: bucket
/// The bucket of `key`: a multiplicative (Fibonacci) hash of the word
/// index mixed with the space, so neighbouring words and equal addresses in
/// different processes land in different buckets.
pub fn bucket(key: Key) -> usize {
    let mixed =
        (key.addr >> 2) ^ key.space.wrapping_mul(0xff51_afd7_ed55_8ccd) ^ u64::from(key.private);
    (mixed.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - BUCKETS.trailing_zeros())) as usize
}
// ANCHOR_END: bucket

/// One waiting task.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waiter<T> {
    pub who: T,
    pub key: Key,
    pub bitset: u32,
}

/// The waiters of one bucket, oldest first (a wake takes the oldest
/// matching waiters, so nobody starves).
#[derive(Debug)]
pub struct Queue<T> {
    waiters: Vec<Waiter<T>>,
}

impl<T: Copy + PartialEq> Queue<T> {
    pub const fn new() -> Queue<T> {
        Queue {
            waiters: Vec::new(),
        }
    }

    pub fn push(&mut self, w: Waiter<T>) {
        self.waiters.push(w);
    }

    /// Takes up to `n` waiters on `key` whose bitset shares a bit with
    /// `bitset`, oldest first, and returns who they are.
    pub fn wake(&mut self, key: Key, bitset: u32, n: usize) -> Vec<T> {
        let mut woken = Vec::new();
        self.wake_each(key, bitset, n, |who| woken.push(who));
        woken
    }

    /// [`Queue::wake`] without a list: calls `woken` with each waiter
    /// taken off the queue, in the same order, and returns how many (the
    /// kernel's wake path, which would otherwise allocate the list).
    pub fn wake_each(
        &mut self,
        key: Key,
        bitset: u32,
        n: usize,
        mut woken: impl FnMut(T),
    ) -> usize {
        let mut count = 0;
        self.waiters.retain(|w| {
            let take = count < n && w.key == key && w.bitset & bitset != 0;
            if take {
                count += 1;
                woken(w.who);
            }
            !take
        });
        count
    }

    /// Removes `who` (a wait that ended by timeout or signal); returns
    /// false if it was not queued any more (a wake took it first).
    pub fn remove(&mut self, who: T) -> bool {
        let before = self.waiters.len();
        self.waiters.retain(|w| w.who != who);
        self.waiters.len() != before
    }

    /// Whether `who` is still queued.
    pub fn contains(&self, who: T) -> bool {
        self.waiters.iter().any(|w| w.who == who)
    }

    pub fn len(&self) -> usize {
        self.waiters.len()
    }

    pub fn is_empty(&self) -> bool {
        self.waiters.is_empty()
    }
}

impl<T: Copy + PartialEq> Default for Queue<T> {
    fn default() -> Self {
        Queue::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRIVATE: u64 = FUTEX_PRIVATE_FLAG as u64;
    const REALTIME: u64 = FUTEX_CLOCK_REALTIME as u64;

    #[test]
    fn decodes_the_operations_and_flags() {
        let op = |cmd, private, realtime| Op {
            cmd,
            private,
            realtime,
        };
        assert_eq!(decode(0), Ok(op(Cmd::Wait, false, false)));
        assert_eq!(decode(1 | PRIVATE), Ok(op(Cmd::Wake, true, false)));
        assert_eq!(
            decode(9 | PRIVATE | REALTIME),
            Ok(op(Cmd::WaitBitset, true, true))
        );
        assert_eq!(decode(10), Ok(op(Cmd::WakeBitset, false, false)));
        assert_eq!(decode(REALTIME), Err(Errno::ENOSYS));
        assert_eq!(decode(1 | REALTIME), Err(Errno::ENOSYS));
        assert_eq!(decode(10 | REALTIME), Err(Errno::ENOSYS));
        for unknown in [2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 127, 1 << 12, 1 << 40] {
            assert_eq!(decode(unknown), Err(Errno::ENOSYS), "{unknown}");
        }
    }

    #[test]
    fn bitsets() {
        assert_eq!(bitset(Cmd::Wait, 0), Ok(u32::MAX));
        assert_eq!(bitset(Cmd::Wake, 5), Ok(u32::MAX));
        assert_eq!(bitset(Cmd::WaitBitset, 0), Err(Errno::EINVAL));
        assert_eq!(bitset(Cmd::WakeBitset, 1 << 32), Err(Errno::EINVAL));
        assert_eq!(bitset(Cmd::WakeBitset, 6), Ok(6));
    }

    #[test]
    fn addresses() {
        assert_eq!(check_addr(0x1000), Ok(()));
        assert_eq!(check_addr(0), Ok(()), "NULL is aligned: EFAULT comes later");
        for bad in [1, 2, 3, 0x1001, 0x1006] {
            assert_eq!(check_addr(bad), Err(Errno::EINVAL));
        }
        assert_eq!(check_addr(USER_END - 4), Ok(()));
        assert_eq!(check_addr(USER_END), Err(Errno::EFAULT));
        assert_eq!(check_addr(0xffff_8000_0000_0000), Err(Errno::EFAULT));
        assert_eq!(check_addr(u64::MAX - 3), Err(Errno::EFAULT));
    }

    #[test]
    fn deadlines() {
        let wait = decode(0).unwrap();
        let mono = decode(9).unwrap();
        let real = decode(9 | REALTIME).unwrap();
        let s = NS_PER_SEC;
        assert_eq!(deadline(wait, 1, 5, 100, 7 * s), Ok(100 + s + 5));
        assert_eq!(deadline(mono, 1, 5, 100, 7 * s), Ok(s + 5));
        // Realtime 8 s when it is 7 s: one second from now.
        assert_eq!(deadline(real, 8, 0, 100, 7 * s), Ok(100 + s));
        // Already past: a deadline behind now.
        assert_eq!(deadline(real, 6, 0, 2 * s, 7 * s), Ok(s));
        assert_eq!(deadline(real, 0, 0, 5, 7 * s), Ok(0));
        for (sec, nsec) in [(-1, 0), (0, -1), (0, NS_PER_SEC as i64)] {
            assert_eq!(deadline(wait, sec, nsec, 0, 0), Err(Errno::EINVAL));
        }
        assert_eq!(deadline(wait, i64::MAX, 0, 1, 0), Ok(u64::MAX));
    }

    #[test]
    fn buckets_spread_neighbours_and_spaces() {
        let mut used = [0usize; BUCKETS];
        for i in 0..(BUCKETS as u64 * 16) {
            used[bucket(Key {
                space: 1,
                addr: 0x40_0000 + 4 * i,
                private: true,
            })] += 1;
        }
        // Consecutive words fill every bucket, none more than twice its share.
        assert!(used.iter().all(|&n| n > 0 && n <= 32), "{used:?}");
        let differ = (0..64u64)
            .filter(|&s| {
                bucket(Key {
                    space: s,
                    addr: 0x1000,
                    private: true,
                }) != bucket(Key {
                    space: s + 1,
                    addr: 0x1000,
                    private: true,
                })
            })
            .count();
        assert!(differ > 48, "{differ}");
    }

    #[test]
    fn wake_each_hands_over_what_wake_would_return() {
        let k = |addr| Key {
            space: 1,
            addr,
            private: true,
        };
        let mut q = Queue::new();
        for (who, addr) in [(1, 8), (2, 12), (3, 8), (4, 8)] {
            q.push(Waiter {
                who,
                key: k(addr),
                bitset: 1,
            });
        }
        let mut got = Vec::new();
        assert_eq!(q.wake_each(k(8), 1, 2, |who| got.push(who)), 2);
        assert_eq!(got, [1, 3], "the oldest two on that address, in order");
        assert!(q.contains(2) && q.contains(4) && !q.contains(1) && !q.contains(3));
        assert_eq!(q.wake_each(k(8), 2, 5, |_| panic!("no common bit")), 0);
        assert_eq!(
            q.len(),
            2,
            "a wake that takes nobody leaves the queue as it was"
        );
    }

    #[test]
    fn wake_takes_the_oldest_matching_waiters() {
        let k = |addr| Key {
            space: 1,
            addr,
            private: true,
        };
        let mut q = Queue::new();
        for (who, addr, bitset) in [(1, 8, 1), (2, 8, 2), (3, 12, 3), (4, 8, 3), (5, 8, 1)] {
            q.push(Waiter {
                who,
                key: k(addr),
                bitset,
            });
        }
        assert_eq!(q.wake(k(8), u32::MAX, 2), [1, 2]);
        assert_eq!(q.wake(k(8), 2, 5), [4], "only waiters with a common bit");
        assert_eq!(q.wake(k(16), u32::MAX, 5), [] as [i32; 0]);
        assert!(q.contains(3) && q.contains(5) && !q.contains(1));
        assert!(q.remove(5));
        assert!(!q.remove(5), "a second removal finds nothing");
        assert_eq!(q.wake(k(12), 1, 0), [] as [i32; 0], "n = 0 wakes nobody");
        assert_eq!(q.len(), 1);
        assert_eq!(q.wake(k(12), 1, 1), [3]);
        assert!(q.is_empty());
    }

    #[test]
    fn another_space_or_sharing_is_another_futex() {
        let key = |space, private| Key {
            space,
            addr: 8,
            private,
        };
        let mut q = Queue::new();
        q.push(Waiter {
            who: 1,
            key: key(1, false),
            bitset: u32::MAX,
        });
        assert!(q.wake(key(2, false), u32::MAX, 1).is_empty());
        assert!(
            q.wake(key(1, true), u32::MAX, 1).is_empty(),
            "private meets shared"
        );
        assert_eq!(q.wake(key(1, false), u32::MAX, 1), [1]);
    }
}
