//! `bench`: the system-call benchmarks of `runner bench`, one static
//! program that runs unchanged on vibix, on a Linux guest and on the Linux
//! host. Raw system calls only (on `vrt`), timed with
//! `clock_gettime(CLOCK_MONOTONIC)` (phase 1's call, so this is a phase-1
//! program).
//!
//! Each item is calibrated (its iteration count doubled until one run takes
//! a quarter of the target time), then run three times for about the target
//! time each; the fastest run is reported, as one line:
//!
//! ```text
//! bench <item> <param> <total_ns> <ops>
//! ```
//!
//! (`param` is `-` for an item without one; ns/op is total_ns / ops), or
//! `bench-skip <item> <param> <reason>` when the system cannot do it (a
//! file bigger than its memory file system holds). The first line is
//! `bench-start`, the last `bench-end`. Arguments, all
//! optional, as `key=value` words:
//!
//! - `dir=PATH`: the scratch directory (created; default `/tmp/bench`);
//! - `ms=N`: the target time of one run in milliseconds (default 100);
//! - `quick`: one iteration of each item and the smallest scaling points
//!   only (what `runner test` runs: the programs keep working);
//! - `only=SUBSTR`: only the items whose name contains SUBSTR;
//! - `exe=PATH`: this program, for `execve` (default: `argv[0]`);
//! - `nop`: exit 0 at once (the trivial program of the exec benchmarks).

#![no_std]
#![no_main]

use core::ffi::CStr;

use vrt::children::{Fork, execve, fork, wait4};
use vrt::errno::Errno;
use vrt::fs::{O_CREAT, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, SEEK_SET, close, lseek, open};
use vrt::fsops::{mkdir, rmdir, unlink};
use vrt::io::{read_raw, write, write_raw};
use vrt::mm::{PROT_READ, PROT_WRITE, map_anonymous, munmap};
use vrt::pipes::pipe2;
use vrt::process::exit;
use vrt::syscall::{syscall0, syscall2};

vrt::entry!(main);

const KIB: usize = 1024;
const MIB: usize = 1024 * KIB;
const PAGE: usize = 4096;

/// What the command line asked for.
struct Config {
    dir: &'static [u8],
    target_ns: u64,
    quick: bool,
    only: Option<&'static [u8]>,
    /// This program's own path, for `execve`.
    me: &'static CStr,
}

fn main(args: &vrt::Args) -> i32 {
    let mut cfg = Config {
        dir: b"/tmp/bench",
        target_ns: 100_000_000,
        quick: false,
        only: None,
        me: args.arg(0).unwrap_or(c"/bin/bench"),
    };
    for full in args.args().skip(1) {
        let arg = full.to_bytes();
        if let Some(exe) = full.to_bytes_with_nul().strip_prefix(b"exe=") {
            match CStr::from_bytes_with_nul(exe) {
                Ok(exe) => cfg.me = exe,
                Err(_) => return usage(arg),
            }
        } else if arg == b"nop" {
            return 0;
        } else if arg == b"quick" {
            cfg.quick = true;
        } else if let Some(dir) = arg.strip_prefix(b"dir=") {
            cfg.dir = dir;
        } else if let Some(ms) = arg.strip_prefix(b"ms=") {
            match parse(ms) {
                Some(ms) if ms > 0 => cfg.target_ns = ms * 1_000_000,
                _ => return usage(arg),
            }
        } else if let Some(only) = arg.strip_prefix(b"only=") {
            cfg.only = Some(only);
        } else {
            return usage(arg);
        }
    }
    vrt::println!("bench-start");
    let dir = Path::new(cfg.dir);
    // The parent first, as `mkdir -p` would (`/tmp` on a fresh root).
    if let Some(cut) = cfg.dir.iter().rposition(|&b| b == b'/')
        && cut > 0
    {
        let _ = mkdir(Path::new(&cfg.dir[..cut]).c(), 0o755);
    }
    match mkdir(dir.c(), 0o755) {
        Ok(()) | Err(Errno::EEXIST) => {}
        Err(e) => {
            vrt::eprintln!("bench: cannot create the scratch directory: {e:?}");
            return 1;
        }
    }
    let mut b = Bencher { cfg: &cfg };
    items(&mut b, &dir);
    scaling(&mut b, &dir);
    let _ = rmdir(dir.c());
    vrt::println!("bench-end");
    0
}

