//! Descriptor syscalls: pipe, pipe2, dup, dup2, dup3, fcntl, ioctl.

use crate::arch::trap::TrapFrame;
use crate::fs::file::{O_CLOEXEC, O_NONBLOCK, O_RDONLY, O_WRONLY, OpenFile, Target};
use crate::proc::with_current;
use crate::uaccess;
use alloc::sync::Arc;
use kcore::errno::{Errno, KResult};

pub fn pipe(f: &mut TrapFrame) -> KResult<u64> {
    make_pipe(f.arg(0), 0)
}

pub fn pipe2(f: &mut TrapFrame) -> KResult<u64> {
    make_pipe(f.arg(0), f.arg(1) as u32)
}

fn make_pipe(fds_ptr: u64, flags: u32) -> KResult<u64> {
    if flags & !(O_CLOEXEC | O_NONBLOCK) != 0 {
        return Err(Errno::EINVAL);
    }
    let (r, w) = crate::fs::pipe::new();
    let status = flags & O_NONBLOCK;
    let read_end = Arc::new(OpenFile::new(Target::Pipe(Arc::new(r)), O_RDONLY | status));
    let write_end = Arc::new(OpenFile::new(Target::Pipe(Arc::new(w)), O_WRONLY | status));
    let cloexec = flags & O_CLOEXEC != 0;
    with_current(|p| {
        // Check the destination first, so a bad pointer leaks no descriptors.
        uaccess::copy_to_user(p.mm(), fds_ptr, &[0u8; 8])?;
        let rfd = p.files.add(read_end, cloexec)?;
        let wfd = match p.files.add(write_end, cloexec) {
            Ok(fd) => fd,
            Err(e) => {
                let _ = p.files.close(rfd as i32);
                return Err(e);
            }
        };
        let mut out = [0u8; 8];
        out[..4].copy_from_slice(&(rfd as i32).to_le_bytes());
        out[4..].copy_from_slice(&(wfd as i32).to_le_bytes());
        uaccess::copy_to_user(p.mm(), fds_ptr, &out).map(|()| 0)
    })
}

pub fn dup(f: &mut TrapFrame) -> KResult<u64> {
    with_current(|p| {
        let file = p.files.get(f.arg(0) as i32)?;
        p.files.add(file, false).map(|fd| fd as u64)
    })
}

pub fn dup2(f: &mut TrapFrame) -> KResult<u64> {
    let (old, new) = (f.arg(0) as i32, f.arg(1) as i32);
    with_current(|p| {
        let file = p.files.get(old)?;
        if old == new {
            return Ok(new as u64);
        }
        let new = usize::try_from(new).map_err(|_| Errno::EBADF)?;
        p.files.put(new, file, false).map(|()| new as u64)
    })
}

pub fn dup3(f: &mut TrapFrame) -> KResult<u64> {
    let (old, new, flags) = (f.arg(0) as i32, f.arg(1) as i32, f.arg(2) as u32);
    if old == new || flags & !O_CLOEXEC != 0 {
        return Err(Errno::EINVAL);
    }
    with_current(|p| {
        let file = p.files.get(old)?;
        let new = usize::try_from(new).map_err(|_| Errno::EBADF)?;
        p.files
            .put(new, file, flags & O_CLOEXEC != 0)
            .map(|()| new as u64)
    })
}

const F_DUPFD: u64 = vibix_uapi::fcntl::F_DUPFD as u64;
const F_GETFD: u64 = vibix_uapi::fcntl::F_GETFD as u64;
const F_SETFD: u64 = vibix_uapi::fcntl::F_SETFD as u64;
const F_GETFL: u64 = vibix_uapi::fcntl::F_GETFL as u64;
const F_SETFL: u64 = vibix_uapi::fcntl::F_SETFL as u64;
const F_DUPFD_CLOEXEC: u64 = vibix_uapi::fcntl::F_DUPFD_CLOEXEC as u64;
const FD_CLOEXEC: u64 = vibix_uapi::fcntl::FD_CLOEXEC as u64;

pub fn fcntl(f: &mut TrapFrame) -> KResult<u64> {
    let (fd, cmd, arg) = (f.arg(0) as i32, f.arg(1), f.arg(2));
    with_current(|p| {
        let file = p.files.get(fd)?;
        match cmd {
            F_DUPFD | F_DUPFD_CLOEXEC => {
                let min = usize::try_from(arg as i32).map_err(|_| Errno::EINVAL)?;
                p.files
                    .add_at_least(min, file, cmd == F_DUPFD_CLOEXEC)
                    .map(|fd| fd as u64)
            }
            F_GETFD => p.files.cloexec(fd).map(|c| if c { FD_CLOEXEC } else { 0 }),
            F_SETFD => p.files.set_cloexec(fd, arg & FD_CLOEXEC != 0).map(|()| 0),
            F_GETFL => Ok(u64::from(file.flags())),
            F_SETFL => {
                file.set_status_flags(arg as u32);
                Ok(0)
            }
            _ => Err(Errno::EINVAL),
        }
    })
}

const TCGETS: u64 = vibix_uapi::ioctl::TCGETS as u64;
const TIOCGWINSZ: u64 = vibix_uapi::ioctl::TIOCGWINSZ as u64;
use vibix_uapi::ioctl::{TERMIOS_SIZE, Winsize};

const FIONBIO: u64 = vibix_uapi::ioctl::FIONBIO as u64;
const FIOCLEX: u64 = vibix_uapi::ioctl::FIOCLEX as u64;
const FIONCLEX: u64 = vibix_uapi::ioctl::FIONCLEX as u64;

/// `ioctl`: every descriptor answers FIONBIO (its open file's
/// `O_NONBLOCK`, from the `int` at `arg`), FIOCLEX and FIONCLEX (its
/// close-on-exec flag), as on Linux; the console answers TIOCGWINSZ
/// (80x24) and TCGETS (so programs can tell it is a terminal); everything
/// else is ENOTTY.
pub fn ioctl(f: &mut TrapFrame) -> KResult<u64> {
    let (fd, request, arg) = (f.arg(0) as i32, f.arg(1), f.arg(2));
    let file = with_current(|p| p.files.get(fd))?;
    match request {
        FIONBIO => {
            let mut on = [0u8; 4];
            with_current(|p| uaccess::copy_from_user(p.mm(), &mut on, arg))?;
            let flags = file.flags();
            file.set_status_flags(if i32::from_le_bytes(on) != 0 {
                flags | O_NONBLOCK
            } else {
                flags & !O_NONBLOCK
            });
            return Ok(0);
        }
        FIOCLEX | FIONCLEX => {
            return with_current(|p| p.files.set_cloexec(fd, request == FIOCLEX)).map(|()| 0);
        }
        _ => {}
    }
    if !file.is_console() {
        return Err(Errno::ENOTTY);
    }
    match request {
        TIOCGWINSZ => {
            let ws = Winsize {
                ws_row: 24,
                ws_col: 80,
                ..Winsize::default()
            };
            // SAFETY: `Winsize` is `repr(C)`, four `u16` and no padding, so
            // all of its bytes are initialized.
            let ws = unsafe {
                core::slice::from_raw_parts((&raw const ws).cast::<u8>(), size_of::<Winsize>())
            };
            with_current(|p| uaccess::copy_to_user(p.mm(), arg, ws)).map(|()| 0)
        }
        TCGETS => {
            // A zeroed struct termios: a terminal in raw mode.
            with_current(|p| uaccess::copy_to_user(p.mm(), arg, &[0u8; TERMIOS_SIZE])).map(|()| 0)
        }
        _ => Err(Errno::ENOTTY),
    }
}
