//! Host tests of `<string.h>`: each export against the host C library
//! (skipped under Miri, which cannot call it) and against fixed answers.

use super::*;
use std::ffi::CStr;
use std::vec::Vec;

/// Test strings, NUL-terminated.
const STRS: &[&[u8]] = &[
    b"\0",
    b"a\0",
    b"abc\0",
    b"abd\0",
    b"ab\0",
    b"hello, world\0",
    b"\xff\x80high\0",
    b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\0",
    b" \t x,y;;z \0",
];

fn p(s: &[u8]) -> *const c_char {
    s.as_ptr().cast()
}

fn sign(x: c_int) -> c_int {
    x.signum()
}

#[test]
fn mem_copy_move_set() {
    let mut buf: Vec<u8> = (0..200u8).collect();
    let src: Vec<u8> = (100..200u8).collect();
    // SAFETY: every range is inside `buf` or `src`.
    unsafe {
        assert_eq!(
            memcpy(buf.as_mut_ptr().cast(), src.as_ptr().cast(), 100),
            buf.as_mut_ptr().cast()
        );
        assert_eq!(&buf[..100], &src[..]);
        memset(buf.as_mut_ptr().add(10).cast(), 0x1ff, 5);
        assert_eq!(&buf[9..16], &[109, 255, 255, 255, 255, 255, 115]);
        memset(buf.as_mut_ptr().cast(), 0, 0);
        // Overlapping, both directions.
        for (d, s, n) in [
            (0usize, 5usize, 100usize),
            (5, 0, 100),
            (3, 3, 50),
            (0, 1, 199),
            (1, 0, 199),
        ] {
            let mut a: Vec<u8> = (0..200u8).collect();
            let mut b = a.clone();
            let base = a.as_mut_ptr();
            memmove(base.add(d).cast(), base.add(s).cast(), n);
            b.copy_within(s..s + n, d);
            assert_eq!(a, b, "memmove {d} {s} {n}");
        }
    }
}

#[test]
fn mem_compare_and_search() {
    let a = b"abcdef\x80xyz";
    let b = b"abcdeg\x01xyz";
    // SAFETY: every length is within both arrays.
    unsafe {
        for n in 0..=a.len() {
            let ours = memcmp(a.as_ptr().cast(), b.as_ptr().cast(), n);
            let expected = a[..n].cmp(&b[..n]) as c_int;
            assert_eq!(sign(ours), expected);
        }
        assert!(memcmp(b"\x80".as_ptr().cast(), b"\x01".as_ptr().cast(), 1) > 0);
        assert_eq!(
            memchr(a.as_ptr().cast(), b'd' as c_int, 10),
            a.as_ptr().add(3).cast_mut().cast()
        );
        assert_eq!(
            memchr(a.as_ptr().cast(), 0x180, 10),
            a.as_ptr().add(6).cast_mut().cast()
        );
        assert!(memchr(a.as_ptr().cast(), b'z' as c_int, 9).is_null());
        let r = b"abcabc";
        assert_eq!(
            memrchr(r.as_ptr().cast(), b'b' as c_int, 6),
            r.as_ptr().add(4).cast_mut().cast()
        );
        assert!(memrchr(r.as_ptr().cast(), b'q' as c_int, 6).is_null());
        assert!(memrchr(r.as_ptr().cast(), b'a' as c_int, 0).is_null());
    }
}

