//! `<pthread.h>`: thread-specific data: `pthread_key_create`,
//! `pthread_key_delete`, `pthread_getspecific`, `pthread_setspecific`,
//! and the destructors run when a thread ends.
//!
//! A key is a slot of a global table holding a sequence number (odd while
//! the key exists: each create and delete bumps it) and the destructor.
//! Each thread's values sit in its own table, allocated at its first
//! `pthread_setspecific`, each value tagged with the slot's number when it
//! was set: a value set for a deleted key does not show through a new key
//! in the same slot.

use core::cell::Cell;
use core::ptr;
use core::sync::atomic::{AtomicPtr, AtomicU32, Ordering};

use vibix_abi::Errno;

use crate::types::{c_int, c_uint, c_void};

extern crate alloc;

/// A key: an index into the table of keys.
pub type pthread_key_t = c_uint;

/// How many keys may exist at once (glibc's number).
pub const PTHREAD_KEYS_MAX: c_int = 1024;
/// How many rounds of destructors a thread's end runs at most.
pub const PTHREAD_DESTRUCTOR_ITERATIONS: c_int = 4;

const KEYS: usize = PTHREAD_KEYS_MAX as usize;

/// Each key's sequence number: odd while it exists.
static SEQ: [AtomicU32; KEYS] = [const { AtomicU32::new(0) }; KEYS];
/// Each key's destructor (null for none).
static DTOR: [AtomicPtr<()>; KEYS] = [const { AtomicPtr::new(ptr::null_mut()) }; KEYS];

/// One value of a thread, and the key's number when it was set.
#[derive(Clone, Copy)]
struct Entry {
    seq: u32,
    value: *mut c_void,
}

/// The calling thread's values (`KEYS` entries), or null before its first
/// `pthread_setspecific`.
#[thread_local]
static VALUES: Cell<*mut Entry> = Cell::new(ptr::null_mut());

/// Makes a new key, with `destructor` to run at a thread's end on a
/// non-NULL value; `EAGAIN` if every key is taken.
///
/// # Safety
///
/// `key` must be writable; `destructor` NULL or a function.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_key_create(
    key: *mut pthread_key_t,
    destructor: Option<unsafe extern "C" fn(*mut c_void)>,
) -> c_int {
    for (i, seq) in SEQ.iter().enumerate() {
        let s = seq.load(Ordering::Relaxed);
        if s % 2 == 1 || s.wrapping_add(1) == 0 {
            continue;
        }
        if seq
            .compare_exchange(s, s + 1, Ordering::AcqRel, Ordering::Relaxed)
            .is_ok()
        {
            DTOR[i].store(
                destructor.map_or(ptr::null_mut(), |f| f as *const () as *mut ()),
                Ordering::Release,
            );
            // SAFETY: the caller's contract.
            unsafe { key.write(i as pthread_key_t) };
            return 0;
        }
    }
    Errno::EAGAIN.raw()
}

/// Deletes `key` (its values are forgotten; no destructor runs).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn pthread_key_delete(key: pthread_key_t) -> c_int {
    let Some(seq) = SEQ.get(key as usize) else {
        return Errno::EINVAL.raw();
    };
    let s = seq.load(Ordering::Relaxed);
    if s % 2 == 0
        || seq
            .compare_exchange(s, s.wrapping_add(1), Ordering::AcqRel, Ordering::Relaxed)
            .is_err()
    {
        return Errno::EINVAL.raw();
    }
    0
}

/// The calling thread's value for `key`, or NULL.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn pthread_getspecific(key: pthread_key_t) -> *mut c_void {
    let values = VALUES.get();
    let Some(seq) = SEQ.get(key as usize) else {
        return ptr::null_mut();
    };
    if values.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: the table has `KEYS` entries and is this thread's alone.
    let e = unsafe { *values.add(key as usize) };
    if e.seq == seq.load(Ordering::Acquire) {
        e.value
    } else {
        ptr::null_mut()
    }
}

/// Sets the calling thread's value for `key`; `EINVAL` for no such key.
///
/// # Safety
///
/// None beyond C's: `value` is kept, never dereferenced.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn pthread_setspecific(key: pthread_key_t, value: *const c_void) -> c_int {
    let Some(seq) = SEQ.get(key as usize) else {
        return Errno::EINVAL.raw();
    };
    let s = seq.load(Ordering::Acquire);
    if s % 2 == 0 {
        return Errno::EINVAL.raw();
    }
    let mut values = VALUES.get();
    if values.is_null() {
        let table = alloc::vec![
            Entry {
                seq: 0,
                value: ptr::null_mut()
            };
            KEYS
        ];
        values = alloc::boxed::Box::into_raw(table.into_boxed_slice()).cast::<Entry>();
        VALUES.set(values);
    }
    // SAFETY: the table has `KEYS` entries and is this thread's alone.
    unsafe {
        values.add(key as usize).write(Entry {
            seq: s,
            value: value.cast_mut(),
        })
    };
    0
}

