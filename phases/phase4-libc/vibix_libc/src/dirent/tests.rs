//! (internal) Host tests: Directory listings against glibc's `readdir`: the same names, inodes
//! and types; positions, rewinding and errors.

use std::collections::BTreeSet;
use std::ffi::CStr;
use std::string::String;
use std::vec::Vec;

use super::*;
use crate::testutil::{Scratch, same};

fn name(d: &dirent) -> String {
    // SAFETY: `d_name` is NUL-terminated.
    unsafe { CStr::from_ptr(d.d_name.as_ptr()) }
        .to_string_lossy()
        .into_owned()
}

/// A directory of `n` files (long names, so several `getdents64` calls)
/// plus a subdirectory and a link.
fn populated(tag: &str, n: usize) -> Scratch {
    let s = Scratch::new(tag);
    for i in 0..n {
        std::fs::write(
            s.0.join(std::format!("file-with-a-rather-long-name-{i:04}")),
            b"",
        )
        .unwrap();
    }
    std::fs::create_dir(s.0.join("sub")).unwrap();
    std::os::unix::fs::symlink("x", s.0.join("link")).unwrap();
    s
}

/// An entry as the tests compare them: name, inode, type.
type Entry = (String, u64, u8);

/// Every entry `next` returns until it returns NULL, seen through `fields`.
///
/// # Safety
///
/// Each non-null pointer `next` returns must point at a valid entry.
unsafe fn drain<E>(
    mut next: impl FnMut() -> *mut E,
    fields: impl Fn(&E) -> Entry,
) -> BTreeSet<Entry> {
    let mut all = BTreeSet::new();
    loop {
        let e = next();
        if e.is_null() {
            return all;
        }
        // SAFETY: the caller's contract: a non-null entry is valid.
        all.insert(fields(unsafe { &*e }));
    }
}

/// A host C library entry's name.
fn host_name(d_name: &[core::ffi::c_char]) -> String {
    // SAFETY: the host's `d_name` is NUL-terminated within the array.
    unsafe { CStr::from_ptr(d_name.as_ptr()) }
        .to_string_lossy()
        .into_owned()
}

#[test]
#[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
fn lists_what_glibc_lists() {
    assert_eq!(
        core::mem::size_of::<dirent>(),
        core::mem::size_of::<libc::dirent>()
    );
    assert_eq!(
        core::mem::offset_of!(dirent, d_name),
        core::mem::offset_of!(libc::dirent, d_name)
    );
    assert_eq!(
        core::mem::offset_of!(dirent, d_type),
        core::mem::offset_of!(libc::dirent, d_type)
    );
    let s = populated("dirent-list", 300);
    let p = s.c("");
    // SAFETY: NUL-terminated path; the DIRs are used until closed.
    unsafe {
        let ours = opendir(p.as_ptr());
        let host = libc::opendir(p.as_ptr());
        assert!(!ours.is_null() && !host.is_null());
        let mut a = BTreeSet::new();
        let mut first_pos = None;
        loop {
            let e = readdir(ours);
            if e.is_null() {
                break;
            }
            let e = &*e;
            a.insert((name(e), e.d_ino, e.d_type));
            if first_pos.is_none() {
                first_pos = Some((telldir(ours), name(e)));
            }
        }
        assert_eq!(crate::testutil::our_errno(), 0);
        let b = drain(
            || libc::readdir(host),
            |e| (host_name(&e.d_name), e.d_ino, e.d_type),
        );
        assert_eq!(a, b);
        assert_eq!(a.len(), 304);
        // After the end, readdir stays at the end; rewinddir starts over.
        assert!(readdir(ours).is_null());
        rewinddir(ours);
        let again = name(&*readdir(ours));
        // seekdir to the position after the first entry gives the second.
        let (pos, first) = first_pos.unwrap();
        let second = name(&*readdir(ours));
        seekdir(ours, pos);
        assert_eq!(name(&*readdir(ours)), second);
        assert_eq!(again, first);
        // readdir_r copies into the caller's entry.
        rewinddir(ours);
        let mut entry: dirent = core::mem::zeroed();
        let mut result = core::ptr::null_mut();
        assert_eq!(readdir_r(ours, &mut entry, &mut result), 0);
        assert_eq!(result, &raw mut entry);
        assert_eq!(name(&entry), first);
        assert!(dirfd(ours) >= 0);
        assert_eq!(closedir(ours), 0);
        libc::closedir(host);
    }
}

