//! `pipes`: a 1 MiB transfer between two processes, verified by checksum;
//! end-of-file; SIGPIPE and EPIPE; O_NONBLOCK; dup2 and fcntl; O_CLOEXEC
//! across execve (finding U-A4); kill of a blocked child and of a busy one
//! (which only works because the parent keeps running: preemption).

#![no_std]
#![no_main]

use vrt::children::{Ended, execve, reap, spawn};
use vrt::errno::Errno;
use vrt::fs::close;
use vrt::io::{read, write};
use vrt::pipes::*;
use vrt::{check, check_eq};

vrt::entry!(main);

const TOTAL: usize = 1 << 20;

fn byte_at(i: usize) -> u8 {
    (i.wrapping_mul(31) ^ (i >> 9)) as u8
}

/// A checksum that notices reordered, lost or repeated bytes.
fn mix(sum: u64, i: usize, b: u8) -> u64 {
    sum.wrapping_mul(1_099_511_628_211)
        .wrapping_add(u64::from(b) ^ i as u64)
}

fn transfer() {
    let (r, w) = pipe2(0).expect("pipe2");
    let writer = spawn(|| {
        let _ = close(r);
        let mut chunk = [0u8; 4000];
        let mut sent = 0;
        while sent < TOTAL {
            let n = chunk.len().min(TOTAL - sent);
            for (k, b) in chunk[..n].iter_mut().enumerate() {
                *b = byte_at(sent + k);
            }
            if write(w, &chunk[..n]) != Ok(n) {
                return 1;
            }
            sent += n;
        }
        0
    });
    let _ = close(w);
    let (mut got, mut sum, mut buf) = (0usize, 0u64, [0u8; 3000]);
    loop {
        match read(r, &mut buf) {
            Ok(0) => break,
            Ok(n) => {
                for &b in &buf[..n] {
                    sum = mix(sum, got, b);
                    got += 1;
                }
            }
            Err(e) => vrt::check::fail(format_args!("read"), format_args!("{e:?}")),
        }
    }
    let expected = (0..TOTAL).fold(0u64, |s, i| mix(s, i, byte_at(i)));
    check_eq!(got, TOTAL, "1 MiB arrives through the pipe");
    check_eq!(sum, expected, "and its checksum matches");
    check_eq!(reap(writer), Ended::Exited(0), "the writer exits 0");
    let _ = close(r);
}

fn broken_pipe() {
    let (r, w) = pipe2(0).expect("pipe2");
    let _ = close(r);
    let child = spawn(|| {
        let _ = write(w, b"x");
        2
    });
    check_eq!(
        reap(child),
        Ended::Killed(13),
        "writing to a pipe without readers kills with SIGPIPE"
    );
    check_eq!(
        set_disposition(SIGPIPE, SIG_IGN),
        Ok(0),
        "SIGPIPE can be ignored"
    );
    check_eq!(
        write(w, b"x"),
        Err(Errno::EPIPE),
        "then the write fails with EPIPE"
    );
    let _ = close(w);
}

fn descriptors() {
    let (r, w) = pipe2(O_NONBLOCK).expect("pipe2");
    let mut buf = [0u8; 8];
    check_eq!(
        read(r, &mut buf),
        Err(Errno::EAGAIN),
        "reading an empty O_NONBLOCK pipe -> EAGAIN"
    );
    check_eq!(dup2(w, 10), Ok(10), "dup2 to fd 10");
    check_eq!(
        write(10, b"via 10"),
        Ok(6),
        "fd 10 writes into the same pipe"
    );
    check_eq!(read(r, &mut buf), Ok(6), "and the read end sees it");
    let _ = close(w);
    let _ = close(10);
    check_eq!(
        read(r, &mut buf),
        Ok(0),
        "with every write end closed, read returns 0 (EOF)"
    );
    check_eq!(
        fcntl(r, F_GETFD, 0),
        Ok(0),
        "F_GETFD of a plain descriptor is 0"
    );
    let high = fcntl(r, F_DUPFD_CLOEXEC, 20);
    check_eq!(
        high,
        Ok(20),
        "F_DUPFD_CLOEXEC picks the lowest free fd >= 20"
    );
    check_eq!(fcntl(20, F_GETFD, 0), Ok(1), "and sets FD_CLOEXEC on it");
    check_eq!(
        fcntl(99, F_GETFD, 0),
        Err(Errno::EBADF),
        "fcntl on a closed fd -> EBADF"
    );
    let _ = close(r);
    let _ = close(20);
}

fn cloexec_across_exec() {
    let (r, w) = pipe2(O_CLOEXEC).expect("pipe2");
    let (r2, w2) = pipe2(0).expect("pipe2");
    let run = |fd: &'static core::ffi::CStr, state: &'static core::ffi::CStr| {
        spawn(move || {
            execve(c"bin/fdcheck", &[c"fdcheck", fd, state], &[]);
            3
        })
    };
    let names = [c"3", c"4", c"5", c"6"];
    let name = |fd: i32| names[(fd - 3) as usize];
    check_eq!(
        reap(run(name(r), c"closed")),
        Ended::Exited(0),
        "an O_CLOEXEC fd is closed in the exec'd program"
    );
    check_eq!(
        reap(run(name(r2), c"open")),
        Ended::Exited(0),
        "a plain fd stays open across execve"
    );
    for fd in [r, w, r2, w2] {
        let _ = close(fd);
    }
}

fn kills() {
    let (r, w) = pipe2(0).expect("pipe2");
    let blocked = spawn(|| {
        let mut buf = [0u8; 1];
        let _ = read(r, &mut buf);
        4
    });
    let busy = spawn(|| {
        loop {
            core::hint::spin_loop();
        }
    });
    // Both children are running or blocked; the parent still gets the CPU.
    check!(true, "the parent keeps running beside a busy child");
    check_eq!(
        kill(blocked, SIGKILL),
        Ok(0),
        "kill a child blocked on a pipe"
    );
    check_eq!(reap(blocked), Ended::Killed(9), "it dies of SIGKILL");
    check_eq!(
        kill(busy, SIGKILL),
        Ok(0),
        "kill a child spinning in user mode"
    );
    check_eq!(reap(busy), Ended::Killed(9), "it dies of SIGKILL");
    let _ = close(r);
    let _ = close(w);
}

fn main(_args: &vrt::Args) -> i32 {
    transfer();
    broken_pipe();
    descriptors();
    cloexec_across_exec();
    kills();
    vrt::check::all_passed();
    0
}
