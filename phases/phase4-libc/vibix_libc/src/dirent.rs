//! `<dirent.h>`: reading directories: `opendir`, `fdopendir`, `readdir`,
//! `readdir_r`, `closedir`, `rewinddir`, `dirfd`, `telldir`, `seekdir`,
//! `scandir` and `alphasort`; `struct dirent` with glibc's layout (280
//! bytes) and the `DT_*` types. `DIR` holds the descriptor and a buffer
//! `getdents64` fills; `readdir` hands out one entry at a time from it,
//! copied into the `DIR`'s own `struct dirent` (valid until the next call
//! on the same `DIR`). A position for `telldir`/`seekdir` is the kernel's
//! `d_off` of the entry last returned.

extern crate alloc;

use core::ptr;

use vibix_uapi::dirent::{D_NAME_OFFSET, Dirent64Header};
pub use vibix_uapi::dirent::{
    DT_BLK, DT_CHR, DT_DIR, DT_FIFO, DT_LNK, DT_REG, DT_SOCK, DT_UNKNOWN,
};
use vibix_uapi::fcntl::{AT_FDCWD, O_CLOEXEC, O_DIRECTORY, O_RDONLY, SEEK_SET};
use vibix_uapi::stat::{S_IFDIR, S_IFMT, Stat};
use vibix_uapi::{Errno, nr, syscall};

use crate::sysret::{fail, ret, ret_int};
use crate::types::{c_char, c_int, c_long, c_void, size_t};

/// One directory entry (glibc's `struct dirent`).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct dirent {
    pub d_ino: u64,
    pub d_off: i64,
    pub d_reclen: u16,
    pub d_type: u8,
    pub d_name: [c_char; 256],
}

/// How many bytes one `getdents64` may fill.
const BUF_SIZE: usize = 4096;

/// An open directory: opaque to C.
#[repr(C)]
pub struct DIR {
    fd: c_int,
    /// The bytes of `buf` that hold entries, and where the next one starts.
    len: usize,
    pos: usize,
    /// The `d_off` of the entry last returned (`telldir`).
    filepos: i64,
    entry: dirent,
    buf: [u8; BUF_SIZE],
}

/// Opens the directory at `name`.
///
/// # Safety
///
/// `name` must be a NUL-terminated string.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn opendir(name: *const c_char) -> *mut DIR {
    let flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
    // SAFETY: the kernel reads the NUL-terminated `name`.
    let fd = ret_int(unsafe { syscall!(nr::OPENAT, AT_FDCWD, name, flags, 0) });
    if fd < 0 {
        return ptr::null_mut();
    }
    let dir = new_dir(fd);
    if dir.is_null() {
        crate::unistd::io::close(fd);
    }
    dir
}

/// A `DIR` for the open directory `fd` (`ENOTDIR` if it is not one);
/// `closedir` will close `fd`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn fdopendir(fd: c_int) -> *mut DIR {
    let mut st = Stat::default();
    // SAFETY: the kernel writes one `struct stat` into `st`.
    if ret_int(unsafe { syscall!(nr::FSTAT, fd, &raw mut st) }) < 0 {
        return ptr::null_mut();
    }
    if st.st_mode & S_IFMT != S_IFDIR {
        fail(Errno::ENOTDIR);
        return ptr::null_mut();
    }
    new_dir(fd)
}

/// A fresh `DIR` on the heap for `fd`.
fn new_dir(fd: c_int) -> *mut DIR {
    let layout = core::alloc::Layout::new::<DIR>();
    // SAFETY: `DIR` is not zero-sized; all-zero bytes are a valid `DIR`.
    let dir = unsafe { alloc::alloc::alloc_zeroed(layout) }.cast::<DIR>();
    if dir.is_null() {
        fail(Errno::ENOMEM);
        return dir;
    }
    // SAFETY: `dir` is a fresh, valid `DIR`.
    unsafe { (*dir).fd = fd };
    dir
}

/// The next entry of `dir`, or NULL at the end (`errno` untouched) or on
/// an error (`errno` set).
///
/// # Safety
///
/// `dir` must come from `opendir`/`fdopendir` and not be closed.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn readdir(dir: *mut DIR) -> *mut dirent {
    // SAFETY: the caller's contract: a live `DIR`, used by one thread.
    let d = unsafe { &mut *dir };
    if d.pos >= d.len {
        // SAFETY: the kernel writes at most `BUF_SIZE` bytes into `buf`.
        let n = ret(unsafe { syscall!(nr::GETDENTS64, d.fd, d.buf.as_mut_ptr(), BUF_SIZE) });
        if n <= 0 {
            return ptr::null_mut();
        }
        d.len = n as usize;
        d.pos = 0;
    }
    let rest = &d.buf[d.pos..d.len];
    if rest.len() < D_NAME_OFFSET {
        d.pos = d.len;
        return ptr::null_mut();
    }
    // SAFETY: `rest` holds at least the header's fields, read unaligned;
    // any bytes are a valid header (integers only).
    let header = unsafe { rest.as_ptr().cast::<Dirent64Header>().read_unaligned() };
    let reclen = usize::from(header.d_reclen);
    if reclen <= D_NAME_OFFSET || reclen > rest.len() {
        d.pos = d.len;
        return ptr::null_mut();
    }
    let name = &rest[D_NAME_OFFSET..reclen];
    let name_len = name
        .iter()
        .position(|&b| b == 0)
        .unwrap_or(name.len())
        .min(255);
    d.entry.d_ino = header.d_ino;
    d.entry.d_off = header.d_off;
    d.entry.d_reclen = header.d_reclen;
    d.entry.d_type = header.d_type;
    for (dst, &src) in d.entry.d_name.iter_mut().zip(&name[..name_len]) {
        *dst = src as c_char;
    }
    d.entry.d_name[name_len] = 0;
    d.pos += reclen;
    d.filepos = header.d_off;
    &raw mut d.entry
}

