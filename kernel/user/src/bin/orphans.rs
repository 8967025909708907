//! `orphans`: a process whose parent exits is handed to init, which can
//! wait for it like one of its own children and gets its exit status. Two
//! cases: a grandchild still running when its parent exits (collected with
//! `wait4(-1)`), and one that has already exited, a zombie, when its parent
//! exits without waiting for it (collected with `wait4(pid)`).
//!
//! On vibix this program is init. On Linux it is an ordinary process, so it
//! first makes itself the "child subreaper" (`prctl(PR_SET_CHILD_SUBREAPER)`)
//! and plays init's part for its own descendants. vibix has no `prctl`, and
//! needs none: init is the only reaper there. Pids differ between the two
//! systems, so they are compared, never printed.

#![no_std]
#![no_main]

use vrt::check_eq;
use vrt::children::{Ended, decode, spawn, wait4};
use vrt::errno::Errno;
use vrt::fs::close;
use vrt::io::{read, write};
use vrt::pipes::pipe2;
use vrt::syscall::syscall2;

vrt::entry!(main);

/// The auxiliary-vector entry of Linux's vDSO; vibix has no vDSO.
const AT_SYSINFO_EHDR: usize = 33;
const PR_SET_CHILD_SUBREAPER: usize = 36;

const MIDDLE_STATUS: i32 = 7;
const GRANDCHILD_STATUS: i32 = 42;

/// Reads until end of file: returns once every write end is closed.
fn until_eof(fd: i32) -> bool {
    let mut b = [0u8; 8];
    loop {
        match read(fd, &mut b) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(_) => return false,
        }
    }
}

/// Reads the pid the middle process sends (4 bytes).
fn receive_pid(fd: i32) -> i32 {
    let mut b = [0u8; 4];
    check_eq!(
        read(fd, &mut b),
        Ok(4),
        "the middle process sent the grandchild's pid"
    );
    i32::from_le_bytes(b)
}

/// The middle process forks a grandchild and exits at once; the grandchild
/// waits until its parent is gone (its end of a pipe closes), then exits.
/// Both are collected with `wait4(-1)`.
fn running_orphan() {
    let (pid_r, pid_w) = pipe2(0).expect("pipe2");
    let (gone_r, gone_w) = pipe2(0).expect("pipe2");
    let middle = spawn(|| {
        let grandchild = spawn(|| {
            // Only the middle process keeps a write end open: end of file
            // means it has exited and this process is an orphan.
            let _ = close(gone_w);
            if until_eof(gone_r) {
                GRANDCHILD_STATUS
            } else {
                1
            }
        });
        if write(pid_w, &grandchild.to_le_bytes()) != Ok(4) {
            return 1;
        }
        MIDDLE_STATUS
    });
    let _ = close(gone_w);
    let _ = close(gone_r);
    let grandchild = receive_pid(pid_r);
    let mut reaped = [wait4(-1, 0), wait4(-1, 0)];
    // The middle process first, whichever order they came in.
    reaped.sort_unstable_by_key(|r| !matches!(r, Ok((pid, _)) if *pid == middle));
    let decoded = reaped.map(|r| r.map(|(pid, status)| (pid, decode(status))));
    check_eq!(
        decoded[0],
        Ok((middle, Ended::Exited(MIDDLE_STATUS as u8))),
        "wait4(-1) reaps the middle process with its status"
    );
    check_eq!(
        decoded[1],
        Ok((grandchild, Ended::Exited(GRANDCHILD_STATUS as u8))),
        "wait4(-1) reaps the orphaned grandchild with its status"
    );
    check_eq!(wait4(-1, 0), Err(Errno::ECHILD), "no child is left");
    let _ = close(pid_r);
    let _ = close(pid_w);
}

/// The grandchild exits first; the middle process sees it go (end of file
/// on a pipe only the grandchild writes to), does not wait for it, and
/// exits. The zombie grandchild passes to init, which waits for it by pid.
fn zombie_orphan() {
    let (pid_r, pid_w) = pipe2(0).expect("pipe2");
    let middle = spawn(|| {
        let (dead_r, dead_w) = match pipe2(0) {
            Ok(fds) => fds,
            Err(_) => return 1,
        };
        let grandchild = spawn(|| GRANDCHILD_STATUS + 1);
        let _ = close(dead_w);
        // The grandchild's exit closed the last write end.
        if !until_eof(dead_r) || write(pid_w, &grandchild.to_le_bytes()) != Ok(4) {
            return 1;
        }
        MIDDLE_STATUS + 1
    });
    let grandchild = receive_pid(pid_r);
    let status = |r: Result<(i32, u32), Errno>| r.map(|(pid, s)| (pid, decode(s)));
    check_eq!(
        status(wait4(middle, 0)),
        Ok((middle, Ended::Exited(MIDDLE_STATUS as u8 + 1))),
        "wait4 reaps the middle process, which left a zombie child"
    );
    check_eq!(
        status(wait4(grandchild, 0)),
        Ok((grandchild, Ended::Exited(GRANDCHILD_STATUS as u8 + 1))),
        "wait4(pid) reaps the zombie orphan with its status"
    );
    check_eq!(wait4(-1, 0), Err(Errno::ECHILD), "no child is left");
    let _ = close(pid_r);
    let _ = close(pid_w);
}

fn main(args: &vrt::Args) -> i32 {
    if args.auxv(AT_SYSINFO_EHDR).is_some() {
        // Linux, where this is not init: adopt orphaned descendants.
        // SAFETY: prctl with this option reads no memory of ours.
        let ret = unsafe { syscall2(vrt::nr::PRCTL, PR_SET_CHILD_SUBREAPER, 1) };
        // Silent when it works: the output must be the same as on vibix.
        if ret != 0 {
            vrt::check::fail(
                format_args!("prctl(PR_SET_CHILD_SUBREAPER)"),
                format_args!("returned {ret}"),
            );
        }
    }
    running_orphan();
    zombie_orphan();
    vrt::check::all_passed();
    0
}
