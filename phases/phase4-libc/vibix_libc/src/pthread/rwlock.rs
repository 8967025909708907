//! `<pthread.h>`: read-write locks: `pthread_rwlock_*` (readers share,
//! a writer excludes everyone; readers are preferred, glibc's default) and
//! their attributes (`pthread_rwlockattr_*`).
//!
//! The state word counts readers, or is [`WRITER`]. Sleepers register in
//! a waiter count, read a sequence number, look at the state once more and
//! sleep only while the number is unchanged; whoever leaves the lock free
//! bumps the number and wakes them all if there are any, so none is
//! forgotten.
//!
//! ```c
//! #define PTHREAD_RWLOCK_INITIALIZER { 0 }
//! ```

use core::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

use vibix_abi::Errno;
use vibix_uapi::time::{CLOCK_REALTIME, Timespec};

use super::wait::{me, sleep, wake};
use crate::types::{c_int, c_uint, c_ulong};

/// The state of a write-locked lock.
const WRITER: u32 = u32::MAX;
/// The most readers at once.
const MAX_READERS: u32 = WRITER - 1;

/// A read-write lock: 56 bytes, glibc's size.
#[repr(C)]
pub struct pthread_rwlock_t {
    /// Readers, or `WRITER`.
    pub __state: c_uint,
    /// Threads asleep (or about to be) on `__seq`.
    pub __waiters: c_uint,
    /// Bumped whenever the lock becomes free.
    pub __seq: c_uint,
    __pad0: c_uint,
    /// The writer's owner id, or 0.
    pub __writer: c_ulong,
    __pad: [c_ulong; 4],
}

/// A read-write lock's attributes.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct pthread_rwlockattr_t {
    /// Reader or writer preference (readers only, here).
    pub __kind: c_int,
    /// Process-shared (private only, here).
    pub __pshared: c_int,
}

struct Parts<'a> {
    state: &'a AtomicU32,
    waiters: &'a AtomicU32,
    seq: &'a AtomicU32,
    writer: &'a AtomicUsize,
}

/// The parts of `*l`, as atomics.
///
/// # Safety
///
/// `l` must point to a live, initialized lock.
unsafe fn parts<'a>(l: *mut pthread_rwlock_t) -> Parts<'a> {
    // SAFETY: aligned words of a live lock, only ever accessed atomically.
    unsafe {
        Parts {
            state: AtomicU32::from_ptr(&raw mut (*l).__state),
            waiters: AtomicU32::from_ptr(&raw mut (*l).__waiters),
            seq: AtomicU32::from_ptr(&raw mut (*l).__seq),
            writer: AtomicUsize::from_ptr((&raw mut (*l).__writer).cast()),
        }
    }
}

/// One try: `Ok(true)` if taken, `Ok(false)` if it must wait, `Err` for
/// an error that waiting cannot cure.
fn try_take(p: &Parts<'_>, write: bool) -> Result<bool, c_int> {
    let s = p.state.load(Ordering::Relaxed);
    if s == WRITER && p.writer.load(Ordering::Relaxed) == me() {
        return Err(Errno::EDEADLK.raw());
    }
    if write {
        Ok(s == 0
            && p.state
                .compare_exchange(0, WRITER, Ordering::Acquire, Ordering::Relaxed)
                .is_ok())
    } else if s == MAX_READERS {
        Err(Errno::EAGAIN.raw())
    } else {
        Ok(s != WRITER
            && p.state
                .compare_exchange(s, s + 1, Ordering::Acquire, Ordering::Relaxed)
                .is_ok())
    }
}

/// Takes `*l` for reading or writing, until `abstime` if given.
///
/// # Safety
///
/// `l` must point to an initialized lock.
unsafe fn take(l: *mut pthread_rwlock_t, write: bool, abstime: Option<&Timespec>) -> c_int {
    // SAFETY: the caller's contract.
    let p = unsafe { parts(l) };
    loop {
        match try_take(&p, write) {
            Ok(true) => break,
            Ok(false) => {}
            Err(e) => return e,
        }
        p.waiters.fetch_add(1, Ordering::SeqCst);
        let seq = p.seq.load(Ordering::SeqCst);
        let s = p.state.load(Ordering::SeqCst);
        let busy = if write { s != 0 } else { s == WRITER };
        let r = if busy {
            sleep(p.seq, seq, abstime, CLOCK_REALTIME)
        } else {
            Ok(())
        };
        p.waiters.fetch_sub(1, Ordering::SeqCst);
        if let Err(e) = r {
            return e;
        }
    }
    if write {
        p.writer.store(me(), Ordering::Relaxed);
    }
    0
}