fn usage(arg: &[u8]) -> i32 {
    vrt::eprintln!(
        "bench: unknown argument `{}`; arguments: dir=PATH ms=N quick only=SUBSTR exe=PATH nop",
        vrt::print::Bytes(arg)
    );
    2
}

fn parse(digits: &[u8]) -> Option<u64> {
    core::str::from_utf8(digits).ok()?.parse().ok()
}

/// Fails the whole program: a benchmark that cannot do its work measures
/// nothing.
fn die(what: &str, e: Errno) -> ! {
    vrt::eprintln!("bench: {what}: {e:?}");
    exit(1)
}

fn ok<T>(what: &str, r: Result<T, Errno>) -> T {
    r.unwrap_or_else(|e| die(what, e))
}

/// Nanoseconds on the monotonic clock.
fn now() -> u64 {
    let mut ts = vrt::uapi::time::Timespec::default();
    // SAFETY: the kernel writes one struct timespec into `ts`.
    let ret = unsafe {
        syscall2(
            vrt::nr::CLOCK_GETTIME,
            vrt::uapi::time::CLOCK_MONOTONIC as usize,
            (&raw mut ts) as usize,
        )
    };
    ok("clock_gettime", Errno::from_ret(ret));
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// A path in a stack buffer, NUL-terminated.
#[derive(Clone, Copy)]
struct Path {
    buf: [u8; 512],
    len: usize,
}

impl Path {
    fn new(s: &[u8]) -> Path {
        let mut p = Path {
            buf: [0; 512],
            len: 0,
        };
        p.push(s);
        p
    }

    fn push(&mut self, s: &[u8]) -> &mut Path {
        assert!(self.len + s.len() < self.buf.len(), "path too long");
        self.buf[self.len..self.len + s.len()].copy_from_slice(s);
        self.len += s.len();
        self.buf[self.len] = 0;
        self
    }

    fn push_num(&mut self, mut n: usize) -> &mut Path {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.push(&digits[i..])
    }

    fn join(&self, s: &[u8]) -> Path {
        let mut p = *self;
        p.push(b"/").push(s);
        p
    }

    fn c(&self) -> &CStr {
        CStr::from_bytes_until_nul(&self.buf[..=self.len]).expect("NUL-terminated")
    }
}

/// Anonymous memory that is unmapped when dropped.
struct Buffer {
    addr: usize,
    len: usize,
}

impl Buffer {
    fn new(len: usize) -> Buffer {
        let addr = ok("mmap", map_anonymous(len, PROT_READ | PROT_WRITE));
        Buffer { addr, len }
    }

    fn ptr(&self) -> *mut u8 {
        self.addr as *mut u8
    }

    /// Writes one byte into each page.
    fn touch(&self) {
        for off in (0..self.len).step_by(PAGE) {
            // SAFETY: `off` is inside the mapping, which only this object
            // uses.
            unsafe { self.ptr().add(off).write_volatile(1) };
        }
    }
}

impl Drop for Buffer {
    fn drop(&mut self) {
        // SAFETY: the mapping is this object's; no reference into it
        // outlives it.
        let _ = unsafe { munmap(self.addr, self.len) };
    }
}

fn read_into(fd: i32, buf: &Buffer, len: usize) -> usize {
    // SAFETY: `len` is at most the buffer's length, which nothing else
    // borrows.
    ok("read", unsafe { read_raw(fd, buf.ptr(), len.min(buf.len)) })
}

fn write_from(fd: i32, buf: &Buffer, len: usize) -> usize {
    ok("write", write_raw(fd, buf.ptr(), len.min(buf.len)))
}

/// Forks a child that runs `child` and exits with 0; returns its pid.
fn spawn(child: impl FnOnce()) -> i32 {
    match ok("fork", fork()) {
        Fork::Child => {
            child();
            exit(0)
        }
        Fork::Parent { child } => child,
    }
}

fn reap(pid: i32) {
    ok("wait4", wait4(pid, 0));
}

/// Runs and reports the measurements.
struct Bencher<'a> {
    cfg: &'a Config,
}

