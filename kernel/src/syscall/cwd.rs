//! The working directory: chdir, fchdir, getcwd.

use crate::arch::trap::TrapFrame;
use crate::fs::file::Target;
use crate::proc::with_current;
use crate::uaccess;
use kcore::errno::{Errno, KResult};
use kcore::fs::{Ino, NodeKind};

/// Makes `dir` the working directory (it must be a directory).
fn change_to(dir: Ino) -> KResult<u64> {
    crate::fs::with_tree(|t| match t.node(dir).kind {
        NodeKind::Dir(_) => {
            t.open_ref(dir);
            Ok(())
        }
        _ => Err(Errno::ENOTDIR),
    })?;
    let old = with_current(|p| core::mem::replace(&mut p.cwd, dir));
    crate::fs::with_tree(|t| t.close_ref(old));
    Ok(0)
}

pub fn chdir(f: &mut TrapFrame) -> KResult<u64> {
    let path = with_current(|p| uaccess::read_cstr(p.mm(), f.arg(0), kcore::path::PATH_MAX - 1))?;
    let cwd = with_current(|p| p.cwd);
    let dir = crate::fs::with_tree(|t| t.lookup(cwd, &path, true))?;
    change_to(dir)
}

pub fn fchdir(f: &mut TrapFrame) -> KResult<u64> {
    match with_current(|p| p.files.get(f.arg(0) as i32))?.target {
        Target::Node(ino) => change_to(ino),
        _ => Err(Errno::ENOTDIR),
    }
}

/// `getcwd(buf, size)`: the absolute path, NUL-terminated; returns its
/// length including the NUL (the raw syscall's convention).
pub fn getcwd(f: &mut TrapFrame) -> KResult<u64> {
    let (buf, size) = (f.arg(0), f.arg(1));
    let cwd = with_current(|p| p.cwd);
    let mut path = crate::fs::with_tree(|t| {
        if t.node(cwd).is_removed_dir() {
            Err(Errno::ENOENT)
        } else {
            Ok(t.path_of(cwd))
        }
    })?;
    path.push(0);
    if (path.len() as u64) > size {
        return Err(Errno::ERANGE);
    }
    with_current(|p| uaccess::copy_to_user(p.mm(), buf, &path))?;
    Ok(path.len() as u64)
}
