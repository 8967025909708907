//! `noentropy`: on a CPU without RDSEED and RDRAND (the runner takes them
//! away from QEMU's CPU for this test), `getrandom` never makes up bytes
//! (finding S-A1'): with GRND_NONBLOCK it fails with EAGAIN and leaves the
//! buffer alone; without it, it waits (a child blocked in it is still
//! blocked after a while, and SIGKILL ends it).

#![no_std]
#![no_main]

use vrt::children::{Ended, Fork, WNOHANG, decode, fork, wait4};
use vrt::errno::Errno;
use vrt::pipes::{SIGKILL, kill};
use vrt::process::exit;
use vrt::syscall::syscall3;
use vrt::{check, check_eq};

vrt::entry!(main);

const GETRANDOM: usize = vrt::nr::GETRANDOM;
const POLL: usize = vrt::nr::POLL;
const GRND_NONBLOCK: usize = vrt::uapi::random::GRND_NONBLOCK as usize;

fn getrandom(buf: &mut [u8], flags: usize) -> Result<usize, Errno> {
    // SAFETY: the kernel writes at most `buf.len()` bytes into `buf`, or fails.
    Errno::from_ret(unsafe { syscall3(GETRANDOM, buf.as_mut_ptr() as usize, buf.len(), flags) })
}

/// Sleeps `ms` milliseconds: a poll on no descriptors.
fn sleep_ms(ms: usize) {
    // SAFETY: with no descriptors the kernel reads no memory.
    let _ = unsafe { syscall3(POLL, 0, 0, ms) };
}

fn main(_args: &vrt::Args) -> i32 {
    let mut buf = [0x55u8; 32];
    check_eq!(
        getrandom(&mut buf, GRND_NONBLOCK),
        Err(Errno::EAGAIN),
        "GRND_NONBLOCK without entropy -> EAGAIN"
    );
    check!(
        buf.iter().all(|&b| b == 0x55),
        "and the buffer is untouched"
    );

    let child = match fork() {
        Ok(Fork::Child) => {
            // Blocks for good: there is no entropy to wait for.
            let got = getrandom(&mut buf, 0);
            vrt::println!("FAIL: a blocking getrandom returned {got:?}");
            exit(3);
        }
        Ok(Fork::Parent { child }) => child,
        Err(e) => vrt::check::fail(format_args!("fork"), format_args!("{e:?}")),
    };
    sleep_ms(300);
    check_eq!(
        wait4(child, WNOHANG).map(|(pid, _)| pid),
        Ok(0),
        "a blocking getrandom is still waiting after 300 ms"
    );
    check_eq!(kill(child, SIGKILL), Ok(0), "kill the waiting child");
    let ended = wait4(child, 0).map(|(_, status)| decode(status));
    check_eq!(ended, Ok(Ended::Killed(9)), "SIGKILL ends the wait");
    vrt::check::all_passed();
    0
}
