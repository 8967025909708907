//! `<grp.h>`: the group database, `/etc/group` (`name:passwd:gid:
//! member,member` per line), read as glibc's `files` source reads it:
//! `getgrnam_r`, `getgrgid_r` (what `nix`'s `Group::from_name` and
//! `from_gid` call) and `struct group`, glibc's layout. Not found is `0`
//! with `*result` NULL; a buffer too small is `ERANGE`. And `setgroups`,
//! a system call (vibix's kernel answers `ENOSYS`: one user, no groups).

extern crate alloc;

use core::ptr;

use vibix_uapi::{nr, syscall};

use crate::accounts::{self, Arena, Key};
use crate::sysret::ret_int;
use crate::types::{c_char, c_int, gid_t, size_t};

/// One group.
#[repr(C)]
pub struct group {
    pub gr_name: *mut c_char,
    pub gr_passwd: *mut c_char,
    pub gr_gid: gid_t,
    /// The members' names, NULL-terminated.
    pub gr_mem: *mut *mut c_char,
}

/// The file the calls read.
const GROUP_FILE: &[u8] = b"/etc/group\0";

/// Finds the group `key` names in the file at `path` and fills `*grp`
/// from it: the member array, then the strings, in `buf`.
///
/// # Safety
///
/// `grp` and `result` must be writable, `buf` writable for `len` bytes.
unsafe fn lookup(
    path: &[u8],
    key: Key<'_>,
    grp: *mut group,
    buf: *mut c_char,
    len: size_t,
    result: *mut *mut group,
) -> c_int {
    let build = |f: &[&[u8]], arena: &mut Arena| {
        let Some(gid) = accounts::id(f[2]) else {
            return Ok(None);
        };
        let members: alloc::vec::Vec<&[u8]> = f[3]
            .split(|&b| b == b',')
            .filter(|m| !m.is_empty())
            .collect();
        let mem = arena.pointers(members.len() + 1)?;
        for (i, m) in members.iter().enumerate() {
            let s = arena.string(m)?;
            // SAFETY: `mem` has room for `members.len() + 1` pointers.
            unsafe { *mem.add(i) = s };
        }
        // SAFETY: as above; the last slot.
        unsafe { *mem.add(members.len()) = ptr::null_mut() };
        Ok(Some(group {
            gr_name: arena.string(f[0])?,
            gr_passwd: arena.string(f[1])?,
            gr_gid: gid,
            gr_mem: mem,
        }))
    };
    // SAFETY: the caller's contract.
    unsafe { accounts::lookup_r(path, 4, key, build, (grp, buf, len, result)) }
}

/// The group named `name`, into `*grp` and `buf`; `*result` is `grp`, or
/// NULL when there is none. Returns `0` or an error number.
///
/// # Safety
///
/// `name` must be a NUL-terminated string; `grp` and `result` writable;
/// `buf` writable for `buflen` bytes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn getgrnam_r(
    name: *const c_char,
    grp: *mut group,
    buf: *mut c_char,
    buflen: size_t,
    result: *mut *mut group,
) -> c_int {
    // SAFETY: `name` is NUL-terminated.
    let name = unsafe { core::ffi::CStr::from_ptr(name) }.to_bytes();
    // SAFETY: the caller's contract.
    unsafe { lookup(GROUP_FILE, Key::Name(name), grp, buf, buflen, result) }
}

/// [`getgrnam_r`] of the group whose id is `gid` (the file's first).
///
/// # Safety
///
/// As [`getgrnam_r`]'s, without `name`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn getgrgid_r(
    gid: gid_t,
    grp: *mut group,
    buf: *mut c_char,
    buflen: size_t,
    result: *mut *mut group,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { lookup(GROUP_FILE, Key::Id(gid), grp, buf, buflen, result) }
}

