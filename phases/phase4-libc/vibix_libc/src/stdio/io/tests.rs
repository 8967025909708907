//! (internal) Streams against the host's glibc: the same sequence of
//! calls on our `FILE` and on glibc's, in a scratch directory, with the
//! results compared step by step.

use std::ffi::CString;
use std::format;
use std::string::String;
use std::vec::Vec;

use super::*;
use crate::stdio::file::{_IOFBF, _IOLBF, _IONBF, setvbuf};
use crate::stdio::open::{fclose, fdopen, fileno, fopen, freopen, remove, rename, tmpfile};
use crate::stdio::printf::fprintf;
use crate::stdio::scanf::fscanf;

fn scratch(name: &str) -> CString {
    let dir = std::env::temp_dir().join(format!("vibix-stdio-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    CString::new(dir.join(name).to_str().unwrap()).unwrap()
}

/// Runs one scenario on either library; returns a transcript.
macro_rules! scenario {
    ($name:ident, $lib:path) => {
        fn $name(path: &CString) -> Vec<String> {
            use $lib as l;
            let mut t = Vec::new();
            // SAFETY: every stream is used while open, with valid buffers.
            unsafe {
                let f = l::fopen(path.as_ptr(), c"w+".as_ptr());
                t.push(format!("open {}", !f.is_null()));
                let data = b"line one\nline two\nthird line without newline";
                t.push(format!(
                    "fwrite {}",
                    l::fwrite(data.as_ptr().cast(), 1, data.len(), f)
                ));
                t.push(format!("ftell {}", l::ftell(f)));
                t.push(format!("fseek {}", l::fseek(f, 5, SEEK_SET)));
                t.push(format!("fgetc {}", l::fgetc(f)));
                t.push(format!("ungetc {}", l::ungetc(b'X' as c_int, f)));
                t.push(format!("ftell {}", l::ftell(f)));
                t.push(format!("fgetc {}", l::fgetc(f)));
                let mut buf = [0 as c_char; 32];
                let p = l::fgets(buf.as_mut_ptr(), 32, f);
                t.push(format!(
                    "fgets {} {:?}",
                    !p.is_null(),
                    std::ffi::CStr::from_ptr(buf.as_ptr())
                ));
                let p = l::fgets(buf.as_mut_ptr(), 5, f);
                t.push(format!(
                    "fgets {} {:?}",
                    !p.is_null(),
                    std::ffi::CStr::from_ptr(buf.as_ptr())
                ));
                t.push(format!("ftell {}", l::ftell(f)));
                t.push(format!("fseek {}", l::fseek(f, -4, SEEK_END)));
                let mut r = [0u8; 10];
                t.push(format!(
                    "fread {} {:?}",
                    l::fread(r.as_mut_ptr().cast(), 1, 10, f),
                    &r
                ));
                t.push(format!(
                    "feof {} ferror {}",
                    l::feof(f) != 0,
                    l::ferror(f) != 0
                ));
                t.push(format!("fgetc {}", l::fgetc(f)));
                l::clearerr(f);
                t.push(format!("feof {}", l::feof(f) != 0));
                l::rewind(f);
                let mut line: *mut c_char = core::ptr::null_mut();
                let mut cap: size_t = 0;
                for _ in 0..4 {
                    let n = l::getline(&raw mut line, &raw mut cap, f);
                    let s = if n >= 0 {
                        std::ffi::CStr::from_ptr(line)
                            .to_string_lossy()
                            .into_owned()
                    } else {
                        String::new()
                    };
                    t.push(format!("getline {n} {s:?}"));
                }
                l::free(line.cast());
                line = core::ptr::null_mut();
                cap = 0;
                t.push(format!("fseek {}", l::fseek(f, 0, SEEK_END)));
                t.push(format!(
                    "fputs {}",
                    l::fputs(c"\nappended".as_ptr(), f) >= 0
                ));
                t.push(format!("fputc {}", l::fputc(b'!' as c_int, f)));
                t.push(format!("fflush {}", l::fflush(f)));
                t.push(format!("ftell {}", l::ftell(f)));
                t.push(format!("fseek {}", l::fseek(f, 0, 7)));
                t.push(format!("fileno ok {}", l::fileno(f) > 2));
                let mut pos: l::fpos_t = core::mem::zeroed();
                l::fseek(f, 3, SEEK_SET);
                t.push(format!("fgetpos {}", l::fgetpos(f, &raw mut pos)));
                l::fgetc(f);
                t.push(format!("fsetpos {}", l::fsetpos(f, &raw const pos)));
                t.push(format!("ftell {}", l::ftell(f)));
                t.push(format!(
                    "getdelim {}",
                    l::getdelim(&raw mut line, &raw mut cap, b'o' as c_int, f)
                ));
                l::free(line.cast());
                t.push(format!("fclose {}", l::fclose(f)));

                // End of file is sticky until clearerr.
                let r = l::fopen(path.as_ptr(), c"r".as_ptr());
                l::fseek(r, 0, SEEK_END);
                t.push(format!("at end {}", l::fgetc(r)));
                let w = l::fopen(path.as_ptr(), c"a".as_ptr());
                l::fputs(c"more".as_ptr(), w);
                l::fclose(w);
                t.push(format!("still at end {}", l::fgetc(r)));
                l::clearerr(r);
                t.push(format!("after clearerr {}", l::fgetc(r)));
                // fflush of a pipe's input stream keeps what was read ahead.
                let mut fds = [0; 2];
                libc::pipe(fds.as_mut_ptr());
                libc::write(fds[1], b"xyz".as_ptr().cast(), 3);
                libc::close(fds[1]);
                let p = l::fdopen(fds[0], c"r".as_ptr());
                t.push(format!("pipe {}", l::fgetc(p)));
                t.push(format!("fflush pipe {}", l::fflush(p)));
                t.push(format!("pipe {} {}", l::fgetc(p), l::fgetc(p)));
                t.push(format!("ftell pipe {}", l::ftell(p)));
                l::fclose(p);
                l::fclose(r);

                // Reading a write-only stream fails with the error flag.
                let f = l::fopen(path.as_ptr(), c"a".as_ptr());
                t.push(format!(
                    "fgetc on a {} ferror {}",
                    l::fgetc(f),
                    l::ferror(f) != 0
                ));
                t.push(format!(
                    "setvbuf {}",
                    l::setvbuf(f, core::ptr::null_mut(), _IONBF, 0)
                ));
                t.push(format!(
                    "fprintf {}",
                    l::fprintf(f, c"%d-%s\n".as_ptr(), 42, c"x".as_ptr())
                ));
                t.push(format!("fclose {}", l::fclose(f)));
                let f = l::fopen(path.as_ptr(), c"r".as_ptr());
                t.push(format!(
                    "setvbuf {}",
                    l::setvbuf(f, core::ptr::null_mut(), _IOLBF, 16)
                ));
                t.push(format!(
                    "setvbuf bad {}",
                    l::setvbuf(f, core::ptr::null_mut(), 9, 16)
                ));
                let mut word = [0u8; 16];
                let mut n: c_int = 0;
                t.push(format!(
                    "fscanf {}",
                    l::fscanf(f, c"%15s %n".as_ptr(), word.as_mut_ptr(), &raw mut n)
                ));
                t.push(format!(
                    "word {:?} n {n} ftell {}",
                    std::ffi::CStr::from_ptr(word.as_ptr().cast()),
                    l::ftell(f)
                ));
                t.push(format!(
                    "fputc on r {} ferror {}",
                    l::fputc(b'x' as c_int, f),
                    l::ferror(f) != 0
                ));
                let g = l::freopen(path.as_ptr(), c"r+".as_ptr(), f);
                t.push(format!("freopen same {}", g == f));
                t.push(format!("fgetc {}", l::fgetc(g)));
                t.push(format!("fclose {}", l::fclose(g)));

                // Modes and errors.
                *libc::__errno_location() = 0;
                crate::errno::__errno_location().write(0);
                let bad = l::fopen(path.as_ptr(), c"q".as_ptr());
                t.push(format!("fopen q {}", bad.is_null()));
                let bad = l::fopen(path.as_ptr(), c"wx".as_ptr());
                t.push(format!("fopen wx existing {}", bad.is_null()));
                let bad = l::fopen(c"/nonexistent/dir/file".as_ptr(), c"r".as_ptr());
                t.push(format!("fopen missing {}", bad.is_null()));
                let f = l::fopen(path.as_ptr(), c"re".as_ptr());
                let fd = l::fileno(f);
                t.push(format!(
                    "cloexec {}",
                    libc::fcntl(fd, libc::F_GETFD) & libc::FD_CLOEXEC
                ));
                l::fclose(f);
                let fd = libc::open(path.as_ptr(), libc::O_RDONLY);
                let bad = l::fdopen(fd, c"w".as_ptr());
                t.push(format!("fdopen w on O_RDONLY {}", bad.is_null()));
                let f = l::fdopen(fd, c"r".as_ptr());
                t.push(format!("fdopen r {} fgetc {}", !f.is_null(), l::fgetc(f)));
                l::fclose(f);

                let tf = l::tmpfile();
                t.push(format!("tmpfile {}", !tf.is_null()));
                l::fputs(c"temp data".as_ptr(), tf);
                l::rewind(tf);
                let mut b = [0u8; 4];
                t.push(format!(
                    "tmp read {} {:?}",
                    l::fread(b.as_mut_ptr().cast(), 2, 2, tf),
                    b
                ));
                l::fclose(tf);

                let mut other = path.as_bytes().to_vec();
                other.extend_from_slice(b".moved");
                let other = CString::new(other).unwrap();
                t.push(format!(
                    "rename {}",
                    l::rename(path.as_ptr(), other.as_ptr())
                ));
                t.push(format!("remove {}", l::remove(other.as_ptr())));
                t.push(format!("remove again {}", l::remove(other.as_ptr())));
            }
            t
        }
    };
}

/// Our library, under the names the scenario uses.
mod ours {
    pub use crate::stdio::file::{fpos_t, setvbuf};
    pub use crate::stdio::io::*;
    pub use crate::stdio::open::*;
    pub use crate::stdio::printf::fprintf;
    pub use crate::stdio::scanf::fscanf;
    pub use libc::free;
}

scenario!(with_ours, ours);
/// glibc, with the one function the `libc` crate does not declare.
mod glibc {
    pub use libc::*;
    unsafe extern "C" {
        pub fn getdelim(
            line: *mut *mut c_char,
            n: *mut size_t,
            delim: c_int,
            f: *mut FILE,
        ) -> ssize_t;
    }
}

scenario!(with_glibc, glibc);

#[test]
#[cfg_attr(miri, ignore = "real files and system calls")]
fn streams_behave_as_glibcs() {
    let a = scratch("ours");
    let b = scratch("glibc");
    let mine = with_ours(&a);
    let host = with_glibc(&b);
    for (k, (m, h)) in mine.iter().zip(host.iter()).enumerate() {
        assert_eq!(m, h, "step {k}");
    }
    assert_eq!(mine.len(), host.len());
}

#[test]
#[cfg_attr(miri, ignore = "real files and system calls")]
fn errors_set_errno_like_glibc() {
    let missing = c"/nonexistent/dir/file";
    // SAFETY: plain calls with valid strings.
    unsafe {
        assert!(fopen(missing.as_ptr(), c"r".as_ptr()).is_null());
        assert_eq!(vibix_abi::errno::errno(), libc::ENOENT);
        assert!(fopen(missing.as_ptr(), c"z".as_ptr()).is_null());
        assert_eq!(vibix_abi::errno::errno(), libc::EINVAL);
        assert_eq!(remove(missing.as_ptr()), -1);
        assert_eq!(vibix_abi::errno::errno(), libc::ENOENT);
        assert_eq!(rename(missing.as_ptr(), c"/tmp/x".as_ptr()), -1);
        assert_eq!(vibix_abi::errno::errno(), libc::ENOENT);
        assert!(fdopen(-1, c"r".as_ptr()).is_null());
        assert_eq!(vibix_abi::errno::errno(), libc::EBADF);
    }
    let _ = (
        fileno, freopen, fclose, tmpfile, setvbuf, _IOFBF, fprintf, fscanf,
    );
}

#[test]
#[cfg_attr(miri, ignore = "real files and system calls")]
fn getline_at_end_of_file_allocates_and_fails() {
    let path = scratch("empty");
    std::fs::write(path.to_str().unwrap(), b"").unwrap();
    // SAFETY: a fresh stream and buffer pointers of ours.
    unsafe {
        let f = fopen(path.as_ptr(), c"r".as_ptr());
        let mut line: *mut c_char = core::ptr::null_mut();
        let mut cap: size_t = 0;
        assert_eq!(getline(&raw mut line, &raw mut cap, f), -1);
        assert!(!line.is_null() && cap > 0);
        assert_eq!(feof(f), 1);
        libc::free(line.cast());
        assert_eq!(fclose(f), 0);
    }
}

/// Two threads printing whole lines to one stream: no line is torn
/// (each call holds the stream's lock).
#[test]
#[cfg_attr(miri, ignore = "real files and threads")]
fn threads_do_not_interleave_within_a_call() {
    let path = scratch("threads");
    // SAFETY: a fresh stream, closed after both threads are joined.
    let f = unsafe { fopen(path.as_ptr(), c"w".as_ptr()) };
    // SAFETY: as above.
    unsafe { setvbuf(f, core::ptr::null_mut(), _IOFBF, 64) };
    let addr = f as usize;
    let workers: Vec<_> = (0..2)
        .map(|k| {
            std::thread::spawn(move || {
                let f = addr as *mut FILE;
                let letter = if k == 0 {
                    c"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                } else {
                    c"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
                };
                for i in 0..2000 {
                    // SAFETY: the stream outlives the threads.
                    unsafe { fprintf(f, c"%s %d\n".as_ptr(), letter.as_ptr(), i) };
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    // SAFETY: both threads are done with it.
    assert_eq!(unsafe { fclose(f) }, 0);
    let text = std::fs::read_to_string(path.to_str().unwrap()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4000);
    for line in lines {
        let (word, n) = line.split_once(' ').unwrap();
        assert!(word == "a".repeat(40) || word == "b".repeat(40), "{line:?}");
        assert!(n.parse::<u32>().unwrap() < 2000);
    }
}
