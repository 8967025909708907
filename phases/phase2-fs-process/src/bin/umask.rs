//! `umask`: init's mask is 022; `umask` returns the old mask and keeps only
//! the permission bits of the new one; the mask takes its bits away from
//! `open(O_CREAT)`, `openat`, `mkdir` and `mkdirat` (setuid and sticky
//! bits pass), not from symlinks or `chmod`; a forked child inherits it
//! and `execve` keeps it (`umask --report` exits with its mask).

#![no_std]
#![no_main]

use core::ffi::CStr;

use vrt::children::{Ended, execve, reap, spawn};
use vrt::fs::{self, AT_FDCWD, O_CREAT, O_WRONLY};
use vrt::syscall::syscall1;
use vrt::{check_eq, fsops};

vrt::entry!(main);

fn umask(mask: u32) -> u32 {
    // SAFETY: umask touches no memory and cannot fail.
    unsafe { syscall1(vrt::nr::UMASK, mask as usize) as u32 }
}

/// The permission bits of a new file `path` created with `mode`.
fn created_file(path: &CStr, mode: u32) -> u32 {
    let fd = fs::open(path, O_CREAT | O_WRONLY, mode).expect("create a file");
    let _ = fs::close(fd);
    let perm = fsops::stat(path).expect("stat").permissions();
    let _ = fsops::unlink(path);
    perm
}

/// The permission bits of a new directory `path` made with `mode`.
fn made_dir(path: &CStr, mode: u32) -> u32 {
    fsops::mkdir(path, mode).expect("mkdir");
    let perm = fsops::stat(path).expect("stat").permissions();
    let _ = fsops::rmdir(path);
    perm
}

fn main(args: &vrt::Args) -> i32 {
    if args.arg(1) == Some(c"--report") {
        // Run by execve below: report the mask through the exit status.
        return umask(0) as i32;
    }

    check_eq!(umask(0o027), 0o022, "init's mask is 022");
    check_eq!(umask(0o777_777), 0o027, "umask returns the old mask");
    check_eq!(umask(0o027), 0o777, "only the permission bits are kept");

    let f = c"tmp-p2-umask-f";
    let d = c"tmp-p2-umask-d";
    check_eq!(created_file(f, 0o666), 0o640, "open(O_CREAT, 0666) -> 0640");
    check_eq!(
        created_file(f, 0o4777),
        0o4750,
        "setuid passes: 04777 -> 04750"
    );
    let fd = fs::openat(AT_FDCWD, f, O_CREAT | O_WRONLY, 0o777).expect("openat");
    let _ = fs::close(fd);
    check_eq!(
        fsops::stat(f).expect("stat").permissions(),
        0o750,
        "openat(O_CREAT, 0777) -> 0750"
    );
    check_eq!(fsops::chmod(f, 0o777), Ok(()), "chmod 0777");
    check_eq!(
        fsops::stat(f).expect("stat").permissions(),
        0o777,
        "chmod is not masked"
    );
    let _ = fsops::unlink(f);
    check_eq!(made_dir(d, 0o777), 0o750, "mkdir(0777) -> 0750");
    check_eq!(
        made_dir(d, 0o1777),
        0o1750,
        "the sticky bit passes: 01777 -> 01750"
    );
    check_eq!(fsops::mkdirat(AT_FDCWD, d, 0o707), Ok(()), "mkdirat(0707)");
    check_eq!(
        fsops::stat(d).expect("stat").permissions(),
        0o700,
        "mkdirat is masked too"
    );
    let _ = fsops::rmdir(d);
    check_eq!(fsops::symlink(c"target", f), Ok(()), "symlink");
    check_eq!(
        fsops::lstat(f).expect("lstat").permissions(),
        0o777,
        "a symlink is 0777 whatever the mask"
    );
    let _ = fsops::unlink(f);

    check_eq!(umask(0), 0o027, "umask 0");
    check_eq!(created_file(f, 0o666), 0o666, "no mask: 0666 stays");

    // Inherited by fork, kept by execve.
    umask(0o037);
    let child = spawn(|| umask(0) as i32);
    check_eq!(
        reap(child),
        Ended::Exited(0o037),
        "a forked child has the mask"
    );
    let child = spawn(|| {
        let e = execve(c"bin/umask", &[c"umask", c"--report"], &[]);
        vrt::check::fail(format_args!("execve bin/umask"), format_args!("{e:?}"))
    });
    check_eq!(reap(child), Ended::Exited(0o037), "execve keeps the mask");
    check_eq!(umask(0o022), 0o037, "the parent's mask is its own");
    vrt::check::all_passed();
    0
}