#[test]
fn lengths_copies_and_concatenation() {
    // SAFETY: every buffer is large enough for what is written.
    unsafe {
        for s in STRS {
            assert_eq!(strlen(p(s)), s.len() - 1);
            for max in 0..s.len() + 2 {
                assert_eq!(strnlen(p(s), max), (s.len() - 1).min(max));
            }
            let mut buf = [0x55u8; 64];
            let d = buf.as_mut_ptr().cast::<c_char>();
            assert_eq!(strcpy(d, p(s)), d);
            assert_eq!(&buf[..s.len()], *s);
            // Reading `buf` ends `d`'s write permission: derive it again.
            let d = buf.as_mut_ptr().cast::<c_char>();
            assert_eq!(stpcpy(d, p(s)), d.add(s.len() - 1));
            for n in [0usize, 1, 2, 5, 45] {
                let mut ours = [0x55u8; 64];
                let mut theirs = [0x55u8; 64];
                let r = stpncpy(ours.as_mut_ptr().cast(), p(s), n);
                strncpy(ours.as_mut_ptr().cast(), p(s), n);
                #[cfg(not(miri))]
                {
                    let t = libc::stpncpy(theirs.as_mut_ptr().cast(), p(s), n);
                    assert_eq!(
                        r.offset_from(ours.as_ptr().cast()),
                        t.offset_from(theirs.as_ptr().cast())
                    );
                }
                #[cfg(miri)]
                {
                    let len = (s.len() - 1).min(n);
                    theirs[..len].copy_from_slice(&s[..len]);
                    theirs[len..n].fill(0);
                    assert_eq!(r, ours.as_mut_ptr().add(len).cast());
                }
                assert_eq!(ours, theirs);
            }
        }
        let mut buf = [0u8; 32];
        let d = buf.as_mut_ptr().cast::<c_char>();
        strcpy(d, p(b"foo\0"));
        strcat(d, p(b"bar\0"));
        strncat(d, p(b"bazqux\0"), 3);
        strncat(d, p(b"!\0"), 10);
        strncat(d, p(b"zzz\0"), 0);
        assert_eq!(CStr::from_ptr(d).to_bytes(), b"foobarbaz!");
    }
}

#[test]
fn comparisons() {
    // SAFETY: all test strings are NUL-terminated.
    unsafe {
        for a in STRS {
            for b in STRS {
                let expected = a[..a.len() - 1].cmp(&b[..b.len() - 1]) as c_int;
                assert_eq!(sign(strcmp(p(a), p(b))), expected);
                assert_eq!(sign(strcoll(p(a), p(b))), expected);
                for n in 0..6 {
                    let ours = sign(strncmp(p(a), p(b), n));
                    #[cfg(not(miri))]
                    assert_eq!(ours, sign(libc::strncmp(p(a), p(b), n)));
                    let _ = ours;
                }
            }
        }
        let mut buf = [0x55u8; 8];
        assert_eq!(strxfrm(buf.as_mut_ptr().cast(), p(b"hello\0"), 8), 5);
        assert_eq!(&buf[..6], b"hello\0");
        let mut buf = [0x55u8; 8];
        assert_eq!(strxfrm(buf.as_mut_ptr().cast(), p(b"hello\0"), 5), 5);
        assert_eq!(buf, [0x55; 8]);
        assert_eq!(strxfrm(ptr::null_mut(), p(b"abc\0"), 0), 3);
    }
}

#[test]
fn searches() {
    let needles: &[&[u8]] = &[
        b"\0", b"a\0", b"ab\0", b"b\0", b"world\0", b"aab\0", b"zz\0", b",;\0", b" \t\0",
    ];
    // SAFETY: all test strings are NUL-terminated.
    unsafe {
        for s in STRS {
            for c in [
                0,
                b'a' as c_int,
                b'b' as c_int,
                b'z' as c_int,
                0xff,
                -1,
                0x100 + b'a' as c_int,
            ] {
                let ours = [strchr(p(s), c), strrchr(p(s), c)];
                let nul = strchrnul(p(s), c);
                let expected_first = s.iter().position(|&b| b == c as u8);
                assert_eq!(
                    ours[0],
                    expected_first.map_or(ptr::null_mut(), |i| p(s).add(i).cast_mut())
                );
                assert_eq!(
                    nul,
                    p(s).add(expected_first.unwrap_or(s.len() - 1)).cast_mut()
                );
                let expected_last = s.iter().rposition(|&b| b == c as u8);
                assert_eq!(
                    ours[1],
                    expected_last.map_or(ptr::null_mut(), |i| p(s).add(i).cast_mut())
                );
                #[cfg(not(miri))]
                {
                    assert_eq!(ours[0], libc::strchr(p(s), c));
                    assert_eq!(ours[1], libc::strrchr(p(s), c));
                }
            }
            for n in needles {
                let ours = (
                    strstr(p(s), p(n)),
                    strspn(p(s), p(n)),
                    strcspn(p(s), p(n)),
                    strpbrk(p(s), p(n)),
                );
                #[cfg(not(miri))]
                {
                    let theirs = (
                        libc::strstr(p(s), p(n)),
                        libc::strspn(p(s), p(n)),
                        libc::strcspn(p(s), p(n)),
                        libc::strpbrk(p(s), p(n)),
                    );
                    assert_eq!(ours, theirs);
                }
                let _ = ours;
            }
        }
    }
}

