//! `<stdio.h>`: the stream, `FILE`: its buffer and buffering modes
//! (`setvbuf`, `setbuf`), its lock (`flockfile`, `funlockfile`,
//! `ftrylockfile`), the standard streams `stdin`, `stdout`, `stderr`, and
//! the list of open streams that `fflush(NULL)` and `exit` flush.
//!
//! Buffering is glibc's: `stderr` unbuffered, other streams line-buffered
//! when their descriptor is a terminal (`ioctl(TCGETS)` succeeds) and fully
//! buffered otherwise, decided at the first read or write. The lock is
//! recursive (a thread may `flockfile` a stream that it then prints to),
//! a futex word with an owner.
//!
//! ```c
//! #define stdin stdin
//! #define stdout stdout
//! #define stderr stderr
//! ```

extern crate alloc;

use alloc::alloc::{Layout, alloc, dealloc};
use core::cell::Cell;
use core::ptr::null_mut;
use core::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};

use vibix_abi::errno::set_errno;

use vibix_uapi::errno::{EBADF, EINVAL};

use crate::types::{c_char, c_int, off_t, size_t};

pub use vibix_uapi::fcntl::{SEEK_CUR, SEEK_END, SEEK_SET};

/// The end of input (and the failure of the character functions).
pub const EOF: c_int = -1;
/// The default buffer size, and `setbuf`'s.
pub const BUFSIZ: c_int = 8192;
/// Fully buffered.
pub const _IOFBF: c_int = 0;
/// Line buffered.
pub const _IOLBF: c_int = 1;
/// Unbuffered.
pub const _IONBF: c_int = 2;
/// The longest path `FILENAME_MAX` promises (Linux's `PATH_MAX`).
pub const FILENAME_MAX: c_int = 4096;
/// How many streams may be open at once (at least; glibc says 16).
pub const FOPEN_MAX: c_int = 16;

/// Opened for reading.
pub(crate) const CAN_READ: u32 = 1;
/// Opened for writing.
pub(crate) const CAN_WRITE: u32 = 2;
/// End of file seen.
pub(crate) const AT_EOF: u32 = 4;
/// An error happened.
pub(crate) const ERROR: u32 = 8;
/// One of `stdin`, `stdout`, `stderr` (a static: never freed).
pub(crate) const STATIC: u32 = 16;

/// A position in a stream (glibc's layout: the offset, then a multibyte
/// conversion state).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct fpos_t {
    pub __pos: off_t,
    pub __state: [c_int; 2],
}

/// A recursive lock: a futex word (0 free, 1 taken, 2 taken with
/// waiters), the owning thread and how often it holds it.
pub(crate) struct Lock {
    word: AtomicU32,
    owner: AtomicUsize,
    depth: Cell<u32>,
}

impl Lock {
    const fn new() -> Lock {
        Lock {
            word: AtomicU32::new(0),
            owner: AtomicUsize::new(0),
            depth: Cell::new(0),
        }
    }

