//! (internal) Host tests: `getopt` and `getopt_long` against glibc's: the same vectors parsed by
//! both, comparing every return value, `optarg`, `optind`, `optopt`, the
//! long index and the permuted `argv`.

use std::ffi::{CStr, CString};
use std::string::String;
use std::sync::Mutex;
use std::vec::Vec;

use super::*;
use crate::getopt::{getopt_long, getopt_long_only, option};

/// The parser's state is global: one test at a time uses it.
static LOCK: Mutex<()> = Mutex::new(());

/// glibc's globals (ours keep Rust's names under `cfg(test)`).
mod host {
    use crate::types::{c_char, c_int};
    unsafe extern "C" {
        pub static mut optind: c_int;
        pub static mut optarg: *mut c_char;
        pub static mut opterr: c_int;
        pub static mut optopt: c_int;
        pub fn getopt_long_only(
            argc: c_int,
            argv: *const *mut c_char,
            optstring: *const c_char,
            longopts: *const libc::option,
            longindex: *mut c_int,
        ) -> c_int;
    }
}

/// Which entry point a run uses.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Short,
    Long,
    LongOnly,
}

/// One step of a parse: (returned, optarg, optind, optopt, longindex).
type Step = (c_int, Option<String>, c_int, c_int, c_int);

fn text(p: *const c_char) -> Option<String> {
    // SAFETY: a non-null optarg points into one of argv's strings.
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
}

/// Parses `words` with `opts` to the end, on our side or glibc's; returns
/// the steps and the final order of the arguments.
fn run(host_side: bool, kind: Kind, opts: &str, words: &[&str]) -> (Vec<Step>, Vec<String>) {
    run_with(host_side, kind, opts, words, 0)
}

/// [`run`] with `opterr` set to `report`.
fn run_with(
    host_side: bool,
    kind: Kind,
    opts: &str,
    words: &[&str],
    report: c_int,
) -> (Vec<Step>, Vec<String>) {
    let owned: Vec<CString> = words.iter().map(|w| CString::new(*w).unwrap()).collect();
    let mut argv: Vec<*mut c_char> = owned.iter().map(|s| s.as_ptr().cast_mut()).collect();
    argv.push(core::ptr::null_mut());
    let argc = words.len() as c_int;
    let optstring = CString::new(opts).unwrap();
    let mut flag: c_int = 0;
    let names = [c"verbose", c"value", c"opt", c"vertical", c"flag"];
    let ours_long = [
        option {
            name: names[0].as_ptr(),
            has_arg: 0,
            flag: core::ptr::null_mut(),
            val: b'v' as c_int,
        },
        option {
            name: names[1].as_ptr(),
            has_arg: 1,
            flag: core::ptr::null_mut(),
            val: 1000,
        },
        option {
            name: names[2].as_ptr(),
            has_arg: 2,
            flag: core::ptr::null_mut(),
            val: 1001,
        },
        option {
            name: names[3].as_ptr(),
            has_arg: 0,
            flag: core::ptr::null_mut(),
            val: 1002,
        },
        option {
            name: names[4].as_ptr(),
            has_arg: 0,
            flag: &raw mut flag,
            val: 7,
        },
        option {
            name: core::ptr::null(),
            has_arg: 0,
            flag: core::ptr::null_mut(),
            val: 0,
        },
    ];
    let host_long: Vec<libc::option> = ours_long
        .iter()
        .map(|o| libc::option {
            name: o.name,
            has_arg: o.has_arg,
            flag: o.flag,
            val: o.val,
        })
        .collect();
    let mut steps = Vec::new();
    // SAFETY: argv holds `argc` strings and a NULL; the tables end with a
    // zero entry; one thread uses each side's globals (this test only).
    unsafe {
        if host_side {
            host::optind = 0;
            host::opterr = report;
        } else {
            optind = 0;
            opterr = report;
        }
        for _ in 0..100 {
            let mut index: c_int = -1;
            let p = argv.as_ptr();
            let r = match (host_side, kind) {
                (false, Kind::Short) => getopt(argc, p, optstring.as_ptr()),
                (false, Kind::Long) => {
                    getopt_long(argc, p, optstring.as_ptr(), ours_long.as_ptr(), &mut index)
                }
                (false, Kind::LongOnly) => {
                    getopt_long_only(argc, p, optstring.as_ptr(), ours_long.as_ptr(), &mut index)
                }
                (true, Kind::Short) => libc::getopt(argc, p, optstring.as_ptr()),
                (true, Kind::Long) => {
                    libc::getopt_long(argc, p, optstring.as_ptr(), host_long.as_ptr(), &mut index)
                }
                (true, Kind::LongOnly) => host::getopt_long_only(
                    argc,
                    p,
                    optstring.as_ptr(),
                    host_long.as_ptr(),
                    &mut index,
                ),
            };
            let (arg, ind, opt) = if host_side {
                (host::optarg, host::optind, host::optopt)
            } else {
                (optarg, optind, optopt)
            };
            // optarg is unspecified after -1 and errors; optopt after success.
            let arg = if r == -1 || r == b'?' as c_int || r == b':' as c_int {
                None
            } else {
                text(arg)
            };
            let opt = if r == b'?' as c_int || r == b':' as c_int {
                opt
            } else {
                0
            };
            steps.push((r, arg, ind, opt, index));
            if r == -1 {
                break;
            }
        }
    }
    steps.push((flag, None, 0, 0, 0));
    let order = argv[..words.len()]
        .iter()
        .map(|&p| text(p).unwrap())
        .collect();
    (steps, order)
}

