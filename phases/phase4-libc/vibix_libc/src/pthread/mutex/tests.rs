//! (internal) Host tests of the mutexes: layout against glibc's, each
//! kind's errors as glibc reports them, exclusion under contention (std
//! threads; the futex calls are the host kernel's).

use super::*;
use core::cell::UnsafeCell;
use core::mem::{offset_of, size_of, zeroed};
use std::sync::Arc;
use std::vec::Vec;

#[test]
fn layout_is_glibcs() {
    assert_eq!(
        size_of::<pthread_mutex_t>(),
        size_of::<libc::pthread_mutex_t>()
    );
    assert_eq!(
        align_of::<pthread_mutex_t>(),
        align_of::<libc::pthread_mutex_t>()
    );
    assert_eq!(
        size_of::<pthread_mutexattr_t>(),
        size_of::<libc::pthread_mutexattr_t>()
    );
    assert_eq!(offset_of!(pthread_mutex_t, __kind), 16);
    // glibc's static initializers.
    // SAFETY: plain data.
    let r: [u8; 40] = unsafe { core::mem::transmute(libc::PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP) };
    assert_eq!(r[16], PTHREAD_MUTEX_RECURSIVE as u8);
    // SAFETY: plain data.
    let n: [u8; 40] = unsafe { core::mem::transmute(libc::PTHREAD_MUTEX_INITIALIZER) };
    assert_eq!(n, [0; 40]);
    assert_eq!(PTHREAD_MUTEX_RECURSIVE, libc::PTHREAD_MUTEX_RECURSIVE);
    assert_eq!(PTHREAD_MUTEX_ERRORCHECK, libc::PTHREAD_MUTEX_ERRORCHECK);
}

fn new(kind: c_int) -> pthread_mutex_t {
    // SAFETY: an all-zero mutex is `PTHREAD_MUTEX_INITIALIZER`.
    let mut m: pthread_mutex_t = unsafe { zeroed() };
    m.__kind = kind;
    m
}

/// The same calls on glibc's mutex of the same kind give the same answers.
#[cfg(not(miri))]
fn host_answers(kind: c_int) -> Vec<c_int> {
    // SAFETY: glibc's calls on its own initialized mutex.
    unsafe {
        let mut attr: libc::pthread_mutexattr_t = zeroed();
        libc::pthread_mutexattr_init(&mut attr);
        libc::pthread_mutexattr_settype(&mut attr, kind);
        let mut m: libc::pthread_mutex_t = zeroed();
        libc::pthread_mutex_init(&mut m, &attr);
        let mut v = Vec::new();
        v.push(libc::pthread_mutex_lock(&mut m));
        if kind != PTHREAD_MUTEX_NORMAL {
            v.push(libc::pthread_mutex_lock(&mut m));
        }
        v.push(libc::pthread_mutex_trylock(&mut m));
        v.push(libc::pthread_mutex_destroy(&mut m));
        let mp = &raw mut m as usize;
        let other = std::thread::spawn(move || {
            let m = mp as *mut libc::pthread_mutex_t;
            (
                libc::pthread_mutex_trylock(m),
                if kind != PTHREAD_MUTEX_NORMAL {
                    libc::pthread_mutex_unlock(m)
                } else {
                    0
                },
            )
        })
        .join()
        .unwrap();
        v.push(other.0);
        v.push(other.1);
        while libc::pthread_mutex_unlock(&mut m) == 0 {
            if kind == PTHREAD_MUTEX_NORMAL {
                break;
            }
        }
        if kind != PTHREAD_MUTEX_NORMAL {
            v.push(libc::pthread_mutex_unlock(&mut m));
        }
        v.push(libc::pthread_mutex_destroy(&mut m));
        v
    }
}

fn our_answers(kind: c_int) -> Vec<c_int> {
    let mut m = new(kind);
    // SAFETY: our calls on an initialized mutex.
    unsafe {
        let mut v = Vec::new();
        v.push(pthread_mutex_lock(&mut m));
        if kind != PTHREAD_MUTEX_NORMAL {
            v.push(pthread_mutex_lock(&mut m));
        }
        v.push(pthread_mutex_trylock(&mut m));
        v.push(pthread_mutex_destroy(&mut m));
        let mp = &raw mut m as usize;
        let other = std::thread::spawn(move || {
            let m = mp as *mut pthread_mutex_t;
            (
                pthread_mutex_trylock(m),
                if kind != PTHREAD_MUTEX_NORMAL {
                    pthread_mutex_unlock(m)
                } else {
                    0
                },
            )
        })
        .join()
        .unwrap();
        v.push(other.0);
        v.push(other.1);
        while pthread_mutex_unlock(&mut m) == 0 {
            if kind == PTHREAD_MUTEX_NORMAL {
                break;
            }
        }
        if kind != PTHREAD_MUTEX_NORMAL {
            v.push(pthread_mutex_unlock(&mut m));
        }
        v.push(pthread_mutex_destroy(&mut m));
        v
    }
}