    fn try_lock(&self) -> bool {
        let me = thread_id();
        if self.owner.load(Ordering::Relaxed) == me {
            self.depth.set(self.depth.get() + 1);
            return true;
        }
        if self
            .word
            .compare_exchange(0, 1, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
        {
            self.owner.store(me, Ordering::Relaxed);
            self.depth.set(1);
            return true;
        }
        false
    }

    fn lock(&self) {
        if self.try_lock() {
            return;
        }
        let mut c = self.word.swap(2, Ordering::Acquire);
        while c != 0 {
            let _ = vibix_abi::futex::wait(&self.word, 2, None);
            c = self.word.swap(2, Ordering::Acquire);
        }
        self.owner.store(thread_id(), Ordering::Relaxed);
        self.depth.set(1);
    }

    fn unlock(&self) {
        let d = self.depth.get();
        if d > 1 {
            self.depth.set(d - 1);
            return;
        }
        self.depth.set(0);
        self.owner.store(0, Ordering::Relaxed);
        if self.word.swap(0, Ordering::Release) == 2 {
            let _ = vibix_abi::futex::wake(&self.word, 1);
        }
    }
}

/// Something unique to the calling thread while it lives: the address of
/// a thread-local.
fn thread_id() -> usize {
    #[thread_local]
    static MARK: u8 = 0;
    &raw const MARK as usize
}

/// A stream. C sees it only through pointers: opaque to C (no field is
/// `pub`; the header declares `typedef struct FILE FILE;` only).
#[repr(C)]
pub struct FILE {
    pub(crate) fd: c_int,
    pub(crate) flags: u32,
    /// `_IOFBF`, `_IOLBF`, `_IONBF`, or -1 before it is decided.
    pub(crate) mode: c_int,
    pub(crate) buf: *mut u8,
    pub(crate) cap: usize,
    /// Whether `buf` is ours to free (allocated with `cap`, alignment 1).
    pub(crate) own: bool,
    /// Unread bytes of the read buffer: `buf[rpos..rend]`.
    pub(crate) rpos: usize,
    pub(crate) rend: usize,
    /// Bytes waiting in the write buffer: `buf[..wlen]`.
    pub(crate) wlen: usize,
    /// A byte pushed back by `ungetc` before the buffer, or -1.
    pub(crate) unget: c_int,
    /// The one-byte buffer of an unbuffered stream.
    pub(crate) small: u8,
    pub(crate) lock: Lock,
    /// The next open stream.
    pub(crate) next: *mut FILE,
    /// A `popen` stream's command process (0 for the others).
    pub(crate) pid: crate::types::pid_t,
}

impl FILE {
    pub(crate) const fn new(fd: c_int, flags: u32) -> FILE {
        FILE {
            fd,
            flags,
            mode: -1,
            buf: null_mut(),
            cap: 0,
            own: false,
            rpos: 0,
            rend: 0,
            wlen: 0,
            unget: -1,
            small: 0,
            lock: Lock::new(),
            next: null_mut(),
            pid: 0,
        }
    }
}

static mut STDIN_FILE: FILE = {
    let mut f = FILE::new(0, CAN_READ | STATIC);
    f.next = &raw mut STDOUT_FILE;
    f
};
static mut STDOUT_FILE: FILE = {
    let mut f = FILE::new(1, CAN_WRITE | STATIC);
    f.next = &raw mut STDERR_FILE;
    f
};
static mut STDERR_FILE: FILE = {
    let mut f = FILE::new(2, CAN_WRITE | STATIC);
    f.mode = _IONBF;
    f
};

/// The standard input stream.
#[cfg_attr(not(test), unsafe(no_mangle))]
#[allow(non_upper_case_globals)] // C's name
pub static mut stdin: *mut FILE = &raw mut STDIN_FILE;
/// The standard output stream.
#[cfg_attr(not(test), unsafe(no_mangle))]
#[allow(non_upper_case_globals)] // C's name
pub static mut stdout: *mut FILE = &raw mut STDOUT_FILE;
/// The standard error stream.
#[cfg_attr(not(test), unsafe(no_mangle))]
#[allow(non_upper_case_globals)] // C's name
pub static mut stderr: *mut FILE = &raw mut STDERR_FILE;

/// The first open stream (the list runs through `FILE::next`).
static mut OPEN: *mut FILE = &raw mut STDIN_FILE;
/// Guards `OPEN` and every `next`.
static OPEN_LOCK: AtomicBool = AtomicBool::new(false);

fn list_lock() {
    while OPEN_LOCK
        .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
        .is_err()
    {
        vibix_abi::thread::yield_now();
    }
}

fn list_unlock() {
    OPEN_LOCK.store(false, Ordering::Release);
}

/// Adds a new stream to the list of open ones.
///
/// # Safety
///
/// `f` is a live stream not yet in the list.
pub(crate) unsafe fn link(f: *mut FILE) {
    list_lock();
    // SAFETY: the list lock guards `OPEN` and `next`; `f` is live.
    unsafe {
        (*f).next = OPEN;
        OPEN = f;
    }
    list_unlock();
}

/// Removes a stream from the list.
///
/// # Safety
///
/// `f` is in the list (or not: then nothing happens).
pub(crate) unsafe fn unlink(f: *mut FILE) {
    list_lock();
    // SAFETY: the list lock guards `OPEN` and every `next`; every stream
    // in the list is live.
    unsafe {
        let mut at = &raw mut OPEN;
        while !(*at).is_null() {
            if *at == f {
                *at = (*f).next;
                break;
            }
            at = &raw mut (**at).next;
        }
    }
    list_unlock();
}

/// Calls `each` on every open stream.
pub(crate) fn for_each_open(mut each: impl FnMut(*mut FILE)) {
    list_lock();
    // SAFETY: the list lock guards the list; its streams are live.
    let mut at = unsafe { OPEN };
    while !at.is_null() {
        each(at);
        // SAFETY: as above.
        at = unsafe { (*at).next };
    }
    list_unlock();
}

/// Flushes every open stream (`fflush(NULL)`); `false` if one failed.
pub(crate) fn flush_all() -> bool {
    let mut ok = true;
    for_each_open(|f| {
        // SAFETY: every listed stream is live; its lock is taken for the
        // flush.
        unsafe {
            (*f).lock.lock();
            if (*f).wlen > 0 && !flush(f) {
                ok = false;
            }
            (*f).lock.unlock();
        }
    });
    ok
}

/// Flushes every open stream at `exit`, skipping a stream another thread
/// holds locked: a thread blocked in `fgets(stdin)` keeps `stdin`'s lock,
/// and waiting for it would hang the exit (glibc does not lock here
/// either).
pub(crate) fn flush_all_at_exit() {
    for_each_open(|f| {
        // SAFETY: every listed stream is live; it is flushed only with its
        // lock held.
        unsafe {
            if (*f).lock.try_lock() {
                if (*f).wlen > 0 {
                    flush(f);
                }
                (*f).lock.unlock();
            }
        }
    });
}

/// Holds a stream's lock until dropped.
pub(crate) struct Locked(*mut FILE);

impl Locked {
    /// Locks `f`.
    ///
    /// # Safety
    ///
    /// `f` is a live stream, which stays live while this is held.
    pub(crate) unsafe fn new(f: *mut FILE) -> Locked {
        // SAFETY: the caller's contract.
        unsafe { (*f).lock.lock() };
        Locked(f)
    }
}

impl Drop for Locked {
    fn drop(&mut self) {
        // SAFETY: `new`'s contract keeps the stream live; this thread
        // holds its lock.
        unsafe { (*self.0).lock.unlock() };
    }
}

/// Whether `fd` is a terminal (`isatty`'s test, without touching `errno`).
pub(crate) fn is_terminal(fd: c_int) -> bool {
    vibix_uapi::Errno::from_ret(crate::unistd::io::tcgets(fd)).is_ok()
}

/// Gives `f` its buffer if it has none yet (the first read or write).
///
/// # Safety
///
/// `f` is live and locked by the caller.
unsafe fn ensure_buffer(f: *mut FILE) {
    // SAFETY: the caller's contract: the stream is ours while locked.
    let f = unsafe { &mut *f };
    if !f.buf.is_null() {
        return;
    }
    if f.mode < 0 {
        f.mode = if is_terminal(f.fd) { _IOLBF } else { _IOFBF };
    }
    if f.mode != _IONBF {
        let layout = Layout::from_size_align(BUFSIZ as usize, 1).unwrap_or(Layout::new::<u8>());
        // SAFETY: the layout has a non-zero size.
        let p = unsafe { alloc(layout) };
        if !p.is_null() {
            f.buf = p;
            f.cap = BUFSIZ as usize;
            f.own = true;
            return;
        }
        f.mode = _IONBF;
    }
    f.buf = &raw mut f.small;
    f.cap = 1;
    f.own = false;
}

/// Frees `f`'s buffer if it is ours.
///
/// # Safety
///
/// `f` is live and locked, with no buffered data left.
pub(crate) unsafe fn drop_buffer(f: *mut FILE) {
    // SAFETY: the caller's contract.
    let f = unsafe { &mut *f };
    if f.own && !f.buf.is_null() {
        // SAFETY: `own` buffers come from `alloc` with this layout.
        unsafe { dealloc(f.buf, Layout::from_size_align_unchecked(f.cap, 1)) };
    }
    f.buf = null_mut();
    f.cap = 0;
    f.own = false;
    f.rpos = 0;
    f.rend = 0;
    f.wlen = 0;
}

/// Writes out the write buffer; `false` (with the error flag) if the
/// descriptor refused.
///
/// # Safety
///
/// `f` is live and locked.
pub(crate) unsafe fn flush(f: *mut FILE) -> bool {
    // SAFETY: the caller's contract.
    let f = unsafe { &mut *f };
    let mut done = 0;
    while done < f.wlen {
        // SAFETY: `buf[..wlen]` holds the pending bytes.
        let pending = unsafe { core::slice::from_raw_parts(f.buf.add(done), f.wlen - done) };
        match vibix_abi::io::write(f.fd, pending) {
            Ok(n) if n > 0 => done += n,
            Ok(_) => {
                f.flags |= ERROR;
                break;
            }
            Err(e) if e.raw() == vibix_uapi::errno::EINTR => {}
            Err(_) => {
                f.flags |= ERROR;
                break;
            }
        }
    }
    if done < f.wlen {
        // Keep what was not written (glibc keeps it too).
        // SAFETY: both ranges are inside the buffer.
        unsafe { core::ptr::copy(f.buf.add(done), f.buf, f.wlen - done) };
        f.wlen -= done;
        return false;
    }
    f.wlen = 0;
    true
}

/// Leaves reading: the descriptor's offset goes back over what was read
/// ahead (so the next write lands where the program thinks it is) and
/// the read buffer and push-back are dropped.
///
/// # Safety
///
/// `f` is live and locked.
pub(crate) unsafe fn drop_read_ahead(f: *mut FILE) {
    // SAFETY: the caller's contract.
    unsafe { give_back_read_ahead(f) };
    // SAFETY: as above.
    let f = unsafe { &mut *f };
    f.rpos = 0;
    f.rend = 0;
    f.unget = -1;
}

/// `fflush` of an input stream: the unread bytes go back to the file if
/// it can seek; on a pipe or terminal (`ESPIPE`) they stay buffered, as
/// glibc keeps them.
///
/// # Safety
///
/// `f` is live and locked.
pub(crate) unsafe fn give_back_read_ahead(f: *mut FILE) -> bool {
    // SAFETY: the caller's contract.
    let f = unsafe { &mut *f };
    let ahead = (f.rend - f.rpos) as i64 + if f.unget >= 0 { 1 } else { 0 };
    if ahead > 0 && vibix_abi::fd::seek(f.fd, -ahead, SEEK_CUR).is_err() {
        return false;
    }
    f.rpos = 0;
    f.rend = 0;
    f.unget = -1;
    true
}

/// Writes `data` to `f` through its buffer; returns how many bytes were
/// taken (less than asked after an error).
///
/// # Safety
///
/// `f` is live and locked.
pub(crate) unsafe fn write_bytes(f: *mut FILE, data: &[u8]) -> usize {
    // SAFETY: the caller's contract.
    unsafe {
        if (*f).flags & CAN_WRITE == 0 {
            (*f).flags |= ERROR;
            set_errno(EBADF);
            return 0;
        }
        if (*f).rend > (*f).rpos || (*f).unget >= 0 {
            drop_read_ahead(f);
        }
        (*f).rpos = 0;
        (*f).rend = 0;
        ensure_buffer(f);
    }
    // SAFETY: as above.
    let s = unsafe { &mut *f };
    if s.mode == _IONBF {
        let mut done = 0;
        while done < data.len() {
            match vibix_abi::io::write(s.fd, &data[done..]) {
                Ok(n) if n > 0 => done += n,
                Err(e) if e.raw() == vibix_uapi::errno::EINTR => {}
                _ => {
                    s.flags |= ERROR;
                    break;
                }
            }
        }
        return done;
    }
    let mut done = 0;
    while done < data.len() {
        if s.wlen == s.cap {
            // SAFETY: `f` is live and locked.
            if !unsafe { flush(f) } {
                return done;
            }
        }
        let room = s.cap - s.wlen;
        let k = room.min(data.len() - done);
        // SAFETY: `buf[wlen..wlen + k]` is inside the buffer.
        unsafe { core::ptr::copy_nonoverlapping(data.as_ptr().add(done), s.buf.add(s.wlen), k) };
        s.wlen += k;
        done += k;
    }
    // SAFETY: `f` is live and locked.
    if s.mode == _IOLBF && data.contains(&b'\n') && !unsafe { flush(f) } {
        return done;
    }
    done
}

/// Before a read goes to the descriptor: glibc flushes `stdout` when it is
/// line-buffered, so a prompt shows before the program waits for input.
fn flush_line_buffered_stdout(reading: *mut FILE) {
    let out = &raw mut STDOUT_FILE;
    if out == reading {
        return;
    }
    // SAFETY: `stdout`'s static stream is always live; it is flushed only
    // if its lock can be taken now (no deadlock with the reader's lock).
    unsafe {
        if (*out).mode == _IOLBF && (*out).wlen > 0 && (*out).lock.try_lock() {
            flush(out);
            (*out).lock.unlock();
        }
    }
}

/// Reads up to `dest.len()` bytes from `f`; fewer only at end of file or
/// after an error (flags set).
///
/// # Safety
///
/// `f` is live and locked.
pub(crate) unsafe fn read_bytes(f: *mut FILE, dest: &mut [u8]) -> usize {
    let mut done = 0;
    while done < dest.len() {
        // SAFETY: the caller's contract.
        match unsafe { read_chunk(f, &mut dest[done..]) } {
            0 => break,
            n => done += n,
        }
    }
    done
}

/// One step of reading: the pushed-back byte, buffered bytes, or one
/// refill. 0 at end of file or on error.
///
/// # Safety
///
/// `f` is live and locked.
unsafe fn read_chunk(f: *mut FILE, dest: &mut [u8]) -> usize {
    // SAFETY: the caller's contract.
    unsafe {
        if (*f).flags & CAN_READ == 0 {
            (*f).flags |= ERROR;
            set_errno(EBADF);
            return 0;
        }
        if (*f).wlen > 0 && !flush(f) {
            return 0;
        }
        ensure_buffer(f);
    }
    // SAFETY: as above.
    let s = unsafe { &mut *f };
    if dest.is_empty() {
        return 0;
    }
    if s.unget >= 0 {
        dest[0] = s.unget as u8;
        s.unget = -1;
        return 1;
    }
    if s.rpos == s.rend {
        if s.flags & AT_EOF != 0 {
            // End of file is sticky until `clearerr`, `fseek` or `ungetc`
            // (glibc since 2.28, as C requires).
            return 0;
        }
        flush_line_buffered_stdout(f);
        s.rpos = 0;
        s.rend = 0;
        if dest.len() >= s.cap {
            // A big read goes straight to the caller's memory.
            return read_fd(s, dest);
        }
        // SAFETY: the buffer holds `cap` bytes, ours while locked.
        let buf = unsafe { core::slice::from_raw_parts_mut(s.buf, s.cap) };
        let fd = s.fd;
        let n = loop {
            match vibix_abi::io::read(fd, buf) {
                Ok(n) => break n,
                Err(e) if e.raw() == vibix_uapi::errno::EINTR => {}
                Err(_) => {
                    s.flags |= ERROR;
                    return 0;
                }
            }
        };
        if n == 0 {
            s.flags |= AT_EOF;
            return 0;
        }
        s.rend = n;
    }
    let k = (s.rend - s.rpos).min(dest.len());
    // SAFETY: `buf[rpos..rpos + k]` holds unread bytes.
    unsafe { core::ptr::copy_nonoverlapping(s.buf.add(s.rpos), dest.as_mut_ptr(), k) };
    s.rpos += k;
    k
}

fn read_fd(s: &mut FILE, dest: &mut [u8]) -> usize {
    loop {
        match vibix_abi::io::read(s.fd, dest) {
            Ok(0) => {
                s.flags |= AT_EOF;
                return 0;
            }
            Ok(n) => return n,
            Err(e) if e.raw() == vibix_uapi::errno::EINTR => {}
            Err(_) => {
                s.flags |= ERROR;
                return 0;
            }
        }
    }
}

/// One byte from `f`, or `EOF`.
///
/// # Safety
///
/// `f` is live and locked.
pub(crate) unsafe fn getc_locked(f: *mut FILE) -> c_int {
    // SAFETY: the caller's contract.
    let s = unsafe { &mut *f };
    if s.unget < 0 && s.rpos < s.rend && s.wlen == 0 {
        // SAFETY: `buf[rpos]` is an unread byte.
        let c = unsafe { *s.buf.add(s.rpos) };
        s.rpos += 1;
        return c as c_int;
    }
    let mut b = [0u8; 1];
    // SAFETY: the caller's contract.
    if unsafe { read_chunk(f, &mut b) } == 1 {
        b[0] as c_int
    } else {
        EOF
    }
}

/// Locks `f` for the calling thread (recursively).
///
/// # Safety
///
/// `f` is a live stream.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn flockfile(f: *mut FILE) {
    // SAFETY: the caller's contract.
    unsafe { (*f).lock.lock() }
}

