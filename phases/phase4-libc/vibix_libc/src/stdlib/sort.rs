//! `<stdlib.h>`: sorting and searching arrays: `qsort`, `bsearch`.
//!
//! `qsort` is a merge sort, stable as glibc's is (glibc sorts by merging
//! whenever it can get the memory), so elements that compare equal end up
//! in the same order as with glibc. Without memory for the merge buffer it
//! falls back to an in-place insertion sort (stable too, but quadratic).

use crate::string::memcpy;
use crate::types::{c_int, c_void, size_t};

/// The comparison function: negative, zero or positive (glibc's name).
pub type __compar_fn_t = Option<unsafe extern "C" fn(*const c_void, *const c_void) -> c_int>;

/// `qsort_r`'s comparison function, with the caller's extra argument
/// (GNU's order: the argument last).
pub type __compar_d_fn_t =
    Option<unsafe extern "C" fn(*const c_void, *const c_void, *mut c_void) -> c_int>;

/// How two elements compare: `qsort`'s function, or `qsort_r`'s with its
/// argument.
#[derive(Clone, Copy)]
enum Order {
    Plain(unsafe extern "C" fn(*const c_void, *const c_void) -> c_int),
    WithArg(
        unsafe extern "C" fn(*const c_void, *const c_void, *mut c_void) -> c_int,
        *mut c_void,
    ),
}

/// An array being sorted.
struct Sort {
    size: usize,
    cmp: Order,
}

impl Sort {
    /// Compares the elements at `a` and `b`.
    ///
    /// # Safety
    ///
    /// Both point to elements of the array.
    unsafe fn cmp(&self, a: *const u8, b: *const u8) -> c_int {
        // SAFETY: the caller's contract, and `qsort`'s on `cmp`.
        unsafe {
            match self.cmp {
                Order::Plain(f) => f(a.cast(), b.cast()),
                Order::WithArg(f, arg) => f(a.cast(), b.cast(), arg),
            }
        }
    }

    /// Sorts the `n` elements at `base`, using `tmp` (room for `n`
    /// elements) for merging.
    ///
    /// # Safety
    ///
    /// `base` holds `n` elements, `tmp` room for `n`, not overlapping.
    unsafe fn merge_sort(&self, base: *mut u8, n: usize, tmp: *mut u8) {
        if n <= 1 {
            return;
        }
        let n1 = n / 2;
        let size = self.size;
        // SAFETY: both halves and every element pointer below are inside
        // the caller's arrays.
        unsafe {
            let second = base.add(n1 * size);
            self.merge_sort(base, n1, tmp);
            self.merge_sort(second, n - n1, tmp);
            let (mut i, mut j, mut out) = (0, 0, tmp);
            while i < n1 && j < n - n1 {
                let a = base.add(i * size);
                let b = second.add(j * size);
                // Equal elements: the first half's first (stability).
                let from = if self.cmp(a, b) <= 0 {
                    i += 1;
                    a
                } else {
                    j += 1;
                    b
                };
                memcpy(out.cast(), from.cast(), size);
                out = out.add(size);
            }
            // What is left of the first half goes before the second half's
            // rest, which is already in place.
            memcpy(out.cast(), base.add(i * size).cast(), (n1 - i) * size);
            memcpy(base.cast(), tmp.cast(), (i + j + n1 - i) * size);
        }
    }

    /// Sorts in place by insertion (when no buffer could be had).
    ///
    /// # Safety
    ///
    /// `base` holds `n` elements.
    unsafe fn insertion_sort(&self, base: *mut u8, n: usize) {
        let size = self.size;
        for i in 1..n {
            let mut j = i;
            // SAFETY: `j` and `j - 1` are elements; swapping two distinct
            // elements byte by byte stays inside them.
            unsafe {
                while j > 0 && self.cmp(base.add((j - 1) * size), base.add(j * size)) > 0 {
                    core::ptr::swap_nonoverlapping(
                        base.add((j - 1) * size),
                        base.add(j * size),
                        size,
                    );
                    j -= 1;
                }
            }
        }
    }
}

/// Sorts `n` elements of `size` bytes at `base` in the order `cmp` gives.
///
/// # Safety
///
/// `base` holds `n` elements of `size` bytes; `cmp` is a consistent order
/// on them that does not modify them.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn qsort(base: *mut c_void, n: size_t, size: size_t, cmp: __compar_fn_t) {
    let Some(cmp) = cmp else { return };
    // SAFETY: the caller's contract.
    unsafe {
        sort(
            base,
            n,
            Sort {
                size,
                cmp: Order::Plain(cmp),
            },
        )
    }
}

/// As [`qsort`], with `arg` passed to every call of `cmp` as its third
/// argument (GNU's `qsort_r`).
///
/// # Safety
///
/// As [`qsort`]; `cmp` may use `arg` as it expects.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn qsort_r(
    base: *mut c_void,
    n: size_t,
    size: size_t,
    cmp: __compar_d_fn_t,
    arg: *mut c_void,
) {
    let Some(cmp) = cmp else { return };
    // SAFETY: the caller's contract.
    unsafe {
        sort(
            base,
            n,
            Sort {
                size,
                cmp: Order::WithArg(cmp, arg),
            },
        )
    }
}

