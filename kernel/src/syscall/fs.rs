//! File syscalls: read, write, writev, open, openat, close, fstat, lseek.

use crate::arch::trap::TrapFrame;
use crate::fs::dev;
use crate::fs::file::{O_CLOEXEC, OpenFile, Target};
use crate::fs::stat;
use crate::mm::aspace::Access;
use crate::proc::with_current;
use crate::uaccess;
use alloc::sync::Arc;
use alloc::vec;
use kcore::errno::{Errno, KResult};
use kcore::fs::{Ino, NodeKind, ROOT};
use kcore::iovec;

/// Data moves between a file and user memory through a kernel buffer of
/// at most this many bytes at a time.
const CHUNK: usize = 64 * 1024;
/// A transfer this small uses a buffer on the kernel stack, not the heap.
const SMALL: usize = 256;
/// `openat`'s "relative to the working directory".
pub(super) const AT_FDCWD: i32 = vibix_uapi::fcntl::AT_FDCWD;

pub(super) fn file(fd: i32) -> KResult<Arc<OpenFile>> {
    with_current(|p| p.files.get(fd))
}

/// A partial transfer reports what was done; an error before any byte is
/// the call's error (as Linux does).
fn partial(done: usize, err: Errno) -> KResult<u64> {
    if done > 0 { Ok(done as u64) } else { Err(err) }
}

/// What the first look at a `read` or `write` found: the whole answer
/// (a device that needs no kernel buffer, done under that one look), or
/// the file to go on with.
enum Quick {
    Done(u64),
    File(Arc<OpenFile>),
}

// ANCHOR: read
pub fn read(f: &mut TrapFrame) -> KResult<u64> {
    let (fd, buf, count) = (f.arg(0) as i32, f.arg(1), f.arg(2) as usize);
    // One look at the process: /dev/null and /dev/zero need no kernel
    // buffer and no reference to the file (as on Linux, reading /dev/null
    // does not touch the buffer at all).
    let quick = with_current(|p| -> KResult<Quick> {
        let file = p.files.file(fd)?;
        if !file.readable() {
            return Err(Errno::EBADF);
        }
        kcore::uaccess::check_user_range(buf, count as u64)?;
        match file.device() {
            Some(dev::NULL) => Ok(Quick::Done(0)),
            Some(dev::ZERO) if count <= CHUNK => {
                uaccess::zero_user(p.mm(), buf, count).map(|()| Quick::Done(count as u64))
            }
            _ => Ok(Quick::File(file.clone())),
        }
    })?;
    let file = match quick {
        Quick::Done(n) => return Ok(n),
        Quick::File(file) => file,
    };
    if file.device() == Some(dev::ZERO) {
        return zero_fill(buf, count);
    }
    let mut small = [0u8; SMALL];
    let mut large = alloc::vec::Vec::new();
    let kbuf: &mut [u8] = if count <= SMALL {
        &mut small[..count]
    } else {
        large.resize(count.min(CHUNK), 0);
        &mut large
    };
    let mut done = 0;
    while done < count {
        let want = (count - done).min(CHUNK);
        let at = buf + done as u64;
        if let Err(e) = with_current(|p| p.mm().prepare(at, want as u64, Access::Write)) {
            return partial(done, e);
        }
        let n = match file.read(&mut kbuf[..want]) {
            Ok(n) => n,
            Err(e) => return partial(done, e),
        };
        with_current(|p| uaccess::copy_to_user(p.mm(), at, &kbuf[..n]))?;
        done += n;
        if n < want || !matches!(file.target, Target::Node(_)) {
            break;
        }
    }
    Ok(done as u64)
}
// ANCHOR_END: read

/// `read` of `/dev/zero`: zeros straight into user memory, a chunk at a
/// time (a bad page ends the read short, or fails it if it is the first).
fn zero_fill(buf: u64, count: usize) -> KResult<u64> {
    let mut done = 0;
    while done < count {
        let n = (count - done).min(CHUNK);
        if let Err(e) = with_current(|p| uaccess::zero_user(p.mm(), buf + done as u64, n)) {
            return partial(done, e);
        }
        done += n;
    }
    Ok(done as u64)
}

pub fn write(f: &mut TrapFrame) -> KResult<u64> {
    let (fd, buf, count) = (f.arg(0) as i32, f.arg(1), f.arg(2) as usize);
    // Writes to /dev/null and /dev/zero vanish: like Linux, without
    // reading the buffer, answered under one look at the process.
    let quick = with_current(|p| -> KResult<Quick> {
        let file = p.files.file(fd)?;
        if !file.writable() {
            return Err(Errno::EBADF);
        }
        kcore::uaccess::check_user_range(buf, count as u64)?;
        Ok(match file.device() {
            Some(dev::NULL | dev::ZERO) => Quick::Done(count as u64),
            _ => Quick::File(file.clone()),
        })
    })?;
    let file = match quick {
        Quick::Done(n) => return Ok(n),
        Quick::File(file) => file,
    };
    let mut small = [0u8; SMALL];
    let mut large = alloc::vec::Vec::new();
    let kbuf: &mut [u8] = if count <= SMALL {
        &mut small[..count]
    } else {
        large.resize(count.min(CHUNK), 0);
        &mut large
    };
    let mut done = 0;
    while done < count {
        let n = (count - done).min(CHUNK);
        let at = buf + done as u64;
        if let Err(e) = with_current(|p| uaccess::copy_from_user(p.mm(), &mut kbuf[..n], at)) {
            return partial(done, e);
        }
        match file.write(&kbuf[..n]) {
            Ok(written) => done += written,
            Err(e) => return partial(done, e),
        }
    }
    Ok(done as u64)
}