#[test]
fn tokens() {
    let mut text = *b";;a,b;;c,,\0";
    let mut save = ptr::null_mut();
    let mut got = Vec::new();
    // SAFETY: `text` is a writable NUL-terminated string alive throughout.
    unsafe {
        let mut tok = strtok_r(text.as_mut_ptr().cast(), p(b",;\0"), &mut save);
        while !tok.is_null() {
            got.push(CStr::from_ptr(tok).to_bytes().to_vec());
            tok = strtok_r(ptr::null_mut(), p(b",;\0"), &mut save);
        }
        assert!(strtok_r(ptr::null_mut(), p(b",;\0"), &mut save).is_null());
        assert_eq!(got, [b"a".to_vec(), b"b".to_vec(), b"c".to_vec()]);
        let mut other = *b"  x  y\0";
        assert_eq!(
            CStr::from_ptr(strtok(other.as_mut_ptr().cast(), p(b" \0"))).to_bytes(),
            b"x"
        );
        assert_eq!(
            CStr::from_ptr(strtok(ptr::null_mut(), p(b" \0"))).to_bytes(),
            b"y"
        );
        assert!(strtok(ptr::null_mut(), p(b" \0")).is_null());
        let mut empty = *b",,,\0";
        assert!(strtok(empty.as_mut_ptr().cast(), p(b",\0")).is_null());
    }
}

#[test]
fn duplicates() {
    // SAFETY: the copies come from `malloc` and are freed once.
    unsafe {
        for s in STRS {
            let d = strdup(p(s));
            assert_eq!(CStr::from_ptr(d).to_bytes_with_nul(), *s);
            crate::stdlib::malloc::free(d.cast());
            let d = strndup(p(s), 2);
            assert_eq!(CStr::from_ptr(d).to_bytes(), &s[..(s.len() - 1).min(2)]);
            crate::stdlib::malloc::free(d.cast());
        }
    }
}

#[test]
#[cfg_attr(miri, ignore = "calls the host C library")]
fn messages_match_glibc() {
    // SAFETY: both return NUL-terminated strings valid until the next call
    // on this thread.
    unsafe {
        for n in -3..200 {
            let ours = CStr::from_ptr(strerror(n)).to_bytes().to_vec();
            let theirs = CStr::from_ptr(libc::strerror(n)).to_bytes().to_vec();
            assert_eq!(ours, theirs, "strerror({n})");
            let mut a = [0x55u8; 64];
            let mut b = [0x55u8; 64];
            let mut c = [0x55u8; 64];
            for len in [0usize, 1, 5, 64] {
                let r = strerror_r(n, a.as_mut_ptr().cast(), len);
                let t = libc::strerror_r(n, b.as_mut_ptr().cast(), len);
                assert_eq!((r, a), (t, b), "strerror_r({n}, {len})");
                // The `libc` crate's `strerror_r` is glibc's
                // `__xpg_strerror_r`: the same comparison under that name.
                let x = __xpg_strerror_r(n, c.as_mut_ptr().cast(), len);
                assert_eq!((x, c), (t, b), "__xpg_strerror_r({n}, {len})");
            }
        }
        for sig in -1..70 {
            let ours = CStr::from_ptr(strsignal(sig)).to_bytes().to_vec();
            let theirs = CStr::from_ptr(libc::strsignal(sig)).to_bytes().to_vec();
            assert_eq!(ours, theirs, "strsignal({sig})");
        }
    }
}

#[test]
fn messages() {
    // SAFETY: as above.
    unsafe {
        assert_eq!(CStr::from_ptr(strerror(0)).to_bytes(), b"Success");
        assert_eq!(
            CStr::from_ptr(strerror(2)).to_bytes(),
            b"No such file or directory"
        );
        assert_eq!(
            CStr::from_ptr(strerror(4000)).to_bytes(),
            b"Unknown error 4000"
        );
        assert_eq!(CStr::from_ptr(strerror(-7)).to_bytes(), b"Unknown error -7");
        assert_eq!(
            CStr::from_ptr(strerror(c_int::MIN)).to_bytes(),
            b"Unknown error -2147483648"
        );
        let mut buf = [0u8; 8];
        assert_eq!(strerror_r(2, buf.as_mut_ptr().cast(), 8), ERANGE);
        assert_eq!(&buf, b"No such\0");
        assert_eq!(strerror_r(999, buf.as_mut_ptr().cast(), 8), EINVAL);
        let mut buf = [0u8; 32];
        assert_eq!(strerror_r(999, buf.as_mut_ptr().cast(), 32), EINVAL);
        assert_eq!(
            CStr::from_ptr(buf.as_ptr().cast()).to_bytes(),
            b"Unknown error 999"
        );
        assert_eq!(CStr::from_ptr(strsignal(9)).to_bytes(), b"Killed");
        assert_eq!(
            CStr::from_ptr(strsignal(35)).to_bytes(),
            b"Real-time signal 1"
        );
        assert_eq!(CStr::from_ptr(strsignal(0)).to_bytes(), b"Unknown signal 0");
    }
}