impl Bencher<'_> {
    fn wanted(&self, name: &str) -> bool {
        self.cfg
            .only
            .is_none_or(|only| name.as_bytes().windows(only.len()).any(|w| w == only))
    }

    /// Measures `run(n)`, which does `n` iterations and returns the
    /// nanoseconds they took (it may leave its set-up untimed); each
    /// iteration is `ops_per_iter` operations.
    fn measure(
        &mut self,
        name: &str,
        param: Option<usize>,
        ops_per_iter: u64,
        mut run: impl FnMut(u64) -> u64,
    ) {
        if !self.wanted(name) {
            return;
        }
        let target = self.cfg.target_ns;
        let (total, iters) = if self.cfg.quick {
            (run(1), 1)
        } else {
            let mut n = 1u64;
            let mut t = run(n);
            while t < target / 4 && n < 1 << 30 {
                n *= 2;
                t = run(n);
            }
            // About the target time per run, best of three.
            let n = (n as u128 * target as u128 / t.max(1) as u128).clamp(1, 1 << 32) as u64;
            let best = (0..3).map(|_| run(n)).min().unwrap_or(t);
            (best, n)
        };
        match param {
            Some(p) => vrt::println!("bench {name} {p} {total} {}", iters * ops_per_iter),
            None => vrt::println!("bench {name} - {total} {}", iters * ops_per_iter),
        }
    }

    /// [`Bencher::measure`] where every nanosecond of `run` counts.
    fn timed(&mut self, name: &str, param: Option<usize>, mut body: impl FnMut(u64)) {
        self.measure(name, param, 1, |n| {
            let start = now();
            body(n);
            now() - start
        });
    }
}

