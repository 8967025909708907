//! (internal) Host tests: spawning the host's programs with file actions
//! and attributes; layouts and constants against glibc's.

use std::ffi::CString;
use std::vec::Vec;

use super::*;
use crate::testutil::Scratch;

#[test]
fn layouts_and_flags_are_glibcs() {
    use core::mem::{align_of, size_of};
    assert_eq!(
        size_of::<posix_spawnattr_t>(),
        size_of::<libc::posix_spawnattr_t>()
    );
    assert_eq!(
        align_of::<posix_spawnattr_t>(),
        align_of::<libc::posix_spawnattr_t>()
    );
    assert_eq!(
        size_of::<posix_spawn_file_actions_t>(),
        size_of::<libc::posix_spawn_file_actions_t>()
    );
    assert_eq!(
        align_of::<posix_spawn_file_actions_t>(),
        align_of::<libc::posix_spawn_file_actions_t>()
    );
    assert_eq!(
        [
            POSIX_SPAWN_RESETIDS,
            POSIX_SPAWN_SETPGROUP,
            POSIX_SPAWN_SETSIGDEF,
            POSIX_SPAWN_SETSIGMASK,
            POSIX_SPAWN_SETSCHEDPARAM,
            POSIX_SPAWN_SETSCHEDULER,
        ],
        [
            libc::POSIX_SPAWN_RESETIDS,
            libc::POSIX_SPAWN_SETPGROUP,
            libc::POSIX_SPAWN_SETSIGDEF,
            libc::POSIX_SPAWN_SETSIGMASK,
            libc::POSIX_SPAWN_SETSCHEDPARAM,
            libc::POSIX_SPAWN_SETSCHEDULER,
        ]
    );
    assert_eq!(
        POSIX_SPAWN_USEVFORK,
        c_int::from(libc::POSIX_SPAWN_USEVFORK)
    );
    assert_eq!(POSIX_SPAWN_SETSID, c_int::from(libc::POSIX_SPAWN_SETSID));
}

#[test]
fn actions_and_attributes_are_kept() {
    let mut fa = core::mem::MaybeUninit::<posix_spawn_file_actions_t>::uninit();
    let mut at = core::mem::MaybeUninit::<posix_spawnattr_t>::uninit();
    // SAFETY: each object is initialized before use and destroyed after.
    unsafe {
        let (fa, at) = (fa.as_mut_ptr(), at.as_mut_ptr());
        assert_eq!(posix_spawn_file_actions_init(fa), 0);
        assert_eq!(posix_spawn_file_actions_addclose(fa, 3), 0);
        assert_eq!(posix_spawn_file_actions_adddup2(fa, 1, 2), 0);
        assert_eq!(
            posix_spawn_file_actions_addopen(fa, 4, c"x".as_ptr(), 0, 0),
            0
        );
        assert_eq!(posix_spawn_file_actions_addclose(fa, -1), libc::EBADF);
        assert_eq!(posix_spawn_file_actions_adddup2(fa, 1, 5000), libc::EBADF);
        assert_eq!((*fa).__used, 3);
        assert_eq!(posix_spawn_file_actions_destroy(fa), 0);
        assert_eq!(posix_spawnattr_init(at), 0);
        assert_eq!(posix_spawnattr_setflags(at, 0x100), libc::EINVAL);
        assert_eq!(
            posix_spawnattr_setflags(at, POSIX_SPAWN_SETSIGMASK as c_short),
            0
        );
        let mut flags = 0;
        assert_eq!(posix_spawnattr_getflags(at, &mut flags), 0);
        assert_eq!(c_int::from(flags), POSIX_SPAWN_SETSIGMASK);
        let set: SigSet = [0x200, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7];
        let mut back: SigSet = [0; 16];
        posix_spawnattr_setsigmask(at, set.as_ptr().cast());
        posix_spawnattr_getsigmask(at, back.as_mut_ptr().cast());
        assert_eq!(back, set);
        posix_spawnattr_setpgroup(at, 9);
        let mut pg = 0;
        posix_spawnattr_getpgroup(at, &mut pg);
        assert_eq!(pg, 9);
        assert_eq!(posix_spawnattr_destroy(at), 0);
    }
}

