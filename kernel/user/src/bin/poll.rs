//! `poll`: readiness of pipe ends (POLLIN, POLLOUT, POLLHUP, POLLERR),
//! POLLNVAL for a closed descriptor, negative fds skipped, and a timeout
//! that ends a wait on an empty pipe.

#![no_std]
#![no_main]

use vrt::check_eq;
use vrt::errno::Errno;
use vrt::fs::close;
use vrt::io::write;
use vrt::pipes::pipe2;
use vrt::syscall::syscall3;

vrt::entry!(main);

const POLLIN: i16 = 0x1;
const POLLOUT: i16 = 0x4;
const POLLERR: i16 = 0x8;
const POLLHUP: i16 = 0x10;
const POLLNVAL: i16 = 0x20;

#[repr(C)]
#[derive(Clone, Copy)]
struct PollFd {
    fd: i32,
    events: i16,
    revents: i16,
}

fn poll(fds: &mut [PollFd], timeout_ms: i32) -> Result<usize, Errno> {
    // SAFETY: the kernel reads and writes `fds.len()` pollfd entries.
    Errno::from_ret(unsafe {
        syscall3(
            vrt::nr::POLL,
            fds.as_mut_ptr() as usize,
            fds.len(),
            timeout_ms as usize,
        )
    })
}

fn one(fd: i32, events: i16, timeout_ms: i32) -> (Result<usize, Errno>, i16) {
    let mut fds = [PollFd {
        fd,
        events,
        revents: 0,
    }];
    let n = poll(&mut fds, timeout_ms);
    (n, fds[0].revents)
}

fn main(_args: &vrt::Args) -> i32 {
    let (r, w) = pipe2(0).expect("pipe2");
    check_eq!(
        one(r, POLLIN, 0),
        (Ok(0), 0),
        "an empty pipe is not readable (timeout 0)"
    );
    check_eq!(
        one(r, POLLIN, 30),
        (Ok(0), 0),
        "a 30 ms timeout ends the wait on an empty pipe"
    );
    check_eq!(
        one(w, POLLOUT, -1),
        (Ok(1), POLLOUT),
        "an empty pipe is writable"
    );
    check_eq!(write(w, b"data"), Ok(4), "write 4 bytes");
    check_eq!(one(r, POLLIN, -1), (Ok(1), POLLIN), "now it is readable");
    let mut both = [
        PollFd {
            fd: r,
            events: POLLIN,
            revents: 0,
        },
        PollFd {
            fd: -1,
            events: POLLIN,
            revents: 7,
        },
    ];
    check_eq!(poll(&mut both, 0), Ok(1), "a negative fd is skipped");
    check_eq!(both[1].revents, 0, "and its revents is cleared");
    let _ = close(w);
    check_eq!(
        one(r, POLLIN, -1),
        (Ok(1), POLLIN | POLLHUP),
        "data plus hang-up after the writer closes"
    );
    let (r2, w2) = pipe2(0).expect("pipe2");
    let _ = close(r2);
    check_eq!(
        one(w2, POLLOUT, 0),
        (Ok(1), POLLOUT | POLLERR),
        "a write end without readers reports POLLERR"
    );
    let _ = close(w2);
    check_eq!(
        one(w2, POLLIN, 0),
        (Ok(1), POLLNVAL),
        "a closed fd reports POLLNVAL"
    );
    let _ = close(r);
    vrt::check::all_passed();
    0
}