/// The fixed items: one operation each.
fn items(b: &mut Bencher<'_>, dir: &Path) {
    b.timed("null_syscall", None, |n| {
        for _ in 0..n {
            // SAFETY: getpid touches no memory.
            unsafe { syscall0(vrt::nr::GETPID) };
        }
    });

    let zero = ok("open /dev/zero", open(c"/dev/zero", O_RDONLY, 0));
    let null = ok("open /dev/null", open(c"/dev/null", O_WRONLY, 0));
    let mut byte = [0u8; 1];
    b.timed("read_zero_1b", None, |n| {
        for _ in 0..n {
            ok("read", vrt::io::read(zero, &mut byte));
        }
    });
    b.timed("write_null_1b", None, |n| {
        for _ in 0..n {
            ok("write", write(null, &byte));
        }
    });
    let big = Buffer::new(MIB);
    big.touch();
    b.timed("read_zero_64k", None, |n| {
        for _ in 0..n {
            read_into(zero, &big, 64 * KIB);
        }
    });
    b.timed("fstat", None, |n| {
        for _ in 0..n {
            ok("fstat", vrt::fs::fstat(zero));
        }
    });
    let _ = close(null);
    let _ = close(zero);

    let file = dir.join(b"file");
    let block = [0x42u8; 4096];
    ok("write", write_file(&file, &block));
    b.timed("open_close", None, |n| {
        for _ in 0..n {
            let fd = ok("open", open(file.c(), O_RDONLY, 0));
            let _ = close(fd);
        }
    });
    let _ = unlink(file.c());
    b.timed("create_write4k_unlink", None, |n| {
        for _ in 0..n {
            ok("create", write_file(&file, &block));
            ok("unlink", unlink(file.c()));
        }
    });

    b.timed("mmap_touch_4m_munmap", None, |n| {
        for _ in 0..n {
            let region = Buffer::new(4 * MIB);
            region.touch();
        }
    });
    // One page fault: the touches alone, in regions mapped beforehand.
    b.measure("page_fault", None, 1, |n| {
        let mut left = n as usize;
        let mut total = 0;
        while left > 0 {
            let pages = left.min(4096);
            let region = Buffer::new(pages * PAGE);
            let start = now();
            region.touch();
            total += now() - start;
            left -= pages;
        }
        total
    });

    b.measure("pipe_pingpong", None, 1, |n| {
        let (from_parent, to_child) = ok("pipe2", pipe2(0));
        let (from_child, to_parent) = ok("pipe2", pipe2(0));
        let child = spawn(|| {
            let _ = close(to_child);
            let _ = close(from_child);
            let mut byte = [0u8; 1];
            while let Ok(1) = vrt::io::read(from_parent, &mut byte) {
                let _ = write(to_parent, &byte);
            }
        });
        let _ = close(from_parent);
        let _ = close(to_parent);
        let mut byte = [7u8; 1];
        let start = now();
        for _ in 0..n {
            ok("write", write(to_child, &byte));
            ok("read", vrt::io::read(from_child, &mut byte));
        }
        let t = now() - start;
        let _ = close(to_child);
        let _ = close(from_child);
        reap(child);
        t
    });
    pipe_bandwidth(b, "pipe_bw_64k", None, 64 * KIB);

    b.timed("fork_exit_wait", None, |n| {
        for _ in 0..n {
            reap(spawn(|| {}));
        }
    });
    let me = b.cfg.me;
    b.timed("fork_exec_wait", None, |n| {
        for _ in 0..n {
            reap(spawn(|| {
                let e = execve(me, &[me, c"nop"], &[]);
                die("execve", e)
            }));
        }
    });
}

/// Creates (or truncates) `path`, writes `data`, closes it.
fn write_file(path: &Path, data: &[u8]) -> Result<(), Errno> {
    let fd = open(path.c(), O_CREAT | O_WRONLY | O_TRUNC, 0o644)?;
    let r = write(fd, data);
    close(fd)?;
    r.map(drop)
}

/// A child writes `ops` MiB (per iteration) through a pipe in `chunk`-byte
/// writes; the parent reads with the same size. One op is one MiB.
fn pipe_bandwidth(b: &mut Bencher<'_>, name: &str, param: Option<usize>, chunk: usize) {
    let src = Buffer::new(chunk.max(PAGE));
    let dst = Buffer::new(chunk.max(PAGE));
    src.touch();
    dst.touch();
    b.measure(name, param, 1, |n| {
        let total = n as usize * MIB;
        let (r, w) = ok("pipe2", pipe2(0));
        let start = now();
        let child = spawn(|| {
            let _ = close(r);
            let mut sent = 0;
            while sent < total {
                sent += write_from(w, &src, chunk.min(total - sent));
            }
        });
        let _ = close(w);
        let mut got = 0;
        while got < total {
            let k = read_into(r, &dst, chunk);
            if k == 0 {
                die("pipe", Errno::EPIPE);
            }
            got += k;
        }
        let t = now() - start;
        let _ = close(r);
        reap(child);
        t
    });
}