#[test]
#[cfg_attr(miri, ignore = "the host's C library")]
fn kinds_answer_like_glibc() {
    #[cfg(not(miri))]
    for kind in [
        PTHREAD_MUTEX_NORMAL,
        PTHREAD_MUTEX_RECURSIVE,
        PTHREAD_MUTEX_ERRORCHECK,
    ] {
        assert_eq!(our_answers(kind), host_answers(kind), "kind {kind}");
    }
}

#[test]
fn attributes() {
    // SAFETY: valid pointers.
    unsafe {
        let mut a = pthread_mutexattr_t { __kind: 7 };
        assert_eq!(pthread_mutexattr_init(&mut a), 0);
        let mut k = -1;
        pthread_mutexattr_gettype(&a, &mut k);
        assert_eq!(k, PTHREAD_MUTEX_DEFAULT);
        assert_eq!(pthread_mutexattr_settype(&mut a, 9), Errno::EINVAL.raw());
        assert_eq!(
            pthread_mutexattr_settype(&mut a, PTHREAD_MUTEX_ERRORCHECK),
            0
        );
        let mut m = new(0);
        pthread_mutex_init(&mut m, &a);
        assert_eq!(m.__kind, PTHREAD_MUTEX_ERRORCHECK);
        assert_eq!(pthread_mutex_unlock(&mut m), Errno::EPERM.raw());
        assert_eq!(
            pthread_mutexattr_setpshared(&mut a, PTHREAD_PROCESS_PRIVATE),
            0
        );
        assert_eq!(pthread_mutexattr_destroy(&mut a), 0);
    }
}

struct Shared {
    m: UnsafeCell<pthread_mutex_t>,
    counter: UnsafeCell<u64>,
}
// SAFETY: `counter` is only touched with the mutex held.
unsafe impl Sync for Shared {}
// SAFETY: as above.
unsafe impl Send for Shared {}

#[test]
#[cfg_attr(miri, ignore = "futex system calls")]
fn excludes_under_contention() {
    for kind in [
        PTHREAD_MUTEX_NORMAL,
        PTHREAD_MUTEX_RECURSIVE,
        PTHREAD_MUTEX_ERRORCHECK,
    ] {
        let s = Arc::new(Shared {
            m: UnsafeCell::new(new(kind)),
            counter: UnsafeCell::new(0),
        });
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let s = Arc::clone(&s);
                std::thread::spawn(move || {
                    for i in 0..20_000 {
                        // SAFETY: the mutex guards the counter.
                        unsafe {
                            if i % 3 == 0 {
                                while pthread_mutex_trylock(s.m.get()) != 0 {}
                            } else {
                                assert_eq!(pthread_mutex_lock(s.m.get()), 0);
                            }
                            *s.counter.get() += 1;
                            assert_eq!(pthread_mutex_unlock(s.m.get()), 0);
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        // SAFETY: every thread is done.
        assert_eq!(unsafe { *s.counter.get() }, 80_000);
    }
}

#[test]
#[cfg_attr(miri, ignore = "futex system calls")]
fn timed_locks_time_out() {
    let mut m = new(PTHREAD_MUTEX_NORMAL);
    // SAFETY: valid pointers.
    unsafe {
        assert_eq!(pthread_mutex_lock(&mut m), 0);
        let mut t = crate::time::clock::read_clock(CLOCK_REALTIME).unwrap();
        t.tv_nsec = (t.tv_nsec + 20_000_000) % 1_000_000_000;
        if t.tv_nsec < 20_000_000 {
            t.tv_sec += 1;
        }
        let mp = &raw mut m as usize;
        let r = std::thread::spawn(move || pthread_mutex_timedlock(mp as *mut _, &t))
            .join()
            .unwrap();
        assert_eq!(r, Errno::ETIMEDOUT.raw());
        let bad = Timespec {
            tv_sec: 0,
            tv_nsec: -1,
        };
        let r = std::thread::spawn(move || pthread_mutex_timedlock(mp as *mut _, &bad))
            .join()
            .unwrap();
        assert_eq!(r, Errno::EINVAL.raw());
        assert_eq!(pthread_mutex_unlock(&mut m), 0);
        assert_eq!(pthread_mutex_timedlock(&mut m, &bad), 0, "free: no check");
        assert_eq!(pthread_mutex_unlock(&mut m), 0);
    }
}