#[test]
#[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
fn errors_as_glibc() {
    let s = populated("dirent-err", 1);
    let f = s.c("sub/../link");
    for rel in ["missing", "file-with-a-rather-long-name-0000", ""] {
        let p = s.c(rel);
        // SAFETY: NUL-terminated paths; successful DIRs are closed.
        unsafe {
            same(
                &std::format!("opendir {rel}"),
                || {
                    let d = opendir(p.as_ptr());
                    !d.is_null() && closedir(d) == 0
                },
                || {
                    let d = libc::opendir(p.as_ptr());
                    !d.is_null() && libc::closedir(d) == 0
                },
            )
        };
    }
    let _ = f;
    let p = s.c("file-with-a-rather-long-name-0000");
    // SAFETY: NUL-terminated path; fdopendir of a file fails without taking it.
    unsafe {
        let fd = libc::open(p.as_ptr(), libc::O_RDONLY);
        same(
            "fdopendir file",
            || fdopendir(fd).is_null(),
            || libc::fdopendir(fd).is_null(),
        );
        same(
            "fdopendir bad",
            || fdopendir(-1).is_null(),
            || libc::fdopendir(-1).is_null(),
        );
        libc::close(fd);
    }
}

unsafe extern "C" fn skip_dots(d: *const dirent) -> c_int {
    // SAFETY: scandir passes a live entry.
    let n = unsafe { CStr::from_ptr((*d).d_name.as_ptr()) }.to_bytes();
    c_int::from(!n.starts_with(b"."))
}

#[test]
#[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
fn scandir_sorts_and_filters() {
    let s = populated("dirent-scan", 40);
    let p = s.c("");
    let mut list: *mut *mut dirent = core::ptr::null_mut();
    // SAFETY: NUL-terminated path; the results are freed below with free.
    let n = unsafe { scandir(p.as_ptr(), &mut list, Some(skip_dots), Some(alphasort)) };
    assert_eq!(n, 42);
    let mut names = Vec::new();
    for i in 0..n as usize {
        // SAFETY: `list` holds `n` malloc'ed entries.
        unsafe {
            names.push(name(&**list.add(i)));
            libc::free((*list.add(i)).cast());
        }
    }
    // SAFETY: the list came from realloc.
    unsafe { libc::free(list.cast()) };
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert_eq!(names[0], "file-with-a-rather-long-name-0000");
    assert_eq!(names[41], "sub");
    let missing = s.c("missing");
    // SAFETY: NUL-terminated path.
    let r = unsafe { scandir(missing.as_ptr(), &mut list, None, None) };
    assert_eq!(r, -1);
    assert_eq!(crate::testutil::our_errno(), libc::ENOENT);
}

/// An entry named `n` (Miri: no system call).
fn entry(n: &str) -> dirent {
    // SAFETY: all-zero bytes are a valid `dirent` (integers and chars).
    let mut d: dirent = unsafe { core::mem::zeroed() };
    for (dst, b) in d.d_name.iter_mut().zip(n.bytes()) {
        *dst = b as c_char;
    }
    d
}

#[test]
fn shell_sort_with_alphasort() {
    let names = ["m", "b", "zz", "a", ".", "..", "b1", "A", "mm", "c"];
    let mut many: Vec<String> = names.iter().map(|s| String::from(*s)).collect();
    for i in 0..60 {
        many.push(std::format!("n{}", (i * 37) % 61));
    }
    let mut entries: Vec<dirent> = many.iter().map(|n| entry(n)).collect();
    let mut list: Vec<*mut dirent> = entries.iter_mut().map(|e| e as *mut dirent).collect();
    // SAFETY: `list` holds live entries with NUL-terminated names.
    unsafe { shell_sort(list.as_mut_ptr(), list.len(), alphasort) };
    let sorted: Vec<String> = list
        .iter()
        .map(|&e| {
            // SAFETY: a live entry.
            name(unsafe { &*e })
        })
        .collect();
    let mut expected = many.clone();
    expected.sort();
    assert_eq!(sorted, expected);
    // SAFETY: a NULL DIR is refused before it is used.
    assert_eq!(unsafe { closedir(core::ptr::null_mut()) }, -1);
}

#[test]
#[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
fn large_file_name_lists_what_glibc_lists() {
    assert_eq!(
        core::mem::size_of::<dirent>(),
        core::mem::size_of::<libc::dirent64>()
    );
    assert_eq!(
        core::mem::offset_of!(dirent, d_name),
        core::mem::offset_of!(libc::dirent64, d_name)
    );
    let s = populated("dirent-list64", 40);
    let p = s.c("");
    // SAFETY: NUL-terminated path; the DIRs are used until closed.
    unsafe {
        let ours = opendir(p.as_ptr());
        let host = libc::opendir(p.as_ptr());
        assert!(!ours.is_null() && !host.is_null());
        let a = drain(|| readdir64(ours), |e| (name(e), e.d_ino, e.d_type));
        let b = drain(
            || libc::readdir64(host),
            |e| (host_name(&e.d_name), e.d_ino, e.d_type),
        );
        assert_eq!(a, b);
        closedir(ours);
        libc::closedir(host);
    }
}