/// How costs grow with size.
fn scaling(b: &mut Bencher<'_>, dir: &Path) {
    let quick = b.cfg.quick;
    let pick = |all: &'static [usize]| if quick { &all[..1] } else { all };

    // open + close of one file in a directory of n entries.
    for &n in pick(&[10, 1000, 100_000]) {
        if !b.wanted("open_dir") {
            break;
        }
        let d = dir.join(b"d");
        ok("mkdir", mkdir(d.c(), 0o755));
        let name = |i: usize| {
            let mut p = d.join(b"f");
            p.push_num(i);
            p
        };
        for i in 0..n {
            let fd = ok("create", open(name(i).c(), O_CREAT | O_WRONLY, 0o644));
            let _ = close(fd);
        }
        let target = name(n / 2);
        b.timed("open_dir", Some(n), |k| {
            for _ in 0..k {
                let fd = ok("open", open(target.c(), O_RDONLY, 0));
                let _ = close(fd);
            }
        });
        for i in 0..n {
            ok("unlink", unlink(name(i).c()));
        }
        ok("rmdir", rmdir(d.c()));
    }

    // open + close of a file `depth` directories down.
    for &depth in pick(&[1, 32]) {
        if !b.wanted("path_depth") {
            break;
        }
        let mut p = *dir;
        for _ in 0..depth {
            p.push(b"/a");
            ok("mkdir", mkdir(p.c(), 0o755));
        }
        let file = p.join(b"f");
        ok("create", write_file(&file, b"x"));
        b.timed("path_depth", Some(depth), |k| {
            for _ in 0..k {
                let fd = ok("open", open(file.c(), O_RDONLY, 0));
                let _ = close(fd);
            }
        });
        ok("unlink", unlink(file.c()));
        for _ in 0..depth {
            ok("rmdir", rmdir(p.c()));
            p.len -= 2;
            p.buf[p.len] = 0;
        }
    }

    // fork + exit + wait4 with `mib` MiB touched in the parent.
    for &mib in pick(&[1, 64, 512]) {
        if !b.wanted("fork_mem") {
            break;
        }
        let mem = Buffer::new(mib * MIB);
        mem.touch();
        b.timed("fork_mem", Some(mib), |n| {
            for _ in 0..n {
                reap(spawn(|| {}));
            }
        });
    }

    // Pipe bandwidth by chunk size (one op: one MiB).
    for &chunk in pick(&[64, 1024, 4096, 65536, MIB]) {
        pipe_bandwidth(b, "pipe_chunk", Some(chunk), chunk);
    }

    // Writing and reading a file of `mib` MiB in 1 MiB calls (one op: one
    // MiB).
    let buf = Buffer::new(MIB);
    buf.touch();
    let file = dir.join(b"big");
    for &mib in pick(&[1, 16, 64, 256]) {
        if !b.wanted("file_write") && !b.wanted("file_read") {
            break;
        }
        // Written once first: the reads read it, and a system whose memory
        // file system holds less is told here (vibix caps file data).
        let fd = ok("create", open(file.c(), O_CREAT | O_RDWR | O_TRUNC, 0o644));
        let mut full = None;
        for _ in 0..mib {
            if let Err(e) = write_raw(fd, buf.ptr(), MIB) {
                full = Some(e);
                break;
            }
        }
        if let Some(e) = full {
            let _ = close(fd);
            ok("unlink", unlink(file.c()));
            vrt::println!("bench-skip file_write {mib} {e:?} writing {mib} MiB");
            vrt::println!("bench-skip file_read {mib} {e:?} writing {mib} MiB");
            continue;
        }
        b.measure("file_read", Some(mib), mib as u64, |n| {
            let start = now();
            for _ in 0..n {
                ok("lseek", lseek(fd, 0, SEEK_SET));
                for _ in 0..mib {
                    read_into(fd, &buf, MIB);
                }
            }
            now() - start
        });
        let _ = close(fd);
        ok("unlink", unlink(file.c()));
        b.measure("file_write", Some(mib), mib as u64, |n| {
            let mut t = 0;
            for _ in 0..n {
                let fd = ok("create", open(file.c(), O_CREAT | O_RDWR | O_TRUNC, 0o644));
                let start = now();
                for _ in 0..mib {
                    write_from(fd, &buf, MIB);
                }
                t += now() - start;
                let _ = close(fd);
                ok("unlink", unlink(file.c()));
            }
            t
        });
    }
}
