//! `signals`: a handler runs (entered with the signal number, left through
//! the `sa_restorer` and `rt_sigreturn`) and the program carries on where it
//! was; a blocked signal waits until it is unblocked; a signal ends a
//! blocking read with EINTR; SIG_IGN ignores.

#![no_std]
#![no_main]

use core::sync::atomic::{AtomicU32, Ordering};
use vrt::children::{Ended, Fork, WNOHANG, decode, fork, wait4};
use vrt::errno::Errno;
use vrt::fs::close;
use vrt::io::{read, write};
use vrt::nr;
use vrt::pipes::{SIGPIPE, kill, pipe2};
use vrt::process::exit;
use vrt::signal::SIGUSR1;
use vrt::syscall::syscall4;
use vrt::uapi::signal::{SIG_BLOCK, SIG_UNBLOCK, SigSet};
use vrt::{check, check_eq};

vrt::entry!(main);

static CAUGHT: AtomicU32 = AtomicU32::new(0);
static LAST: AtomicU32 = AtomicU32::new(0);

extern "C" fn handler(sig: i32) {
    CAUGHT.fetch_add(1, Ordering::SeqCst);
    LAST.store(sig as u32, Ordering::SeqCst);
}

fn catch(sig: i32) -> Result<usize, Errno> {
    vrt::signal::catch(sig, handler as *const () as usize)
}

fn sigprocmask(how: i32, sig: i32) -> Result<usize, Errno> {
    let set: SigSet = 1 << (sig - 1);
    // SAFETY: the kernel reads one signal set.
    Errno::from_ret(unsafe {
        syscall4(
            nr::RT_SIGPROCMASK,
            how as usize,
            &raw const set as usize,
            0,
            size_of::<SigSet>(),
        )
    })
}

fn main(_args: &vrt::Args) -> i32 {
    let (r, w) = pipe2(0).expect("pipe2");
    let _ = close(r);
    check_eq!(catch(SIGPIPE), Ok(0), "install a SIGPIPE handler");
    let mut kept = [0u64; 8];
    for (i, k) in kept.iter_mut().enumerate() {
        *k = core::hint::black_box(i as u64 * 0x0101_0101);
    }
    check_eq!(
        write(w, b"x"),
        Err(Errno::EPIPE),
        "a write without readers -> EPIPE"
    );
    check_eq!(CAUGHT.load(Ordering::SeqCst), 1, "and the handler ran once");
    check_eq!(
        LAST.load(Ordering::SeqCst),
        SIGPIPE as u32,
        "with the signal number as its argument"
    );
    check!(
        kept.iter()
            .enumerate()
            .all(|(i, &k)| k == i as u64 * 0x0101_0101),
        "the program's state is intact"
    );

    check_eq!(sigprocmask(SIG_BLOCK, SIGPIPE), Ok(0), "block SIGPIPE");
    check_eq!(
        write(w, b"x"),
        Err(Errno::EPIPE),
        "a blocked SIGPIPE: still EPIPE"
    );
    check_eq!(CAUGHT.load(Ordering::SeqCst), 1, "but no handler yet");
    check_eq!(sigprocmask(SIG_UNBLOCK, SIGPIPE), Ok(0), "unblock it");
    check_eq!(
        CAUGHT.load(Ordering::SeqCst),
        2,
        "and the pending signal is handled"
    );
    let _ = close(w);

    let (ready_r, ready_w) = pipe2(0).expect("pipe2");
    let (block_r, block_w) = pipe2(0).expect("pipe2");
    match fork() {
        Ok(Fork::Child) => {
            let _ = catch(SIGUSR1);
            let _ = write(ready_w, b"!");
            let mut buf = [0u8; 1];
            match read(block_r, &mut buf) {
                Err(Errno::EINTR) => exit(0),
                _ => exit(1),
            }
        }
        Ok(Fork::Parent { child }) => {
            let mut buf = [0u8; 1];
            let _ = read(ready_r, &mut buf);
            let mut ended = None;
            for _ in 0..1000 {
                let _ = kill(child, SIGUSR1);
                if let Ok((pid, status)) = wait4(child, WNOHANG)
                    && pid == child
                {
                    ended = Some(decode(status));
                    break;
                }
                for i in 0..200_000u32 {
                    core::hint::black_box(i);
                }
            }
            check_eq!(
                ended,
                Some(Ended::Exited(0)),
                "a signal ends a blocked read with EINTR"
            );
        }
        Err(e) => vrt::check::fail(format_args!("fork"), format_args!("{e:?}")),
    }
    for fd in [ready_r, ready_w, block_r, block_w] {
        let _ = close(fd);
    }
    vrt::check::all_passed();
    0
}