/// The directory a relative path starts from.
pub(super) fn start_dir(dirfd: i32) -> KResult<Ino> {
    if dirfd == AT_FDCWD {
        return Ok(with_current(|p| p.cwd));
    }
    match file(dirfd)?.target {
        Target::Node(ino)
            if crate::fs::with_tree(|t| matches!(t.node(ino).kind, NodeKind::Dir(_))) =>
        {
            Ok(ino)
        }
        _ => Err(Errno::ENOTDIR),
    }
}

/// Where `path`, given with `dirfd`, starts: `dirfd` is only looked at
/// for a relative path (an absolute one ignores it, even a bad one, as on
/// Linux; an empty one fails later with ENOENT).
pub(super) fn start_for(dirfd: i32, path: &[u8]) -> KResult<Ino> {
    match path.first() {
        None | Some(b'/') => Ok(ROOT),
        Some(_) => start_dir(dirfd),
    }
}

/// Reads a path argument: EFAULT for a bad pointer, ENAMETOOLONG from
/// PATH_MAX bytes on (the NUL must fit in PATH_MAX).
pub(super) fn read_path(ptr: u64) -> KResult<alloc::vec::Vec<u8>> {
    with_current(|p| uaccess::read_cstr(p.mm(), ptr, kcore::path::PATH_MAX - 1))
}

fn do_open(dirfd: i32, path_ptr: u64, flags: u32, mode: u32) -> KResult<u64> {
    let path = read_path(path_ptr)?;
    let start = start_for(dirfd, &path)?;
    let umask = super::umask::current();
    let file = crate::fs::with_tree(|t| {
        let ino = t.open(start, &path, flags, mode & !umask)?;
        if let NodeKind::CharDev(rdev) = t.node(ino).kind
            && !dev::has_driver(rdev)
        {
            return Err(Errno::ENXIO);
        }
        Ok(OpenFile::node(t, ino, flags))
    })?;
    // If the table is full, the description is dropped outside the tree lock.
    with_current(|p| p.files.add(Arc::new(file), flags & O_CLOEXEC != 0)).map(|fd| fd as u64)
}

pub fn open(f: &mut TrapFrame) -> KResult<u64> {
    do_open(AT_FDCWD, f.arg(0), f.arg(1) as u32, f.arg(2) as u32)
}

pub fn openat(f: &mut TrapFrame) -> KResult<u64> {
    do_open(f.arg(0) as i32, f.arg(1), f.arg(2) as u32, f.arg(3) as u32)
}

pub fn close(f: &mut TrapFrame) -> KResult<u64> {
    with_current(|p| p.files.close(f.arg(0) as i32)).map(|()| 0)
}

/// `fstat`: under one look at the process, with the file borrowed from
/// the descriptor table (the file tree's lock may be taken inside the
/// table's).
pub fn fstat(f: &mut TrapFrame) -> KResult<u64> {
    with_current(|p| {
        let st = stat::of(&p.files.file(f.arg(0) as i32)?.target);
        uaccess::copy_to_user(p.mm(), f.arg(1), stat::as_bytes(&st))
    })
    .map(|()| 0)
}

pub fn lseek(f: &mut TrapFrame) -> KResult<u64> {
    file(f.arg(0) as i32)?.seek(f.arg(1) as i64, f.arg(2) as u32)
}

/// The most bytes one `writev` gathers (Linux caps a transfer just below 2 GiB;
/// we cap lower to bound the kernel buffer, and report a short write).
const WRITEV_MAX: usize = 16 * 1024 * 1024;

/// The iovec array of `readv`/`writev`, copied into the kernel in one
/// piece and decoded from that copy (S-B1: the process cannot change an
/// entry between its check and its use; S-A1: more than 1024 is EINVAL).
fn copy_in_iovecs(iov_ptr: u64, iovcnt: u64) -> KResult<(alloc::vec::Vec<iovec::IoVec>, u64)> {
    let mut raw = vec![0u8; iovec::array_bytes(iovcnt)?];
    with_current(|p| uaccess::copy_from_user(p.mm(), &mut raw, iov_ptr))?;
    iovec::decode(&raw)
}