fn check(kind: Kind, opts: &str, words: &[&str]) {
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let ours = run(false, kind, opts, words);
    let host = run(true, kind, opts, words);
    assert_eq!(ours, host, "{kind:?} {opts:?} {words:?}");
}

#[test]
#[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
fn fixed_vectors() {
    let cases: &[(&str, &[&str])] = &[
        ("ab:c", &["p", "-a", "-b", "x", "-c", "file"]),
        ("ab:c", &["p", "-abfoo", "-ca", "rest", "-a"]),
        ("ab:c", &["p", "-b"]),
        (":ab:c", &["p", "-b"]),
        ("ab:c", &["p", "-z", "-a"]),
        (":ab:c", &["p", "-z", "-a"]),
        ("ab::c", &["p", "-b", "x", "-bval"]),
        ("ab", &["p", "x", "-a", "y", "-b", "--", "-a"]),
        ("+ab", &["p", "x", "-a", "y"]),
        ("+ab", &["p", "-a", "--", "-b"]),
        ("-ab", &["p", "x", "-a", "y", "--", "z"]),
        ("ab", &["p", "-", "-a"]),
        ("ab", &["p"]),
        ("a:", &["p", "-a", "--"]),
        ("ab", &["p", "-a:", "-;"]),
    ];
    for (opts, words) in cases {
        check(Kind::Short, opts, words);
    }
    let long: &[(&str, &[&str])] = &[
        (
            "vb:",
            &[
                "p",
                "--verbose",
                "--value=3",
                "--value",
                "4",
                "x",
                "--opt",
                "--opt=5",
            ],
        ),
        (
            "vb:",
            &["p", "--ver", "--vert", "--verb", "--val", "q", "--flag"],
        ),
        ("vb:", &["p", "--nope", "--verbose=1", "--value"]),
        (":vb:", &["p", "--value"]),
        ("vb:", &["p", "-vb1", "--", "--verbose"]),
        ("vb:", &["p", "--v", "--o"]),
    ];
    for (opts, words) in long {
        check(Kind::Long, opts, words);
    }
    check(
        Kind::LongOnly,
        "vb:",
        &["p", "-verbose", "-v", "-value=2", "-b", "3", "-opt", "-x"],
    );
}