/// Sets the supplementary group ids to the `size` ids at `list`.
///
/// # Safety
///
/// `list` must be readable for `size` ids.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn setgroups(size: size_t, list: *const gid_t) -> c_int {
    // SAFETY: the kernel reads `size` ids at `list`.
    ret_int(unsafe { syscall!(nr::SETGROUPS, size, list) })
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;
    use std::vec::Vec;

    use super::*;
    use crate::testutil::Scratch;

    /// `(name, gid, members)` of `g`.
    ///
    /// # Safety
    ///
    /// `g` points at a filled-in `group` (ours or the host's: the same
    /// layout).
    unsafe fn fields(g: *const group) -> (Vec<u8>, u32, Vec<Vec<u8>>) {
        // SAFETY: the caller's contract; NUL-terminated strings, a
        // NULL-terminated array.
        unsafe {
            let g = &*g;
            let mut mem = Vec::new();
            let mut i = 0;
            while !(*g.gr_mem.add(i)).is_null() {
                mem.push(CStr::from_ptr(*g.gr_mem.add(i)).to_bytes().to_vec());
                i += 1;
            }
            (CStr::from_ptr(g.gr_name).to_bytes().to_vec(), g.gr_gid, mem)
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
    fn finds_the_groups_the_host_finds() {
        assert_eq!(size_of::<group>(), size_of::<libc::group>());
        for gid in [0, 1, 65534, 4_000_000] {
            let mut ours = core::mem::MaybeUninit::<group>::zeroed();
            let mut host = core::mem::MaybeUninit::<libc::group>::zeroed();
            let (mut b1, mut b2) = ([0 as c_char; 1024], [0 as c_char; 1024]);
            let (mut r1, mut r2) = (ptr::null_mut(), ptr::null_mut());
            // SAFETY: live locals of the right sizes.
            let (e1, e2) = unsafe {
                (
                    getgrgid_r(gid, ours.as_mut_ptr(), b1.as_mut_ptr(), 1024, &mut r1),
                    libc::getgrgid_r(gid, host.as_mut_ptr(), b2.as_mut_ptr(), 1024, &mut r2),
                )
            };
            assert_eq!((e1, r1.is_null()), (e2, r2.is_null()), "gid {gid}");
            if !r1.is_null() {
                // SAFETY: both filled in, same layout.
                let (a, b) = unsafe { (fields(r1), fields(r2.cast())) };
                assert_eq!(a, b, "gid {gid}");
                let name = std::ffi::CString::new(a.0).unwrap();
                let mut r3 = ptr::null_mut();
                // SAFETY: as above.
                let e3 = unsafe {
                    getgrnam_r(
                        name.as_ptr(),
                        ours.as_mut_ptr(),
                        b1.as_mut_ptr(),
                        1024,
                        &mut r3,
                    )
                };
                // SAFETY: filled in.
                assert_eq!((e3, unsafe { (*r3).gr_gid }), (0, gid));
            }
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls")]
    fn members_and_erange() {
        let s = Scratch::new("grp");
        std::fs::write(s.0.join("group"), "tests:x:1000:alice,bob\nempty:x:7:\n").unwrap();
        let path = s.c("group");
        let mut g = core::mem::MaybeUninit::<group>::zeroed();
        let mut buf = [0 as c_char; 128];
        let mut r = ptr::null_mut();
        // SAFETY: a NUL-terminated path; live locals.
        unsafe {
            let e = lookup(
                path.as_bytes_with_nul(),
                Key::Name(b"tests"),
                g.as_mut_ptr(),
                buf.as_mut_ptr(),
                128,
                &mut r,
            );
            assert_eq!(e, 0);
            assert_eq!(
                fields(r),
                (
                    b"tests".to_vec(),
                    1000,
                    std::vec![b"alice".to_vec(), b"bob".to_vec()]
                )
            );
            let e = lookup(
                path.as_bytes_with_nul(),
                Key::Id(7),
                g.as_mut_ptr(),
                buf.as_mut_ptr(),
                128,
                &mut r,
            );
            assert_eq!((e, fields(r).2.len()), (0, 0));
            let e = lookup(
                path.as_bytes_with_nul(),
                Key::Id(1000),
                g.as_mut_ptr(),
                buf.as_mut_ptr(),
                30,
                &mut r,
            );
            assert_eq!((e, r.is_null()), (libc::ERANGE, true));
        }
    }
}