#[test]
fn gnu_and_bsd_extras() {
    // SAFETY: every range is inside its array; strings NUL-terminated.
    unsafe {
        let src = b"hello world";
        let mut dst = [0u8; 16];
        let r = memccpy(
            dst.as_mut_ptr().cast(),
            src.as_ptr().cast(),
            b' ' as c_int,
            11,
        );
        assert_eq!(r, dst.as_mut_ptr().add(6).cast());
        assert_eq!(&dst[..6], b"hello ");
        let mut dst = [0u8; 16];
        assert!(
            memccpy(
                dst.as_mut_ptr().cast(),
                src.as_ptr().cast(),
                b'z' as c_int,
                11
            )
            .is_null()
        );
        assert_eq!(&dst[..11], src);
        let mut dst = [0u8; 16];
        assert_eq!(
            mempcpy(dst.as_mut_ptr().cast(), src.as_ptr().cast(), 5),
            dst.as_mut_ptr().add(5).cast()
        );
        let hay = b"abcabcd";
        assert_eq!(
            memmem(hay.as_ptr().cast(), 7, b"bcd".as_ptr().cast(), 3),
            hay.as_ptr().add(4).cast_mut().cast()
        );
        assert!(memmem(hay.as_ptr().cast(), 7, b"bce".as_ptr().cast(), 3).is_null());
        assert!(memmem(hay.as_ptr().cast(), 2, b"abc".as_ptr().cast(), 3).is_null());
        assert_eq!(
            memmem(hay.as_ptr().cast(), 7, b"".as_ptr().cast(), 0),
            hay.as_ptr().cast_mut().cast()
        );
        let mut text = *b"a,,b\0";
        let mut at = text.as_mut_ptr().cast::<c_char>();
        let mut toks = Vec::new();
        loop {
            let t = strsep(&mut at, p(b",\0"));
            if t.is_null() {
                break;
            }
            toks.push(CStr::from_ptr(t).to_bytes().to_vec());
        }
        assert_eq!(toks, [b"a".to_vec(), b"".to_vec(), b"b".to_vec()]);
        let s = b"Hello World\0";
        assert_eq!(strcasestr(p(s), p(b"wORLD\0")), p(s).add(6).cast_mut());
        assert!(strcasestr(p(s), p(b"xyz\0")).is_null());
        assert_eq!(strcasestr(p(s), p(b"\0")), p(s).cast_mut());
        let mut secret = [7u8; 8];
        explicit_bzero(secret.as_mut_ptr().cast(), 8);
        assert_eq!(secret, [0; 8]);
    }
}

#[test]
#[cfg_attr(miri, ignore = "calls the host C library")]
fn extras_match_glibc() {
    unsafe extern "C" {
        #[link_name = "strcasestr"]
        fn host_strcasestr(h: *const c_char, n: *const c_char) -> *mut c_char;
        #[link_name = "memmem"]
        fn host_memmem(h: *const c_void, hl: size_t, n: *const c_void, nl: size_t) -> *mut c_void;
    }
    // SAFETY: NUL-terminated strings, ranges inside them.
    unsafe {
        for a in STRS {
            for b in STRS {
                assert_eq!(strcasestr(p(a), p(b)), host_strcasestr(p(a), p(b)));
                let (al, bl) = (a.len() - 1, b.len() - 1);
                assert_eq!(
                    memmem(a.as_ptr().cast(), al, b.as_ptr().cast(), bl),
                    host_memmem(a.as_ptr().cast(), al, b.as_ptr().cast(), bl)
                );
            }
        }
    }
}

