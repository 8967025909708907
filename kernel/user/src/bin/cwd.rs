//! `cwd`: the working directory. chdir into a new directory makes relative
//! paths start there and getcwd end in its name; a child inherits it, and
//! exec'd programs are found from it; chdir to a file or a missing path
//! fails (ENOTDIR, ENOENT); getcwd into a too-small buffer is ERANGE.
//! Only paths relative to the start are printed: the absolute start differs
//! between vibix ("/") and the Linux run (the staged initramfs directory).

#![no_std]
#![no_main]

use core::ffi::CStr;
use vrt::children::{Ended, Fork, decode, execve, fork, wait4};
use vrt::errno::Errno;
use vrt::fs::{O_CREAT, O_WRONLY, close, open};
use vrt::fsops::{mkdir, rmdir, stat, unlink};
use vrt::process::exit;
use vrt::syscall::{syscall1, syscall2};
use vrt::{check, check_eq};

vrt::entry!(main);

fn chdir(path: &CStr) -> Result<usize, Errno> {
    // SAFETY: the kernel only reads the NUL-terminated path.
    Errno::from_ret(unsafe { syscall1(vrt::nr::CHDIR, path.as_ptr() as usize) })
}

fn getcwd(buf: &mut [u8]) -> Result<usize, Errno> {
    // SAFETY: the kernel writes at most `buf.len()` bytes into `buf`.
    Errno::from_ret(unsafe { syscall2(vrt::nr::GETCWD, buf.as_mut_ptr() as usize, buf.len()) })
}

fn main(_args: &vrt::Args) -> i32 {
    let _ = unlink(c"tmp-cwd/made-inside");
    let _ = rmdir(c"tmp-cwd");
    check_eq!(mkdir(c"tmp-cwd", 0o755), Ok(()), "mkdir tmp-cwd");
    check_eq!(chdir(c"tmp-cwd"), Ok(0), "chdir tmp-cwd");
    let mut buf = [0u8; 4096];
    let n = getcwd(&mut buf);
    check!(n.is_ok(), "getcwd succeeds");
    let path = &buf[..n.unwrap_or(1) - 1];
    check!(
        path.starts_with(b"/") && path.ends_with(b"/tmp-cwd"),
        "getcwd is absolute and ends in /tmp-cwd"
    );
    check_eq!(
        n,
        Ok(path.len() + 1),
        "getcwd returns the length with the NUL"
    );
    check_eq!(
        getcwd(&mut buf[..3]),
        Err(Errno::ERANGE),
        "a buffer too small -> ERANGE"
    );
    let fd = open(c"made-inside", O_CREAT | O_WRONLY, 0o644);
    check!(fd.is_ok(), "a relative create lands in the new directory");
    let _ = close(fd.unwrap_or(-1));
    match fork() {
        Ok(Fork::Child) => exit(if stat(c"made-inside").is_ok() { 0 } else { 1 }),
        Ok(Fork::Parent { child }) => {
            let ended = wait4(child, 0).map(|(_, s)| decode(s));
            check_eq!(
                ended,
                Ok(Ended::Exited(0)),
                "a child starts in its parent's directory"
            );
        }
        Err(e) => vrt::check::fail(format_args!("fork"), format_args!("{e:?}")),
    }
    match fork() {
        Ok(Fork::Child) => {
            execve(c"../bin/exit_code", &[c"exit_code", c"6"], &[]);
            exit(1)
        }
        Ok(Fork::Parent { child }) => {
            let ended = wait4(child, 0).map(|(_, s)| decode(s));
            check_eq!(
                ended,
                Ok(Ended::Exited(6)),
                "execve finds a program relative to the directory"
            );
        }
        Err(e) => vrt::check::fail(format_args!("fork"), format_args!("{e:?}")),
    }
    check_eq!(
        chdir(c"made-inside"),
        Err(Errno::ENOTDIR),
        "chdir to a file -> ENOTDIR"
    );
    check_eq!(
        chdir(c"missing"),
        Err(Errno::ENOENT),
        "chdir to a missing path -> ENOENT"
    );
    check_eq!(chdir(c".."), Ok(0), "chdir ..");
    check!(
        stat(c"tmp-cwd/made-inside").is_ok(),
        "the file is where it was made"
    );
    check_eq!(unlink(c"tmp-cwd/made-inside"), Ok(()), "clean up the file");
    check_eq!(rmdir(c"tmp-cwd"), Ok(()), "and the directory");
    vrt::check::all_passed();
    0
}
