//! `nix` on vibix: files, processes, pipes and signals through the safe
//! Unix API most Rust crates use, compared with the same program on Linux.
//! Nothing printed depends on process ids or timing.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicI32, Ordering};

use nix::errno::Errno;
use nix::fcntl::{OFlag, open};
use nix::sys::signal::{self, SaFlags, SigAction, SigHandler, SigSet, Signal};
use nix::sys::stat::{Mode, fstat};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{
    ForkResult, Whence, close, fork, getpid, getppid, lseek, pipe, read, unlink, write,
};

static CAUGHT: AtomicI32 = AtomicI32::new(0);

extern "C" fn on_signal(sig: i32) {
    CAUGHT.store(sig, Ordering::SeqCst);
}

fn files() {
    let path = "/tmp/nix-posix.txt";
    let raw = open(
        path,
        OFlag::O_CREAT | OFlag::O_TRUNC | OFlag::O_RDWR,
        Mode::from_bits_truncate(0o600),
    )
    .unwrap();
    // SAFETY: `open` just made `raw`; nothing else owns it.
    let fd = unsafe { OwnedFd::from_raw_fd(raw) };
    println!("write: {:?}", write(&fd, b"nix writes this"));
    println!("lseek: {:?}", lseek(fd.as_raw_fd(), 4, Whence::SeekSet));
    let mut buf = [0u8; 32];
    let n = read(fd.as_raw_fd(), &mut buf).unwrap();
    println!("read: {n} {:?}", String::from_utf8_lossy(&buf[..n]));
    let st = fstat(fd.as_raw_fd()).unwrap();
    println!("fstat: size {} mode {:o}", st.st_size, st.st_mode & 0o777);
    drop(fd);
    println!("unlink: {:?}", unlink(path));
    println!(
        "open missing: {:?}",
        open("/tmp/nix-missing/x", OFlag::O_RDONLY, Mode::empty()).map(drop)
    );
    println!("unlink missing: {:?}", unlink("/tmp/nix-missing"));
}

fn processes() {
    let (reader, writer) = pipe().unwrap();
    // SAFETY: the child only writes to the pipe and exits.
    match unsafe { fork() }.unwrap() {
        ForkResult::Child => {
            drop(reader);
            let ok = getppid() != getpid();
            let _ = write(
                &writer,
                if ok {
                    b"child says hi"
                } else {
                    b"child is lost"
                },
            );
            // SAFETY: `_exit` ends the child at once, as after fork it should.
            unsafe { libc::_exit(7) };
        }
        ForkResult::Parent { child } => {
            drop(writer);
            let mut buf = [0u8; 32];
            let n = read(reader.as_raw_fd(), &mut buf).unwrap();
            println!("from child: {:?}", String::from_utf8_lossy(&buf[..n]));
            match waitpid(child, None).unwrap() {
                WaitStatus::Exited(pid, code) => {
                    println!("child exited: {code} (same pid {})", pid == child)
                }
                other => println!("child: {other:?}"),
            }
        }
    }
    // A child killed by a signal.
    // SAFETY: the child only waits to be killed.
    match unsafe { fork() }.unwrap() {
        ForkResult::Child => loop {
            std::thread::sleep(std::time::Duration::from_millis(10));
        },
        ForkResult::Parent { child } => {
            signal::kill(child, Signal::SIGTERM).unwrap();
            match waitpid(child, None).unwrap() {
                WaitStatus::Signaled(_, sig, core) => println!("child killed: {sig:?} core {core}"),
                other => println!("child: {other:?}"),
            }
        }
    }
    println!("waitpid with no child: {:?}", waitpid(None, None).map(drop));
}

fn signals() {
    let action = SigAction::new(
        SigHandler::Handler(on_signal),
        SaFlags::empty(),
        SigSet::empty(),
    );
    // SAFETY: the handler only stores to an atomic.
    unsafe { signal::sigaction(Signal::SIGUSR1, &action) }.unwrap();
    signal::raise(Signal::SIGUSR1).unwrap();
    println!(
        "caught: {:?}",
        Signal::try_from(CAUGHT.load(Ordering::SeqCst))
    );
    let mut set = SigSet::empty();
    set.add(Signal::SIGUSR2);
    signal::sigprocmask(signal::SigmaskHow::SIG_BLOCK, Some(&set), None).unwrap();
    let mut old = SigSet::empty();
    signal::sigprocmask(signal::SigmaskHow::SIG_UNBLOCK, Some(&set), Some(&mut old)).unwrap();
    println!("SIGUSR2 was blocked: {}", old.contains(Signal::SIGUSR2));
    // SAFETY: `kill` with an invalid signal number only fails.
    let r = unsafe { libc::kill(getpid().as_raw(), 999) };
    println!("kill with a bad signal: {:?}", Errno::result(r).map(drop));
}

fn main() {
    files();
    processes();
    signals();
    let _ = close(-1);
    println!("ok: all checks passed");
}