/// At a thread's end: runs the destructors of its non-NULL values (each
/// value cleared first), in rounds while destructors set new values, at
/// most `PTHREAD_DESTRUCTOR_ITERATIONS`; then frees the thread's table.
pub(crate) fn run_destructors() {
    let values = VALUES.get();
    if values.is_null() {
        return;
    }
    for _ in 0..PTHREAD_DESTRUCTOR_ITERATIONS {
        let mut ran = false;
        for i in 0..KEYS {
            // SAFETY: the table has `KEYS` entries and is this thread's.
            let e = unsafe { &mut *values.add(i) };
            if e.value.is_null() || e.seq != SEQ[i].load(Ordering::Acquire) {
                continue;
            }
            let dtor = DTOR[i].load(Ordering::Acquire);
            if dtor.is_null() {
                continue;
            }
            let value = core::mem::replace(&mut e.value, ptr::null_mut());
            // SAFETY: a destructor given to `pthread_key_create`.
            let f =
                unsafe { core::mem::transmute::<*mut (), unsafe extern "C" fn(*mut c_void)>(dtor) };
            // SAFETY: C's contract: the destructor takes the value.
            unsafe { f(value) };
            ran = true;
        }
        if !ran {
            break;
        }
    }
    VALUES.set(ptr::null_mut());
    // SAFETY: made by `pthread_setspecific` from a boxed slice of `KEYS`
    // entries; nothing refers to it any more.
    drop(unsafe { alloc::boxed::Box::from_raw(ptr::slice_from_raw_parts_mut(values, KEYS)) });
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::sync::atomic::AtomicUsize;

    static DESTROYED: AtomicUsize = AtomicUsize::new(0);
    static AGAIN_KEY: AtomicU32 = AtomicU32::new(0);

    unsafe extern "C" fn count(v: *mut c_void) {
        DESTROYED.fetch_add(v as usize, Ordering::SeqCst);
    }

    /// Sets itself again a few times: rounds of destructors.
    unsafe extern "C" fn again(v: *mut c_void) {
        DESTROYED.fetch_add(1000, Ordering::SeqCst);
        let n = v as usize;
        if n < 10 {
            // SAFETY: a live key.
            unsafe {
                pthread_setspecific(AGAIN_KEY.load(Ordering::SeqCst), (n + 1) as *const c_void)
            };
        }
    }

    #[test]
    fn values_keys_and_destructors() {
        // One thread of its own, so its values and end are the test's.
        std::thread::spawn(|| {
            let mut k: pthread_key_t = 0;
            let mut k2: pthread_key_t = 0;
            // SAFETY: valid pointers and functions.
            unsafe {
                assert_eq!(pthread_key_create(&mut k, Some(count)), 0);
                assert_eq!(pthread_key_create(&mut k2, Some(again)), 0);
                AGAIN_KEY.store(k2, Ordering::SeqCst);
                assert_ne!(k, k2);
                assert!(pthread_getspecific(k).is_null());
                assert_eq!(pthread_setspecific(k, 5 as *const c_void), 0);
                assert_eq!(pthread_getspecific(k), 5 as *mut c_void);
                assert_eq!(pthread_setspecific(k2, ptr::without_provenance(1)), 0);
                assert_eq!(
                    pthread_setspecific(99_999, ptr::null()),
                    Errno::EINVAL.raw()
                );
                assert!(pthread_getspecific(99_999).is_null());

                // Deleted, and made again in the same slot: the old value
                // does not show.
                let mut k3: pthread_key_t = 0;
                assert_eq!(pthread_key_create(&mut k3, None), 0);
                assert_eq!(pthread_setspecific(k3, 7 as *const c_void), 0);
                assert_eq!(pthread_key_delete(k3), 0);
                assert_eq!(pthread_key_delete(k3), Errno::EINVAL.raw());
                assert_eq!(pthread_setspecific(k3, ptr::null()), Errno::EINVAL.raw());
                let mut k4: pthread_key_t = 0;
                assert_eq!(pthread_key_create(&mut k4, None), 0);
                assert!(pthread_getspecific(k4).is_null());
                assert_eq!(pthread_key_delete(k4), 0);

                // Another thread sees its own (none).
                let kk = k;
                let other = std::thread::spawn(move || pthread_getspecific(kk) as usize)
                    .join()
                    .unwrap();
                assert_eq!(other, 0);

                run_destructors();
                // `count` once with 5; `again` with 1, 2, 3, 4 (four rounds).
                assert_eq!(DESTROYED.load(Ordering::SeqCst), 5 + 4000);
                assert!(pthread_getspecific(k).is_null());
                assert_eq!(pthread_key_delete(k), 0);
                assert_eq!(pthread_key_delete(k2), 0);
            }
        })
        .join()
        .unwrap();
    }
}