/// Initializes `*l` (attributes: NULL or any).
///
/// # Safety
///
/// `l` must point to writable memory not in use.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_rwlock_init(
    l: *mut pthread_rwlock_t,
    _attr: *const pthread_rwlockattr_t,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe {
        l.write(pthread_rwlock_t {
            __state: 0,
            __waiters: 0,
            __seq: 0,
            __pad0: 0,
            __writer: 0,
            __pad: [0; 4],
        })
    };
    0
}

/// Destroys `*l`: `EBUSY` if it is held.
///
/// # Safety
///
/// `l` must point to an initialized lock.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_rwlock_destroy(l: *mut pthread_rwlock_t) -> c_int {
    // SAFETY: the caller's contract.
    let p = unsafe { parts(l) };
    if p.state.load(Ordering::Relaxed) != 0 {
        return Errno::EBUSY.raw();
    }
    0
}

/// Takes `*l` for reading (`EDEADLK` if the caller writes it).
///
/// # Safety
///
/// `l` must point to an initialized lock.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_rwlock_rdlock(l: *mut pthread_rwlock_t) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { take(l, false, None) }
}

/// Takes `*l` for writing (`EDEADLK` if the caller writes it).
///
/// # Safety
///
/// `l` must point to an initialized lock.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_rwlock_wrlock(l: *mut pthread_rwlock_t) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { take(l, true, None) }
}

/// [`pthread_rwlock_rdlock`] until `*abstime` on `CLOCK_REALTIME`.
///
/// # Safety
///
/// `l` must point to an initialized lock, `abstime` to a `timespec`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_rwlock_timedrdlock(
    l: *mut pthread_rwlock_t,
    abstime: *const Timespec,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { take(l, false, Some(&*abstime)) }
}

/// [`pthread_rwlock_wrlock`] until `*abstime` on `CLOCK_REALTIME`.
///
/// # Safety
///
/// `l` must point to an initialized lock, `abstime` to a `timespec`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_rwlock_timedwrlock(
    l: *mut pthread_rwlock_t,
    abstime: *const Timespec,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { take(l, true, Some(&*abstime)) }
}

/// Takes `*l` for reading if that needs no waiting, else `EBUSY`.
///
/// # Safety
///
/// `l` must point to an initialized lock.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_rwlock_tryrdlock(l: *mut pthread_rwlock_t) -> c_int {
    // SAFETY: the caller's contract.
    let p = unsafe { parts(l) };
    loop {
        let s = p.state.load(Ordering::Relaxed);
        if s == WRITER {
            return Errno::EBUSY.raw();
        }
        if s == MAX_READERS {
            return Errno::EAGAIN.raw();
        }
        if p.state
            .compare_exchange(s, s + 1, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
        {
            return 0;
        }
    }
}

/// Takes `*l` for writing if that needs no waiting, else `EBUSY`.
///
/// # Safety
///
/// `l` must point to an initialized lock.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_rwlock_trywrlock(l: *mut pthread_rwlock_t) -> c_int {
    // SAFETY: the caller's contract.
    let p = unsafe { parts(l) };
    if p.state
        .compare_exchange(0, WRITER, Ordering::Acquire, Ordering::Relaxed)
        .is_err()
    {
        return Errno::EBUSY.raw();
    }
    p.writer.store(me(), Ordering::Relaxed);
    0
}

/// Gives up the caller's hold on `*l` (its write lock, or one read lock).
///
/// # Safety
///
/// `l` must point to an initialized lock the caller holds.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_rwlock_unlock(l: *mut pthread_rwlock_t) -> c_int {
    // SAFETY: the caller's contract.
    let p = unsafe { parts(l) };
    let s = p.state.load(Ordering::Relaxed);
    let free = if s == WRITER {
        p.writer.store(0, Ordering::Relaxed);
        p.state.store(0, Ordering::SeqCst);
        true
    } else if s == 0 {
        return Errno::EPERM.raw();
    } else {
        p.state.fetch_sub(1, Ordering::SeqCst) == 1
    };
    if free && p.waiters.load(Ordering::SeqCst) != 0 {
        p.seq.fetch_add(1, Ordering::SeqCst);
        wake(p.seq, i32::MAX as u32);
    }
    0
}

/// Default attributes.
///
/// # Safety
///
/// `attr` must point to writable attributes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_rwlockattr_init(attr: *mut pthread_rwlockattr_t) -> c_int {
    // SAFETY: the caller's contract.
    unsafe {
        attr.write(pthread_rwlockattr_t {
            __kind: 0,
            __pshared: 0,
        })
    };
    0
}

