//! `<pwd.h>`: the user database, `/etc/passwd` (`name:passwd:uid:gid:
//! gecos:dir:shell` per line), read as glibc's `files` source reads it:
//! `getpwnam_r`, `getpwuid_r` (what `nix`'s `User::from_name` and
//! `from_uid` call) and `struct passwd`, glibc's layout. Not found is `0`
//! with `*result` NULL; a buffer too small is `ERANGE`.

use crate::accounts::{self, Arena, Key};
use crate::types::{c_char, c_int, gid_t, size_t, uid_t};

/// One user.
#[repr(C)]
pub struct passwd {
    pub pw_name: *mut c_char,
    pub pw_passwd: *mut c_char,
    pub pw_uid: uid_t,
    pub pw_gid: gid_t,
    pub pw_gecos: *mut c_char,
    pub pw_dir: *mut c_char,
    pub pw_shell: *mut c_char,
}

/// The file the calls read.
const PASSWD_FILE: &[u8] = b"/etc/passwd\0";

/// Finds the user `key` names in the file at `path` and fills `*pwd`
/// from it, its strings in `buf`; the `get*_r` convention.
///
/// # Safety
///
/// `pwd` and `result` must be writable, `buf` writable for `len` bytes.
unsafe fn lookup(
    path: &[u8],
    key: Key<'_>,
    pwd: *mut passwd,
    buf: *mut c_char,
    len: size_t,
    result: *mut *mut passwd,
) -> c_int {
    let build = |f: &[&[u8]], arena: &mut Arena| {
        let (Some(uid), Some(gid)) = (accounts::id(f[2]), accounts::id(f[3])) else {
            return Ok(None);
        };
        Ok(Some(passwd {
            pw_name: arena.string(f[0])?,
            pw_passwd: arena.string(f[1])?,
            pw_uid: uid,
            pw_gid: gid,
            pw_gecos: arena.string(f[4])?,
            pw_dir: arena.string(f[5])?,
            pw_shell: arena.string(f[6])?,
        }))
    };
    // SAFETY: the caller's contract.
    unsafe { accounts::lookup_r(path, 7, key, build, (pwd, buf, len, result)) }
}

/// The user named `name`, into `*pwd` and `buf`; `*result` is `pwd`, or
/// NULL when there is none. Returns `0` or an error number.
///
/// # Safety
///
/// `name` must be a NUL-terminated string; `pwd` and `result` writable;
/// `buf` writable for `buflen` bytes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn getpwnam_r(
    name: *const c_char,
    pwd: *mut passwd,
    buf: *mut c_char,
    buflen: size_t,
    result: *mut *mut passwd,
) -> c_int {
    // SAFETY: `name` is NUL-terminated.
    let name = unsafe { core::ffi::CStr::from_ptr(name) }.to_bytes();
    // SAFETY: the caller's contract.
    unsafe { lookup(PASSWD_FILE, Key::Name(name), pwd, buf, buflen, result) }
}

/// [`getpwnam_r`] of the user whose id is `uid` (the file's first).
///
/// # Safety
///
/// As [`getpwnam_r`]'s, without `name`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn getpwuid_r(
    uid: uid_t,
    pwd: *mut passwd,
    buf: *mut c_char,
    buflen: size_t,
    result: *mut *mut passwd,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { lookup(PASSWD_FILE, Key::Id(uid), pwd, buf, buflen, result) }
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;
    use std::vec::Vec;

    use core::ptr;

    use super::*;
    use crate::testutil::Scratch;

    /// `(name, uid, gid, dir, shell)` of `p`.
    ///
    /// # Safety
    ///
    /// `p` points at a filled-in `passwd` (ours and the host's share the
    /// layout, asserted below).
    unsafe fn fields(p: *const passwd) -> (Vec<u8>, u32, u32, Vec<u8>, Vec<u8>) {
        // SAFETY: the caller's contract; the strings are NUL-terminated.
        unsafe {
            let s = |q: *mut c_char| CStr::from_ptr(q).to_bytes().to_vec();
            let p = &*p;
            (s(p.pw_name), p.pw_uid, p.pw_gid, s(p.pw_dir), s(p.pw_shell))
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
    fn finds_the_users_the_host_finds() {
        assert_eq!(size_of::<passwd>(), size_of::<libc::passwd>());
        let names: [&CStr; 4] = [c"root", c"nobody", c"daemon", c"no-such-user-here"];
        for name in names {
            let mut ours = core::mem::MaybeUninit::<passwd>::zeroed();
            let mut host = core::mem::MaybeUninit::<libc::passwd>::zeroed();
            let (mut b1, mut b2) = ([0 as c_char; 1024], [0 as c_char; 1024]);
            let (mut r1, mut r2) = (ptr::null_mut(), ptr::null_mut());
            // SAFETY: every pointer is to a live local of the right size.
            let (e1, e2) = unsafe {
                (
                    getpwnam_r(
                        name.as_ptr(),
                        ours.as_mut_ptr(),
                        b1.as_mut_ptr(),
                        1024,
                        &mut r1,
                    ),
                    libc::getpwnam_r(
                        name.as_ptr(),
                        host.as_mut_ptr(),
                        b2.as_mut_ptr(),
                        1024,
                        &mut r2,
                    ),
                )
            };
            assert_eq!((e1, r1.is_null()), (e2, r2.is_null()), "{name:?}");
            if !r1.is_null() {
                // SAFETY: both were filled in, with the same layout.
                unsafe { assert_eq!(fields(r1), fields(r2.cast()), "{name:?}") };
                // SAFETY: `r1` points at the filled-in `ours`.
                let uid = unsafe { (*r1).pw_uid };
                let mut again = core::mem::MaybeUninit::<passwd>::zeroed();
                let mut r3 = ptr::null_mut();
                // SAFETY: as above.
                let e3 =
                    unsafe { getpwuid_r(uid, again.as_mut_ptr(), b1.as_mut_ptr(), 1024, &mut r3) };
                assert_eq!(e3, 0);
                // SAFETY: filled in.
                assert_eq!(unsafe { (*r3).pw_uid }, uid);
            }
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "makes system calls")]
    fn small_buffer_is_erange_and_missing_file_is_not_found() {
        let s = Scratch::new("pwd");
        std::fs::write(
            s.0.join("passwd"),
            "# users\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n",
        )
        .unwrap();
        let path = s.c("passwd");
        let mut p = core::mem::MaybeUninit::<passwd>::zeroed();
        let mut buf = [0 as c_char; 64];
        let mut r = ptr::null_mut();
        // SAFETY: NUL-terminated path; live locals.
        unsafe {
            let e = lookup(
                path.as_bytes_with_nul(),
                Key::Name(b"nobody"),
                p.as_mut_ptr(),
                buf.as_mut_ptr(),
                64,
                &mut r,
            );
            assert_eq!((e, r.is_null()), (0, false));
            assert_eq!(fields(r).1, 65534);
            let e = lookup(
                path.as_bytes_with_nul(),
                Key::Id(65534),
                p.as_mut_ptr(),
                buf.as_mut_ptr(),
                20,
                &mut r,
            );
            assert_eq!((e, r.is_null()), (libc::ERANGE, true));
            let missing = s.c("none");
            let e = lookup(
                missing.as_bytes_with_nul(),
                Key::Id(0),
                p.as_mut_ptr(),
                buf.as_mut_ptr(),
                64,
                &mut r,
            );
            assert_eq!((e, r.is_null()), (0, true));
        }
    }
}