/// Releases one `flockfile` of `f`.
///
/// # Safety
///
/// `f` is a live stream this thread has locked.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn funlockfile(f: *mut FILE) {
    // SAFETY: the caller's contract.
    unsafe { (*f).lock.unlock() }
}

/// Locks `f` if that can be done at once: 0, or non-zero if another
/// thread holds it.
///
/// # Safety
///
/// `f` is a live stream.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn ftrylockfile(f: *mut FILE) -> c_int {
    // SAFETY: the caller's contract.
    if unsafe { (*f).lock.try_lock() } {
        0
    } else {
        1
    }
}

/// Sets `f`'s buffering: `mode` (`_IOFBF`, `_IOLBF`, `_IONBF`) with the
/// caller's `buf` of `size` bytes, or one of ours if `buf` is NULL.
///
/// # Safety
///
/// `f` is a live stream; `buf` is NULL or `size` writable bytes that
/// outlive the stream's use of them.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn setvbuf(
    f: *mut FILE,
    buf: *mut c_char,
    mode: c_int,
    size: size_t,
) -> c_int {
    if !matches!(mode, _IOFBF | _IOLBF | _IONBF) {
        set_errno(EINVAL);
        return EOF;
    }
    // SAFETY: the caller's contract.
    let _g = unsafe { Locked::new(f) };
    // SAFETY: `f` is live and locked.
    unsafe {
        if (*f).wlen > 0 {
            flush(f);
        }
        if (*f).rend > (*f).rpos {
            drop_read_ahead(f);
        }
        drop_buffer(f);
        (*f).mode = mode;
        if mode != _IONBF && !buf.is_null() && size > 0 {
            (*f).buf = buf.cast();
            (*f).cap = size;
        } else if mode != _IONBF && size > 0 {
            let layout = Layout::from_size_align(size, 1).unwrap_or(Layout::new::<u8>());
            // SAFETY: non-zero size.
            let p = alloc(layout);
            if !p.is_null() {
                (*f).buf = p;
                (*f).cap = layout.size();
                (*f).own = true;
            }
        }
    }
    0
}