#[test]
#[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
fn random_vectors() {
    let words = [
        "-a",
        "-b",
        "-ab",
        "-c",
        "-cfoo",
        "x",
        "y",
        "-",
        "--",
        "-z",
        "-bc",
        "-a:",
        "--verbose",
        "--value=1",
        "--value",
        "--val",
        "--ver",
        "--opt",
        "--opt=2",
        "--nope",
        "--flag",
        "-v",
        "-verbose",
        "-abc",
    ];
    let optstrings = [
        "abc:", "ab:c::", "+ab:c", "-abc:", ":ab:c", "+:ab:", "-:a::b", "vab:c",
    ];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..3000 {
        let n = (next() % 7) as usize;
        let mut v = std::vec!["prog"];
        for _ in 0..n {
            v.push(words[(next() % words.len() as u64) as usize]);
        }
        let opts = optstrings[(next() % optstrings.len() as u64) as usize];
        let kind = match next() % 3 {
            0 => Kind::Short,
            1 => Kind::Long,
            _ => Kind::LongOnly,
        };
        check(kind, opts, &v);
    }
}

/// Our side only (Miri runs it): the steps of a few vectors, as glibc
/// gives them (the cases above check that against glibc itself).
#[test]
fn expected_steps() {
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let q = b'?' as c_int;
    let (steps, order) = run(
        false,
        Kind::Short,
        "ab:c",
        &["p", "x", "-ab", "v", "-z", "y", "-c"],
    );
    let expected: Vec<Step> = std::vec![
        (b'a' as c_int, None, 2, 0, -1),
        (b'b' as c_int, Some("v".into()), 4, 0, -1),
        (q, None, 5, b'z' as c_int, -1),
        (b'c' as c_int, None, 7, 0, -1),
        (-1, None, 5, 0, -1),
        (0, None, 0, 0, 0),
    ];
    assert_eq!(steps, expected);
    assert_eq!(order, ["p", "-ab", "v", "-z", "-c", "x", "y"]);
    let (steps, _) = run(false, Kind::Short, ":a:", &["p", "-a"]);
    assert_eq!(steps[0], (b':' as c_int, None, 2, b'a' as c_int, -1));
    let (steps, _) = run(false, Kind::Long, "v", &["p", "--val=3", "--flag", "--ver"]);
    assert_eq!(steps[0], (1000, Some("3".into()), 2, 0, 1));
    assert_eq!(steps[1], (0, None, 3, 0, 4));
    assert_eq!(steps[2], (q, None, 4, 0, -1), "ambiguous");
    assert_eq!(steps.last().unwrap().0, 7, "flag set");
}

/// What `f` writes to descriptor 2 (through a pipe put in its place).
fn stderr_of(f: impl FnOnce()) -> Vec<u8> {
    let mut p = [0; 2];
    // SAFETY: plain descriptor calls on descriptors this test owns; the
    // buffer is ours. Descriptor 2 is restored before returning.
    unsafe {
        assert_eq!(libc::pipe(p.as_mut_ptr()), 0);
        let saved = libc::dup(2);
        libc::dup2(p[1], 2);
        f();
        libc::dup2(saved, 2);
        libc::close(saved);
        libc::close(p[1]);
        let mut out = std::vec![0u8; 4096];
        let n = libc::read(p[0], out.as_mut_ptr().cast(), out.len());
        libc::close(p[0]);
        out.truncate(n.max(0) as usize);
        out
    }
}

#[test]
#[cfg_attr(miri, ignore = "makes system calls and calls the host C library")]
fn error_messages_match_glibc() {
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let cases: &[(Kind, &str, &[&str])] = &[
        (Kind::Short, "ab:", &["prog", "-z", "-b"]),
        (Kind::Short, "+:ab:", &["prog", "-z", "-b"]),
        (
            Kind::Long,
            "ab:",
            &["./x", "--nope", "--verbose=3", "--value", "--ver", "--vi"],
        ),
        (Kind::Long, "ab:", &["p", "--nope=3"]),
        (Kind::Long, "ab:", &["p", "--value"]),
        (Kind::Long, ":ab:", &["p", "--value"]),
        (Kind::Long, "ab:", &["p", "--ver", "--v"]),
        (Kind::LongOnly, "ab:", &["p", "-ver", "-value"]),
        (Kind::LongOnly, "ab:", &["p", "-nope", "-z"]),
    ];
    for &(kind, opts, words) in cases {
        let ours = stderr_of(|| {
            run_with(false, kind, opts, words, 1);
        });
        let host = stderr_of(|| {
            run_with(true, kind, opts, words, 1);
        });
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&host),
            "{kind:?} {opts:?} {words:?}"
        );
    }
}