/// [`readdir`] into the caller's `entry`: `*result` is `entry`, or NULL at
/// the end; returns 0 or an error number.
///
/// # Safety
///
/// As [`readdir`]; `entry` writable for a `struct dirent`, `result` for a
/// pointer.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn readdir_r(
    dir: *mut DIR,
    entry: *mut dirent,
    result: *mut *mut dirent,
) -> c_int {
    let saved = vibix_abi::errno::errno();
    vibix_abi::errno::set_errno(0);
    // SAFETY: the caller's contract.
    let next = unsafe { readdir(dir) };
    let err = vibix_abi::errno::errno();
    vibix_abi::errno::set_errno(saved);
    if next.is_null() {
        // SAFETY: `result` is writable (the caller's contract).
        unsafe { *result = ptr::null_mut() };
        return err;
    }
    // SAFETY: `next` is the `DIR`'s entry, `entry` the caller's.
    unsafe {
        entry.write(next.read());
        *result = entry;
    }
    0
}

/// Closes `dir` and its descriptor.
///
/// # Safety
///
/// `dir` must come from `opendir`/`fdopendir`; it is freed.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn closedir(dir: *mut DIR) -> c_int {
    if dir.is_null() {
        return fail(Errno::EINVAL);
    }
    // SAFETY: `dir` was allocated by `new_dir` with this layout.
    let fd = unsafe { (*dir).fd };
    // SAFETY: as above; nothing uses `dir` afterwards.
    unsafe { alloc::alloc::dealloc(dir.cast(), core::alloc::Layout::new::<DIR>()) };
    crate::unistd::io::close(fd)
}

/// Starts `dir` over from its first entry.
///
/// # Safety
///
/// As [`readdir`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn rewinddir(dir: *mut DIR) {
    // SAFETY: the caller's contract.
    unsafe { seekdir(dir, 0) }
}

/// The descriptor of `dir`.
///
/// # Safety
///
/// As [`readdir`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn dirfd(dir: *mut DIR) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { (*dir).fd }
}

/// The position of `dir`, for [`seekdir`].
///
/// # Safety
///
/// As [`readdir`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn telldir(dir: *mut DIR) -> c_long {
    // SAFETY: the caller's contract.
    unsafe { (*dir).filepos }
}

/// Goes back (or forward) to a position [`telldir`] returned.
///
/// # Safety
///
/// As [`readdir`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn seekdir(dir: *mut DIR, loc: c_long) {
    // SAFETY: the caller's contract.
    let d = unsafe { &mut *dir };
    // SAFETY: `lseek` touches no memory.
    unsafe { syscall!(nr::LSEEK, d.fd, loc, SEEK_SET) };
    d.pos = 0;
    d.len = 0;
    d.filepos = loc;
}

unsafe extern "C" {
    // The C library's allocator (`<stdlib.h>`): `scandir`'s results are
    // freed by the caller with `free`.
    fn malloc(size: size_t) -> *mut c_void;
    fn realloc(ptr: *mut c_void, size: size_t) -> *mut c_void;
    fn free(ptr: *mut c_void);
}