/// `setvbuf(f, buf, buf ? _IOFBF : _IONBF, BUFSIZ)`.
///
/// # Safety
///
/// As `setvbuf`, `buf` holding `BUFSIZ` bytes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn setbuf(f: *mut FILE, buf: *mut c_char) {
    let mode = if buf.is_null() { _IONBF } else { _IOFBF };
    // SAFETY: the caller's contract.
    unsafe { setvbuf(f, buf, mode, BUFSIZ as size_t) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_are_glibcs() {
        assert_eq!(size_of::<fpos_t>(), size_of::<libc::fpos_t>());
        assert_eq!(align_of::<fpos_t>(), align_of::<libc::fpos_t>());
        assert_eq!(BUFSIZ, libc::BUFSIZ as c_int);
        assert_eq!(_IOFBF, libc::_IOFBF);
        assert_eq!(_IOLBF, libc::_IOLBF);
        assert_eq!(_IONBF, libc::_IONBF);
        assert_eq!(FILENAME_MAX, libc::FILENAME_MAX as c_int);
        assert_eq!(EOF, libc::EOF);
    }

    #[test]
    #[cfg_attr(miri, ignore = "futex syscalls")]
    fn the_lock_is_recursive_and_excludes_others() {
        let f = Lock::new();
        f.lock();
        assert!(f.try_lock());
        f.unlock();
        let p = &f as *const Lock as usize;
        let other = std::thread::spawn(move || {
            // SAFETY: the lock outlives the thread (joined below).
            let l = unsafe { &*(p as *const Lock) };
            l.try_lock()
        })
        .join()
        .unwrap();
        assert!(!other);
        f.unlock();
        assert!(f.try_lock());
        f.unlock();
    }
}
