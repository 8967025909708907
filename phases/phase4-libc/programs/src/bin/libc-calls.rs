//! The `libc` crate on vibix: C library calls from Rust, each result
//! printed, compared with the same program on Linux (glibc). Files live in
//! `/tmp`; nothing printed depends on the process id or the time.

use std::ffi::{CStr, CString};
use std::sync::atomic::{AtomicU32, Ordering};

/// Counts the runs of a constructor (`.init_array`), which runs once,
/// before `main`, on Linux (linked statically or dynamically).
static CONSTRUCTED: AtomicU32 = AtomicU32::new(0);

extern "C" fn constructor() {
    CONSTRUCTED.fetch_add(1, Ordering::SeqCst);
}

#[used]
#[unsafe(link_section = ".init_array")]
static CONSTRUCTOR: extern "C" fn() = constructor;

/// The calling thread's `errno`, as C sees it.
fn errno() -> i32 {
    // SAFETY: `__errno_location` returns this thread's `errno`.
    unsafe { *libc::__errno_location() }
}

fn main() {
    println!(
        "constructor runs before main: {}",
        CONSTRUCTED.load(Ordering::SeqCst)
    );
    // The C library's view of the environment the program started with.
    // SAFETY: a NUL-terminated name; the result is read before any change.
    let value = unsafe { libc::getenv(c"VIBIX_LIBC_CALLS".as_ptr()) };
    let value = (!value.is_null())
        // SAFETY: `getenv` returned a NUL-terminated string.
        .then(|| {
            unsafe { CStr::from_ptr(value) }
                .to_string_lossy()
                .into_owned()
        });
    println!("getenv: {value:?}");
    let path = CString::new("/tmp/libc-calls.txt").unwrap();
    // SAFETY: `path` is a NUL-terminated string that outlives the call.
    let fd = unsafe {
        libc::open(
            path.as_ptr(),
            libc::O_CREAT | libc::O_TRUNC | libc::O_RDWR,
            0o644,
        )
    };
    assert!(fd >= 0, "open failed: errno {}", errno());
    let text = b"written through libc\n";
    // SAFETY: `text` is readable for its length.
    let n = unsafe { libc::write(fd, text.as_ptr().cast(), text.len()) };
    println!("write: {n}");
    // SAFETY: plain calls on a descriptor we own.
    let end = unsafe { libc::lseek(fd, 0, libc::SEEK_END) };
    println!("lseek end: {end}");
    // SAFETY: `libc::stat` is plain data; zero is a valid value.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `st` is writable and `fd` is open.
    let r = unsafe { libc::fstat(fd, &mut st) };
    println!(
        "fstat: {r} size {} regular {}",
        st.st_size,
        st.st_mode & libc::S_IFMT == libc::S_IFREG
    );
    let mut buf = [0u8; 64];
    // SAFETY: `buf` is writable for its length.
    let n = unsafe { libc::pread(fd, buf.as_mut_ptr().cast(), buf.len(), 8) };
    println!(
        "pread at 8: {n} {:?}",
        String::from_utf8_lossy(&buf[..n as usize])
    );
    // SAFETY: `fd` is ours; it is not used again.
    println!("close: {}", unsafe { libc::close(fd) });

    // Errors come back as -1 and errno.
    let missing = CString::new("/tmp/no-such-dir/file").unwrap();
    // SAFETY: as above.
    let r = unsafe { libc::open(missing.as_ptr(), libc::O_RDONLY) };
    let e = errno();
    // SAFETY: `strerror` returns a static string for any number.
    let msg = unsafe { CStr::from_ptr(libc::strerror(e)) };
    println!("open missing: {r} errno {e} ({})", msg.to_string_lossy());
    // SAFETY: closing a descriptor that is not open only fails.
    let r = unsafe { libc::close(999) };
    println!("close 999: {r} errno EBADF {}", errno() == libc::EBADF);
    // errno is the calling thread's: another thread's failure leaves it.
    let theirs = std::thread::spawn(|| {
        // SAFETY: as above.
        let r = unsafe { libc::open(c"/tmp/no-such-dir/file".as_ptr(), libc::O_RDONLY) };
        (r, errno())
    })
    .join()
    .unwrap();
    println!(
        "another thread's open: {} errno ENOENT {}; ours still EBADF {}",
        theirs.0,
        theirs.1 == libc::ENOENT,
        errno() == libc::EBADF
    );

    // Memory and strings.
    // SAFETY: `malloc` returns a block of 32 bytes or null.
    let p = unsafe { libc::malloc(32) }.cast::<u8>();
    assert!(!p.is_null());
    // SAFETY: `p` holds 32 bytes; the string and its NUL fit.
    unsafe {
        std::ptr::copy_nonoverlapping(b"heap string\0".as_ptr(), p, 12);
        println!("strlen: {}", libc::strlen(p.cast()));
        libc::free(p.cast());
    }
    let mut out = [0u8; 64];
    // SAFETY: `out` is writable for its length; the format's arguments
    // match its conversions.
    let n = unsafe {
        libc::snprintf(
            out.as_mut_ptr().cast(),
            out.len(),
            c"%d-%s-%.3f".as_ptr(),
            42,
            c"abc".as_ptr(),
            2.5f64,
        )
    };
    println!(
        "snprintf: {n} {}",
        CStr::from_bytes_until_nul(&out).unwrap().to_string_lossy()
    );

    // The C library's heap and std's, used in turn: each keeps its own
    // memory (they would overlap if both grew the program break).
    let mut c_blocks = Vec::new();
    let mut rust_blocks = Vec::new();
    for i in 0..3000usize {
        let len = 16 + (i * 37) % 2000;
        // SAFETY: `malloc` returns `len` writable bytes or null.
        let p = unsafe { libc::malloc(len) }.cast::<u8>();
        assert!(!p.is_null());
        // SAFETY: `p` holds `len` bytes.
        unsafe { std::ptr::write_bytes(p, (i % 251) as u8, len) };
        c_blocks.push((p, len, (i % 251) as u8));
        rust_blocks.push(vec![(i % 241) as u8; 16 + (i * 53) % 3000]);
    }
    let c_intact = c_blocks.iter().all(|&(p, len, byte)| {
        // SAFETY: each block is live and `len` bytes long.
        unsafe { std::slice::from_raw_parts(p, len) }
            .iter()
            .all(|&b| b == byte)
    });
    let rust_intact = rust_blocks
        .iter()
        .enumerate()
        .all(|(i, v)| v.iter().all(|&b| b == (i % 241) as u8));
    println!("heaps intact: C {c_intact}, Rust {rust_intact}");
    for (p, _, _) in c_blocks {
        // SAFETY: `p` came from `malloc` and is freed once.
        unsafe { libc::free(p.cast()) };
    }

    // A pipe, written and read.
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for two descriptors.
    println!("pipe: {}", unsafe { libc::pipe(fds.as_mut_ptr()) });
    // SAFETY: the descriptors are the pipe's; the buffers are live.
    unsafe {
        libc::write(fds[1], b"through the pipe".as_ptr().cast(), 16);
        let n = libc::read(fds[0], buf.as_mut_ptr().cast(), buf.len());
        println!(
            "pipe read: {n} {:?}",
            String::from_utf8_lossy(&buf[..n as usize])
        );
        libc::close(fds[0]);
        libc::close(fds[1]);
    }

    // Process identity: consistent with std's view.
    // SAFETY: `getpid` cannot fail.
    let pid = unsafe { libc::getpid() };
    println!("getpid matches std: {}", pid as u32 == std::process::id());
    // SAFETY: `unlink` of our own file.
    println!("unlink: {}", unsafe { libc::unlink(path.as_ptr()) });
    println!("ok: all checks passed");
}