/// The sorting both exports share.
///
/// # Safety
///
/// As [`qsort`].
unsafe fn sort(base: *mut c_void, n: usize, sort: Sort) {
    let size = sort.size;
    if n <= 1 || size == 0 {
        return;
    }
    let saved = vibix_abi::errno::errno();
    // SAFETY: `malloc` has no precondition; the product cannot overflow as
    // the array exists.
    let tmp = unsafe { super::malloc::malloc(n * size) }.cast::<u8>();
    // SAFETY: `base` holds the array (the caller's contract); `tmp` room
    // for it.
    unsafe {
        if tmp.is_null() {
            sort.insertion_sort(base.cast(), n);
        } else {
            sort.merge_sort(base.cast(), n, tmp);
            super::malloc::free(tmp.cast());
        }
    }
    // A failed buffer allocation is not the caller's error.
    vibix_abi::errno::set_errno(saved);
}

/// The element of the sorted array at `base` equal to `*key` under `cmp`
/// (`cmp(key, element)`), or NULL.
///
/// # Safety
///
/// `base` holds `n` elements of `size` bytes sorted by `cmp`; `key` is
/// what `cmp` expects as its first argument.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn bsearch(
    key: *const c_void,
    base: *const c_void,
    n: size_t,
    size: size_t,
    cmp: __compar_fn_t,
) -> *mut c_void {
    let Some(cmp) = cmp else {
        return core::ptr::null_mut();
    };
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        // SAFETY: `mid < n`: an element of the array.
        let at = unsafe { base.cast::<u8>().add(mid * size) }.cast::<c_void>();
        // SAFETY: the caller's contract.
        let c = unsafe { cmp(key, at) };
        if c < 0 {
            hi = mid;
        } else if c > 0 {
            lo = mid + 1;
        } else {
            return at.cast_mut();
        }
    }
    core::ptr::null_mut()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    unsafe extern "C" fn by_key(a: *const c_void, b: *const c_void) -> c_int {
        // SAFETY: the tests sort `(u32, u32)` pairs.
        let (a, b) = unsafe { (*a.cast::<(u32, u32)>(), *b.cast::<(u32, u32)>()) };
        a.0.cmp(&b.0) as c_int
    }

    fn data(n: usize) -> Vec<(u32, u32)> {
        let mut x = 12345u32;
        (0..n as u32)
            .map(|i| {
                x = x.wrapping_mul(1103515245).wrapping_add(12345);
                ((x >> 16) % 50, i)
            })
            .collect()
    }

    #[test]
    fn sorts_stably_like_a_stable_sort() {
        for n in [0usize, 1, 2, 3, 7, 64, 333] {
            let mut ours = data(n);
            let mut expected = ours.clone();
            expected.sort_by_key(|e| e.0);
            // SAFETY: `ours` holds `n` pairs; `by_key` orders them.
            unsafe { qsort(ours.as_mut_ptr().cast(), n, 8, Some(by_key)) };
            assert_eq!(ours, expected);
            let mut slow = data(n);
            let sort = Sort {
                size: 8,
                cmp: Order::Plain(by_key),
            };
            // SAFETY: as above.
            unsafe { sort.insertion_sort(slow.as_mut_ptr().cast(), n) };
            assert_eq!(slow, expected);
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "calls the host C library")]
    fn matches_glibc() {
        let mut ours = data(1000);
        let mut theirs = ours.clone();
        // SAFETY: as above.
        unsafe {
            qsort(ours.as_mut_ptr().cast(), 1000, 8, Some(by_key));
            libc::qsort(theirs.as_mut_ptr().cast(), 1000, 8, Some(by_key));
        }
        assert_eq!(ours, theirs);
        for k in 0..52 {
            let key = (k, 0u32);
            // SAFETY: `ours` is sorted by `by_key`.
            let (o, t) = unsafe {
                (
                    bsearch(
                        (&raw const key).cast(),
                        ours.as_ptr().cast(),
                        1000,
                        8,
                        Some(by_key),
                    ),
                    libc::bsearch(
                        (&raw const key).cast(),
                        ours.as_ptr().cast(),
                        1000,
                        8,
                        Some(by_key),
                    ),
                )
            };
            assert_eq!(o, t);
        }
    }

    unsafe extern "C" fn by_key_desc(
        a: *const c_void,
        b: *const c_void,
        calls: *mut c_void,
    ) -> c_int {
        // SAFETY: the test passes a counter and sorts pairs.
        unsafe {
            *calls.cast::<usize>() += 1;
            -by_key(a, b)
        }
    }

    #[test]
    fn sorts_with_an_argument() {
        let mut v = data(100);
        let mut expected = v.clone();
        expected.sort_by_key(|e| core::cmp::Reverse(e.0));
        let mut calls = 0usize;
        // SAFETY: `v` holds 100 pairs; the argument is the counter.
        unsafe {
            qsort_r(
                v.as_mut_ptr().cast(),
                100,
                8,
                Some(by_key_desc),
                (&raw mut calls).cast(),
            )
        };
        assert_eq!(v, expected);
        assert!(calls > 0);
    }

    #[test]
    fn searches() {
        let v: Vec<(u32, u32)> = (0..10).map(|i| (i * 2, i)).collect();
        for k in 0..21 {
            let key = (k, 0u32);
            // SAFETY: `v` is sorted by `by_key`.
            let r = unsafe {
                bsearch(
                    (&raw const key).cast(),
                    v.as_ptr().cast(),
                    10,
                    8,
                    Some(by_key),
                )
            };
            if k % 2 == 0 && k < 20 {
                assert_eq!(r.cast_const(), v[k as usize / 2..].as_ptr().cast());
            } else {
                assert!(r.is_null());
            }
        }
        // SAFETY: an empty array.
        assert!(
            // SAFETY: an empty array.
            unsafe { bsearch(v.as_ptr().cast(), v.as_ptr().cast(), 0, 8, Some(by_key)) }.is_null()
        );
    }
}