/// Reads the directory `path` into a `malloc`ed array of `malloc`ed
/// entries (those `filter` accepts, all if it is NULL), sorted with
/// `compar` (if not NULL); returns how many, or `-1` with `errno`.
///
/// # Safety
///
/// `path` must be a NUL-terminated string, `namelist` writable; `filter`
/// and `compar` (if any) must be safe to call on entries.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn scandir(
    path: *const c_char,
    namelist: *mut *mut *mut dirent,
    filter: Option<unsafe extern "C" fn(*const dirent) -> c_int>,
    compar: Option<unsafe extern "C" fn(*mut *const dirent, *mut *const dirent) -> c_int>,
) -> c_int {
    // SAFETY: the caller's contract.
    let dir = unsafe { opendir(path) };
    if dir.is_null() {
        return -1;
    }
    let mut list: *mut *mut dirent = ptr::null_mut();
    let (mut count, mut cap) = (0usize, 0usize);
    let saved = vibix_abi::errno::errno();
    let failed;
    loop {
        vibix_abi::errno::set_errno(0);
        // SAFETY: `dir` is open.
        let e = unsafe { readdir(dir) };
        if e.is_null() {
            failed = vibix_abi::errno::errno() != 0;
            break;
        }
        if let Some(f) = filter {
            // SAFETY: the caller's filter, on a live entry.
            if unsafe { f(e) } == 0 {
                continue;
            }
        }
        if count == cap {
            cap = (cap * 2).max(16);
            // SAFETY: `list` is NULL or from `malloc`/`realloc`.
            let grown = unsafe { realloc(list.cast(), cap * size_of::<*mut dirent>()) };
            if grown.is_null() {
                failed = true;
                break;
            }
            list = grown.cast();
        }
        // SAFETY: `malloc` has no preconditions.
        let copy = unsafe { malloc(size_of::<dirent>()) }.cast::<dirent>();
        if copy.is_null() {
            failed = true;
            break;
        }
        // SAFETY: `copy` holds a `dirent`; `list` has room for `count + 1`.
        unsafe {
            copy.write(e.read());
            *list.add(count) = copy;
        }
        count += 1;
    }
    let err = vibix_abi::errno::errno();
    // SAFETY: `dir` is open and no longer used.
    unsafe { closedir(dir) };
    if failed {
        for i in 0..count {
            // SAFETY: each entry came from `malloc`.
            unsafe { free((*list.add(i)).cast()) };
        }
        // SAFETY: `list` is NULL or from `realloc`.
        unsafe { free(list.cast()) };
        vibix_abi::errno::set_errno(if err == 0 { Errno::ENOMEM.raw() } else { err });
        return -1;
    }
    vibix_abi::errno::set_errno(saved);
    if let Some(cmp) = compar {
        // SAFETY: `list` holds `count` entries.
        unsafe { shell_sort(list, count, cmp) };
    }
    // SAFETY: `namelist` is writable (the caller's contract).
    unsafe { *namelist = list };
    count as c_int
}

/// Sorts `list[..n]` with `cmp`, allocating nothing and never failing,
/// whatever `cmp` answers (Shell's sort, Ciura's gaps).
///
/// # Safety
///
/// `list` must hold `n` entries `cmp` may be called on.
unsafe fn shell_sort(
    list: *mut *mut dirent,
    n: usize,
    cmp: unsafe extern "C" fn(*mut *const dirent, *mut *const dirent) -> c_int,
) {
    const GAPS: [usize; 8] = [701, 301, 132, 57, 23, 10, 4, 1];
    let mut gap_list = [0usize; 40];
    // Extend Ciura's sequence by 2.25x for long lists.
    let mut count = 0;
    let mut g = 701usize;
    while g * 9 / 4 < n && count < gap_list.len() {
        g = g * 9 / 4;
        gap_list[count] = g;
        count += 1;
    }
    let extra = gap_list[..count].iter().rev().copied();
    for gap in extra.chain(GAPS) {
        for i in gap..n {
            // SAFETY: `i < n`.
            let mut item = unsafe { *list.add(i) }.cast_const();
            let mut j = i;
            while j >= gap {
                // SAFETY: `j - gap < n`.
                let mut prev = unsafe { *list.add(j - gap) }.cast_const();
                // SAFETY: the caller's comparison, on two entries of the list.
                if unsafe { cmp(&raw mut prev, &raw mut item) } <= 0 {
                    break;
                }
                // SAFETY: `j < n`.
                unsafe { *list.add(j) = prev.cast_mut() };
                j -= gap;
            }
            // SAFETY: `j < n`.
            unsafe { *list.add(j) = item.cast_mut() };
        }
    }
}

/// Compares two entries' names (`strcoll`, which is `strcmp` in the C
/// locale), for `scandir`.
///
/// # Safety
///
/// Both must point to pointers to entries.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn alphasort(a: *mut *const dirent, b: *mut *const dirent) -> c_int {
    // SAFETY: the caller's contract: two entries with NUL-terminated names.
    let (a, b) = unsafe {
        (
            core::ffi::CStr::from_ptr((**a).d_name.as_ptr()),
            core::ffi::CStr::from_ptr((**b).d_name.as_ptr()),
        )
    };
    match a.to_bytes().cmp(b.to_bytes()) {
        core::cmp::Ordering::Less => -1,
        core::cmp::Ordering::Equal => 0,
        core::cmp::Ordering::Greater => 1,
    }
}

/// [`readdir`] under glibc's large-file name (`_LARGEFILE64_SOURCE`): on
/// x86_64 `struct dirent` already has 64-bit `d_ino` and `d_off` (glibc's
/// `struct dirent64` has the same layout), so it is the same call.
/// Programs built against glibc's headers (Rust's std for `linux-gnu`)
/// call it.
///
/// # Safety
///
/// As [`readdir`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn readdir64(dir: *mut DIR) -> *mut dirent {
    // SAFETY: the caller's contract.
    unsafe { readdir(dir) }
}

#[cfg(test)]
mod tests;