/// Spawns `argv` (through `PATH` if `search`) with the given actions and
/// attributes; returns the error or the exit status and what the child
/// wrote to its standard output.
fn run(
    argv: &[&str],
    search: bool,
    setup: impl FnOnce(*mut posix_spawn_file_actions_t, *mut posix_spawnattr_t),
) -> Result<(i32, Vec<u8>), c_int> {
    let owned: Vec<CString> = argv.iter().map(|a| CString::new(*a).unwrap()).collect();
    let mut ptrs: Vec<*mut c_char> = owned.iter().map(|a| a.as_ptr().cast_mut()).collect();
    ptrs.push(core::ptr::null_mut());
    let env = [
        c"PATH=/bin:/usr/bin".as_ptr().cast_mut(),
        core::ptr::null_mut(),
    ];
    let mut fa = core::mem::MaybeUninit::<posix_spawn_file_actions_t>::uninit();
    let mut at = core::mem::MaybeUninit::<posix_spawnattr_t>::uninit();
    let mut p = [0; 2];
    // SAFETY: the objects are initialized before use and destroyed after;
    // the strings and arrays live until the spawn returns; the pipe is ours.
    unsafe {
        let (fa, at) = (fa.as_mut_ptr(), at.as_mut_ptr());
        posix_spawn_file_actions_init(fa);
        posix_spawnattr_init(at);
        assert_eq!(libc::pipe2(p.as_mut_ptr(), libc::O_CLOEXEC), 0);
        posix_spawn_file_actions_adddup2(fa, p[1], 1);
        setup(fa, at);
        let mut pid = 0;
        let spawn = if search { posix_spawnp } else { posix_spawn };
        let r = spawn(
            &mut pid,
            owned[0].as_ptr(),
            fa,
            at,
            ptrs.as_ptr(),
            env.as_ptr(),
        );
        posix_spawn_file_actions_destroy(fa);
        posix_spawnattr_destroy(at);
        libc::close(p[1]);
        let mut out = Vec::new();
        let mut buf = [0u8; 256];
        loop {
            let n = libc::read(p[0], buf.as_mut_ptr().cast(), buf.len());
            if n <= 0 {
                break;
            }
            out.extend_from_slice(&buf[..n as usize]);
        }
        libc::close(p[0]);
        if r != 0 {
            return Err(r);
        }
        let mut status = 0;
        assert_eq!(libc::waitpid(pid, &mut status, 0), pid);
        Ok((libc::WEXITSTATUS(status), out))
    }
}

#[test]
#[cfg_attr(miri, ignore = "makes system calls and runs the host's programs")]
fn spawns_programs() {
    let _cwd = crate::testutil::cwd_lock();
    assert_eq!(
        run(&["/bin/echo", "hi", "there"], false, |_, _| {}),
        Ok((0, b"hi there\n".to_vec()))
    );
    assert_eq!(
        run(&["echo", "p"], true, |_, _| {}),
        Ok((0, b"p\n".to_vec()))
    );
    assert_eq!(
        run(&["/bin/sh", "-c", "exit 3"], false, |_, _| {}),
        Ok((3, Vec::new()))
    );
    assert_eq!(
        run(&["/no/such/program"], false, |_, _| {}),
        Err(libc::ENOENT)
    );
    assert_eq!(
        run(&["no-such-program-anywhere"], true, |_, _| {}),
        Err(libc::ENOENT)
    );
    assert_eq!(
        run(&["echo"], false, |_, _| {}),
        Err(libc::ENOENT),
        "no PATH search"
    );
    // File actions: a file as standard input, a working directory.
    let s = Scratch::new("spawn");
    std::fs::write(s.0.join("in"), b"from a file\n").unwrap();
    let input = s.c("in");
    let dir = s.c("");
    let r = run(&["/bin/cat"], false, |fa, _| {
        // SAFETY: initialized actions; NUL-terminated path.
        unsafe { posix_spawn_file_actions_addopen(fa, 0, input.as_ptr(), libc::O_RDONLY, 0) };
    });
    assert_eq!(r, Ok((0, b"from a file\n".to_vec())));
    let r = run(&["/bin/pwd"], false, |fa, _| {
        // SAFETY: initialized actions; NUL-terminated path.
        unsafe { posix_spawn_file_actions_addchdir_np(fa, dir.as_ptr()) };
    });
    let expected = std::format!("{}\n", s.0.to_str().unwrap().trim_end_matches('/'));
    assert_eq!(r, Ok((0, expected.into_bytes())));
    let missing = s.c("missing/x");
    let r = run(&["/bin/cat"], false, |fa, _| {
        // SAFETY: initialized actions; NUL-terminated path.
        unsafe { posix_spawn_file_actions_addopen(fa, 0, missing.as_ptr(), libc::O_RDONLY, 0) };
    });
    assert_eq!(r, Err(libc::ENOENT));
    // Attributes: the signal mask reaches the program; process groups
    // are not supported.
    let r = run(
        &["/bin/grep", "SigBlk", "/proc/self/status"],
        false,
        |_, at| {
            let set: SigSet = [
                1 << (libc::SIGUSR1 - 1),
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
            ];
            // SAFETY: initialized attributes; a whole set.
            unsafe {
                posix_spawnattr_setflags(at, POSIX_SPAWN_SETSIGMASK as c_short);
                posix_spawnattr_setsigmask(at, set.as_ptr().cast());
            }
        },
    );
    let (code, out) = r.unwrap();
    assert_eq!(code, 0);
    let text = std::string::String::from_utf8_lossy(&out);
    assert!(text.ends_with("0000000000000200\n"), "{text:?}");
    let r = run(&["/bin/true"], false, |_, at| {
        // SAFETY: initialized attributes.
        unsafe { posix_spawnattr_setflags(at, POSIX_SPAWN_SETPGROUP as c_short) };
    });
    assert_eq!(r, Err(libc::ENOSYS));
}
