//! `forkexec`: processes. A forked child's exit status (0, 1, 255) reaches
//! its parent through `wait4`; an exec'd program's status does too; a child
//! killed by a fault is reported as killed by SIGSEGV; exec of a missing or
//! non-ELF file fails with ENOENT / ENOEXEC in the child, which goes on.

#![no_std]
#![no_main]

use vrt::children::{Ended, Fork, WNOHANG, decode, execve, fork, wait4};
use vrt::errno::Errno;
use vrt::process::exit;
use vrt::{check, check_eq};

vrt::entry!(main);

/// Runs `child` in a forked process and returns how it ended.
fn run(child: impl FnOnce() -> i32) -> Ended {
    match fork() {
        Ok(Fork::Child) => exit(child()),
        Ok(Fork::Parent { child }) => match wait4(child, 0) {
            Ok((pid, status)) if pid == child => decode(status),
            other => vrt::check::fail(format_args!("wait4"), format_args!("{other:?}")),
        },
        Err(e) => vrt::check::fail(format_args!("fork"), format_args!("{e:?}")),
    }
}

fn exec_status(code: i32) -> i32 {
    match execve(c"bin/not-elf", &[c"not-elf"], &[]) {
        Errno::ENOEXEC => code,
        _ => 99,
    }
}

fn main(_args: &vrt::Args) -> i32 {
    for code in [0, 1, 255] {
        check_eq!(
            run(|| code),
            Ended::Exited(code as u8),
            "a child exiting with {code} is seen as exited({code})"
        );
    }
    let exec = || {
        let e = execve(c"bin/exit_code", &[c"exit_code", c"42"], &[]);
        vrt::println!("FAIL: execve: {e:?}");
        3
    };
    check_eq!(
        run(exec),
        Ended::Exited(42),
        "an exec'd program's exit status reaches the parent"
    );
    let segv = || {
        let e = execve(c"bin/segv", &[c"segv"], &[]);
        vrt::println!("FAIL: execve: {e:?}");
        3
    };
    check_eq!(
        run(segv),
        Ended::Killed(11),
        "a child killed by a fault is reported as SIGSEGV"
    );
    let missing = || match execve(c"bin/does-not-exist", &[c"x"], &[]) {
        Errno::ENOENT => 7,
        _ => 8,
    };
    check_eq!(
        run(missing),
        Ended::Exited(7),
        "execve of a missing file fails with ENOENT"
    );
    check_eq!(
        run(|| exec_status(9)),
        Ended::Exited(9),
        "execve of a non-ELF file fails with ENOEXEC"
    );

    check_eq!(
        wait4(-1, 0).map(|_| ()),
        Err(Errno::ECHILD),
        "wait4 with no children -> ECHILD"
    );
    match fork() {
        Ok(Fork::Child) => {
            // Stay alive a little, so the parent's WNOHANG finds us running.
            for i in 0..2_000_000u64 {
                core::hint::black_box(i);
            }
            exit(5)
        }
        Ok(Fork::Parent { child }) => {
            let now = wait4(child, WNOHANG);
            check!(
                matches!(now, Ok((0, _)) | Ok((_, 0x500))),
                "WNOHANG returns at once"
            );
            let later = if matches!(now, Ok((0, _))) {
                wait4(child, 0)
            } else {
                now
            };
            check_eq!(
                later.map(|(_, s)| decode(s)),
                Ok(Ended::Exited(5)),
                "the child is reaped later"
            );
        }
        Err(e) => vrt::check::fail(format_args!("fork"), format_args!("{e:?}")),
    }
    vrt::check::all_passed();
    0
}
