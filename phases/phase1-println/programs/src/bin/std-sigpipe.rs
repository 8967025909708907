//! std ignores SIGPIPE before `main`, on Linux and on vibix: a write to a
//! pipe whose read end is closed fails with EPIPE (std's `BrokenPipe`)
//! instead of killing the program. This phase's std has no pipes, so the
//! program makes one with raw Linux system calls, through the ABI crate
//! (`vibix_uapi`), which works the same on both systems.

use vibix_uapi::errno::Errno;
use vibix_uapi::nr;
use vibix_uapi::signal::{SIG_IGN, SIGPIPE, SigAction, SigSet};
use vibix_uapi::syscall::{syscall1, syscall2, syscall3, syscall4};

fn main() {
    let mut old = SigAction::default();
    // SAFETY: a null new action only reads the current one into `old`,
    // a `struct sigaction` the kernel may write.
    let ret = unsafe {
        syscall4(
            nr::RT_SIGACTION,
            SIGPIPE as usize,
            0,
            &raw mut old as usize,
            size_of::<SigSet>(),
        )
    };
    Errno::from_ret(ret).expect("rt_sigaction");
    let ignored = old.sa_handler == SIG_IGN;
    println!(
        "SIGPIPE at the start of main: {}",
        if ignored { "ignored" } else { "not ignored" }
    );

    let mut fds = [0i32; 2];
    // SAFETY: `pipe2` writes two descriptors into `fds`.
    let ret = unsafe { syscall2(nr::PIPE2, fds.as_mut_ptr() as usize, 0) };
    Errno::from_ret(ret).expect("pipe2");
    // SAFETY: closing our own read end.
    Errno::from_ret(unsafe { syscall1(nr::CLOSE, fds[0] as usize) }).expect("close");
    // SAFETY: `write` reads one byte of a live buffer.
    let ret = unsafe { syscall3(nr::WRITE, fds[1] as usize, b"x".as_ptr() as usize, 1) };
    match Errno::from_ret(ret) {
        Ok(n) => println!("write to a pipe nobody reads: {n} bytes?"),
        Err(e) => {
            let err = std::io::Error::from_raw_os_error(e.raw());
            println!("write to a pipe nobody reads: {err} / {:?}", err.kind());
        }
    }
}