/// `strlen` at every alignment and length up to 300, and with the NUL as
/// the last byte before an unmapped page (its 16-byte loads must stop at
/// the NUL's block).
#[test]
#[cfg_attr(miri, ignore = "maps and protects pages with the host's mmap")]
fn strlen_every_alignment_and_a_page_end() {
    #[cfg(not(miri))]
    {
        let mut buf = [0u8; 400];
        for start in 0..64 {
            for len in 0..300 {
                buf.fill(b'x');
                buf[start + len] = 0;
                // SAFETY: a NUL-terminated string inside `buf`.
                let n = unsafe { strlen(buf.as_ptr().add(start).cast()) };
                assert_eq!(n, len, "start {start} len {len}");
            }
        }
        // SAFETY: two fresh anonymous pages, the second made inaccessible;
        // every string below ends inside the first.
        unsafe {
            let page = 4096;
            let map = libc::mmap(
                core::ptr::null_mut(),
                2 * page,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            );
            assert_ne!(map, libc::MAP_FAILED);
            assert_eq!(
                libc::mprotect(map.cast::<u8>().add(page).cast(), page, libc::PROT_NONE),
                0
            );
            let first = map.cast::<u8>();
            core::ptr::write_bytes(first, b'y', page);
            *first.add(page - 1) = 0;
            for len in 0..300 {
                let s = first.add(page - 1 - len);
                assert_eq!(strlen(s.cast()), len, "len {len} at the page's end");
            }
            libc::munmap(map, 2 * page);
        }
    }
}

/// `memcpy` of every size to 300 at several alignments, and `memmove` of
/// the same sizes over every overlap distance to 70 both ways, against a
/// byte-by-byte model; nothing outside the destination changes.
#[test]
fn copies_of_every_size_and_overlap() {
    let pattern = |i: usize| (i * 7 + 3) as u8;
    // Under Miri (the byte loop) fewer: it is slow.
    let sizes = if cfg!(miri) { 0..20 } else { 0..300 };
    let distances = if cfg!(miri) { 0..5 } else { 0..70 };
    for n in sizes.clone() {
        for (da, sa) in [(0, 0), (1, 0), (0, 3), (5, 11), (8, 8), (15, 1)] {
            let src: Vec<u8> = (0..400).map(pattern).collect();
            let mut dst = [0xeeu8; 400];
            // SAFETY: both ranges inside their arrays, disjoint.
            unsafe {
                memcpy(
                    dst.as_mut_ptr().add(da).cast(),
                    src.as_ptr().add(sa).cast(),
                    n,
                )
            };
            for (i, &b) in dst.iter().enumerate() {
                let want = if i >= da && i < da + n {
                    src[sa + i - da]
                } else {
                    0xee
                };
                assert_eq!(b, want, "memcpy n {n} dst+{da} src+{sa} byte {i}");
            }
        }
    }
    for n in sizes {
        for dist in distances.clone() {
            for forward in [true, false] {
                let mut buf: Vec<u8> = (0..500).map(pattern).collect();
                let model = buf.clone();
                let (d, s) = if forward {
                    (50, 50 + dist)
                } else {
                    (50 + dist, 50)
                };
                // SAFETY: both ranges inside `buf`.
                unsafe {
                    memmove(
                        buf.as_mut_ptr().add(d).cast(),
                        buf.as_ptr().add(s).cast(),
                        n,
                    )
                };
                let mut want = model.clone();
                want[d..d + n].copy_from_slice(&model[s..s + n]);
                assert_eq!(buf, want, "memmove n {n} dst {d} src {s}");
            }
        }
    }
}

/// `memset` of every size to 300 at every alignment to 16, against a
/// byte-by-byte model; nothing outside the range changes.
#[test]
fn fills_of_every_size_and_alignment() {
    // Under Miri (the byte loop) fewer: it is slow.
    let (sizes, alignments) = if cfg!(miri) {
        (0..20, 0..3)
    } else {
        (0..300, 0..16)
    };
    for n in sizes {
        for at in alignments.clone() {
            let mut buf = [0xeeu8; 340];
            // SAFETY: the range is inside `buf`.
            unsafe { memset(buf.as_mut_ptr().add(at).cast(), 0x1a5, n) };
            for (i, &b) in buf.iter().enumerate() {
                let want = if i >= at && i < at + n { 0xa5 } else { 0xee };
                assert_eq!(b, want, "memset n {n} at +{at} byte {i}");
            }
        }
    }
}