/// `writev(fd, iov, iovcnt)`. The iovec array is copied into the kernel in
/// one piece before any entry is looked at (finding S-B1: no double fetch),
/// `iovcnt > 1024` is EINVAL (S-A1), and the gathered bytes reach the file
/// in one write, so no other writer's data lands in between (U-B2). A bad
/// buffer anywhere is EFAULT with nothing written.
pub fn writev(f: &mut TrapFrame) -> KResult<u64> {
    let (fd, iov_ptr, iovcnt) = (f.arg(0) as i32, f.arg(1), f.arg(2));
    let file = file(fd)?;
    if !file.writable() {
        return Err(Errno::EBADF);
    }
    // Every length is checked before any data moves.
    let (iovecs, total) = copy_in_iovecs(iov_ptr, iovcnt)?;
    let mut gathered = alloc::vec::Vec::with_capacity((total as usize).min(WRITEV_MAX));
    for &iovec::IoVec { base, len } in &iovecs {
        let take = (len as usize).min(WRITEV_MAX - gathered.len());
        let start = gathered.len();
        gathered.resize(start + take, 0);
        // A bad buffer anywhere fails the whole call before anything is
        // written, as Linux does for ttys and pipes.
        with_current(|p| uaccess::copy_from_user(p.mm(), &mut gathered[start..], base))?;
        if gathered.len() == WRITEV_MAX {
            break;
        }
    }
    file.write(&gathered).map(|n| n as u64)
}

/// `readv(fd, iov, iovcnt)`: the iovec array is copied in whole before any
/// entry is looked at (S-B1), `iovcnt > 1024` is EINVAL (S-A1), every
/// buffer is checked writable before anything is read (a bad one is EFAULT
/// with no data consumed), then one read fills the buffers in order (U-B1).
pub fn readv(f: &mut TrapFrame) -> KResult<u64> {
    let (fd, iov_ptr, iovcnt) = (f.arg(0) as i32, f.arg(1), f.arg(2));
    let file = file(fd)?;
    if !file.readable() {
        return Err(Errno::EBADF);
    }
    let (iovecs, total) = copy_in_iovecs(iov_ptr, iovcnt)?;
    let want = (total as usize).min(WRITEV_MAX);
    let mut left = want;
    for &iovec::IoVec { base, len } in &iovecs {
        let take = (len as usize).min(left);
        kcore::uaccess::check_user_range(base, take as u64)?;
        with_current(|p| p.mm().prepare(base, take as u64, Access::Write))?;
        left -= take;
    }
    let mut kbuf = vec![0u8; want];
    let n = file.read(&mut kbuf)?;
    let mut done = 0;
    for &iovec::IoVec { base, len } in &iovecs {
        if done == n {
            break;
        }
        let take = (len as usize).min(n - done);
        with_current(|p| uaccess::copy_to_user(p.mm(), base, &kbuf[done..done + take]))?;
        done += take;
    }
    Ok(n as u64)
}

/// The offset of `pread64`/`pwrite64`: a negative one is EINVAL.
fn position(raw: u64) -> KResult<u64> {
    if (raw as i64) < 0 {
        Err(Errno::EINVAL)
    } else {
        Ok(raw)
    }
}

/// `pread64(fd, buf, count, offset)`: reads at `offset` without moving the
/// file offset; pipes and the console are ESPIPE.
pub fn pread64(f: &mut TrapFrame) -> KResult<u64> {
    let (fd, buf, count) = (f.arg(0) as i32, f.arg(1), f.arg(2) as usize);
    let file = file(fd)?;
    if !file.readable() {
        return Err(Errno::EBADF);
    }
    if !matches!(file.target, Target::Node(_)) {
        return Err(Errno::ESPIPE);
    }
    let at = position(f.arg(3))?;
    kcore::uaccess::check_user_range(buf, count as u64)?;
    let mut kbuf = vec![0u8; count.min(CHUNK)];
    let n = file.read_at(&mut kbuf, at)?;
    if n == 0 {
        return Ok(0);
    }
    // As Linux on a file: the bytes up to a bad page, EFAULT if none.
    let copied = with_current(|p| uaccess::copy_to_user_prefix(p.mm(), buf, &kbuf[..n]));
    partial(copied, Errno::EFAULT)
}

/// `pwrite64(fd, buf, count, offset)`: writes at `offset` without moving
/// the file offset; pipes and the console are ESPIPE.
pub fn pwrite64(f: &mut TrapFrame) -> KResult<u64> {
    let (fd, buf, count) = (f.arg(0) as i32, f.arg(1), f.arg(2) as usize);
    let file = file(fd)?;
    if !file.writable() {
        return Err(Errno::EBADF);
    }
    if !matches!(file.target, Target::Node(_)) {
        return Err(Errno::ESPIPE);
    }
    let at = position(f.arg(3))?;
    if count == 0 {
        return file.write_at(&[], at).map(|n| n as u64);
    }
    kcore::uaccess::check_user_range(buf, count as u64)?;
    let mut kbuf = vec![0u8; count.min(WRITEV_MAX)];
    // As Linux on a file: the bytes up to a bad page, EFAULT if none.
    let got = with_current(|p| uaccess::copy_from_user_prefix(p.mm(), &mut kbuf, buf));
    if got == 0 {
        return Err(Errno::EFAULT);
    }
    file.write_at(&kbuf[..got], at).map(|n| n as u64)
}