/// Destroys attributes (nothing to free).
///
/// # Safety
///
/// `attr` must point to initialized attributes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_rwlockattr_destroy(_attr: *mut pthread_rwlockattr_t) -> c_int {
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::cell::UnsafeCell;
    use core::mem::{size_of, zeroed};
    use std::sync::Arc;
    use std::vec::Vec;

    #[test]
    fn layout_is_glibcs() {
        assert_eq!(
            size_of::<pthread_rwlock_t>(),
            size_of::<libc::pthread_rwlock_t>()
        );
        assert_eq!(
            align_of::<pthread_rwlock_t>(),
            align_of::<libc::pthread_rwlock_t>()
        );
        assert_eq!(
            size_of::<pthread_rwlockattr_t>(),
            size_of::<libc::pthread_rwlockattr_t>()
        );
        // SAFETY: plain data.
        let z: [u8; 56] = unsafe { core::mem::transmute(libc::PTHREAD_RWLOCK_INITIALIZER) };
        assert_eq!(z, [0; 56]);
    }

    #[test]
    #[cfg_attr(miri, ignore = "the host's C library")]
    fn errors_like_glibc() {
        // SAFETY: valid pointers, initialized locks.
        unsafe {
            let mut ours: pthread_rwlock_t = zeroed();
            let mut host: libc::pthread_rwlock_t = zeroed();
            let o = [
                pthread_rwlock_rdlock(&mut ours),
                pthread_rwlock_rdlock(&mut ours),
                pthread_rwlock_trywrlock(&mut ours),
                pthread_rwlock_destroy(&mut ours),
                pthread_rwlock_unlock(&mut ours),
                pthread_rwlock_unlock(&mut ours),
                pthread_rwlock_wrlock(&mut ours),
                pthread_rwlock_wrlock(&mut ours),
                pthread_rwlock_rdlock(&mut ours),
                pthread_rwlock_tryrdlock(&mut ours),
                pthread_rwlock_trywrlock(&mut ours),
                pthread_rwlock_unlock(&mut ours),
                pthread_rwlock_tryrdlock(&mut ours),
                pthread_rwlock_unlock(&mut ours),
                pthread_rwlock_destroy(&mut ours),
            ];
            let h = [
                libc::pthread_rwlock_rdlock(&mut host),
                libc::pthread_rwlock_rdlock(&mut host),
                libc::pthread_rwlock_trywrlock(&mut host),
                libc::pthread_rwlock_destroy(&mut host),
                libc::pthread_rwlock_unlock(&mut host),
                libc::pthread_rwlock_unlock(&mut host),
                libc::pthread_rwlock_wrlock(&mut host),
                libc::pthread_rwlock_wrlock(&mut host),
                libc::pthread_rwlock_rdlock(&mut host),
                libc::pthread_rwlock_tryrdlock(&mut host),
                libc::pthread_rwlock_trywrlock(&mut host),
                libc::pthread_rwlock_unlock(&mut host),
                libc::pthread_rwlock_tryrdlock(&mut host),
                libc::pthread_rwlock_unlock(&mut host),
                libc::pthread_rwlock_destroy(&mut host),
            ];
            // glibc does not check `destroy` of a held lock (EBUSY here).
            let mut h = h;
            h[3] = Errno::EBUSY.raw();
            assert_eq!(o, h);
        }
    }

    struct Shared {
        l: UnsafeCell<pthread_rwlock_t>,
        a: UnsafeCell<u64>,
        b: UnsafeCell<u64>,
    }
    // SAFETY: `a` and `b` are read under a read lock, written under the
    // write lock.
    unsafe impl Sync for Shared {}
    // SAFETY: as above.
    unsafe impl Send for Shared {}

    #[test]
    #[cfg_attr(miri, ignore = "futex system calls")]
    fn writers_exclude_readers() {
        // SAFETY: a zeroed lock is the static initializer.
        let s = Arc::new(unsafe {
            Shared {
                l: UnsafeCell::new(zeroed()),
                a: UnsafeCell::new(0),
                b: UnsafeCell::new(0),
            }
        });
        let threads: Vec<_> = (0..4)
            .map(|i| {
                let s = Arc::clone(&s);
                std::thread::spawn(move || {
                    for _ in 0..10_000 {
                        // SAFETY: the lock guards `a` and `b`.
                        unsafe {
                            if i % 2 == 0 {
                                assert_eq!(pthread_rwlock_wrlock(s.l.get()), 0);
                                *s.a.get() += 1;
                                *s.b.get() += 1;
                            } else {
                                assert_eq!(pthread_rwlock_rdlock(s.l.get()), 0);
                                assert_eq!(*s.a.get(), *s.b.get());
                            }
                            assert_eq!(pthread_rwlock_unlock(s.l.get()), 0);
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        // SAFETY: every thread is done.
        assert_eq!(unsafe { *s.a.get() }, 20_000);
    }
}
