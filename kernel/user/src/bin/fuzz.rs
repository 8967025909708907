//! `fuzz [--seed N] [--calls N] [--verbose]`: the syscall fuzzer
//! (`--verbose`: a line per child).
//!
//! Issues seeded random system calls: random numbers (0 to 600 and a few
//! huge ones, most of them ENOSYS) and, for the syscalls in
//! `kcore::sysargs`, adversarial arguments chosen by argument kind (NULL,
//! kernel-half and non-canonical addresses, unaligned and straddling
//! buffers, huge lengths, negative and closed descriptors, every flag bit),
//! often mixed with valid values so that calls get deeper into the kernel.
//!
//! The calls run in child processes, so a fault kills only a child. The
//! parent (init) forks one child at a time until the calls add up to the
//! target, reaps children and orphans, and kills a child that reports no
//! progress for a while (blocked on a pipe, in poll or wait4) with SIGKILL.
//! A child counts its calls on a pipe at a reserved descriptor that the
//! argument generator never produces. The kernel must survive all of it:
//! afterwards the parent checks that files, fork+exec and pipes still work,
//! and exits 0 only if they do.
//!
//! The first line is the seed; the same `--seed` and `--calls` replay the
//! same calls. The last line starts with `fuzz:` and gives the counts.

#![no_std]
#![no_main]

use core::ffi::CStr;

use kcore::sysargs::{Arg, SIGNATURES, Signature};
use vrt::children::{Ended, Fork, decode, execve, fork, wait4};
use vrt::errno::Errno;
use vrt::fs::{self, O_CREAT, O_DIRECTORY, O_RDONLY, O_RDWR, O_WRONLY};
use vrt::mm::{self, PAGE_SIZE, PROT_READ, PROT_WRITE};
use vrt::pipes::{O_NONBLOCK, SIGKILL, dup2, fcntl, kill, pipe2};
use vrt::process::exit;
use vrt::syscall::syscall6;
use vrt::uapi::time::Timespec;
use vrt::{check, check_eq, dirent, fsops, io, println};

vrt::entry!(main);

/// Where a child reports its progress: the write end of a pipe, at a
/// descriptor the generator never produces. The parent reads `PROGRESS_R`.
const PROGRESS_W: i32 = 1000;
const PROGRESS_R: i32 = 1001;
/// Where the parent tells a new child its pid (phase 0 has no getpid).
const PID_R: i32 = 1002;
const PID_W: i32 = 1003;
/// The generator never produces descriptors from here to here.
const RESERVED_FDS: core::ops::RangeInclusive<i64> = 1000..=1003;

/// A child reports after this many calls.
const REPORT_EVERY: u32 = 64;
/// Calls per child, unless it dies first.
const CALLS_PER_CHILD: u64 = 5000;
/// A child that reports nothing for this long is killed.
const STUCK_MS: i32 = 500;

/// The scratch directory everything the fuzzer creates lives under.
const SCRATCH: &CStr = c"/tmp-fuzz";

const KERNEL_HALF: u64 = 0xffff_8000_0000_0000;
const NON_CANONICAL: u64 = 0x0000_8000_0000_0000;
const AT_FDCWD: u64 = -100i64 as u64;
const AT_REMOVEDIR: u32 = 0x200;

/// splitmix64: small, fast, and every seed gives a full-period stream.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True one time in `n`.
    fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Makes system call `nr`.
fn sys(nr: u64, a: [u64; 6]) -> u64 {
    // SAFETY: only fuzzer children call this with generated arguments; the
    // generator never names memory Rust relies on except the arena and the
    // string area, which no Rust reference covers (the kernel may write
    // them), and never the reserved descriptors. Whatever else happens can
    // only end this child.
    unsafe {
        syscall6(
            nr as usize,
            a[0] as usize,
            a[1] as usize,
            a[2] as usize,
            a[3] as usize,
            a[4] as usize,
            a[5] as usize,
        ) as u64
    }
}

/// Strings and arrays handed to the kernel: static, so that a fuzzed
/// munmap or mprotect of the arena cannot take them away.
const STRINGS_LEN: usize = 8192;
static mut STRINGS: [u8; STRINGS_LEN] = [0; STRINGS_LEN];

fn strings() -> u64 {
    (&raw mut STRINGS).addr() as u64
}

/// Copies `bytes` to offset `at` of the string area; returns the address.
fn put_bytes(at: usize, bytes: &[u8]) -> u64 {
    assert!(at + bytes.len() <= STRINGS_LEN);
    // SAFETY: in bounds of the static, which only raw pointers touch.
    unsafe {
        core::ptr::copy_nonoverlapping(
            bytes.as_ptr(),
            (&raw mut STRINGS).cast::<u8>().add(at),
            bytes.len(),
        )
    };
    strings() + at as u64
}

/// Paths the generator uses: all inside the scratch directory (absolute,
/// or relative to it: the child's working directory), so the fuzzer never
/// changes the test's files or the devices.
const PATHS: &[&[u8]] = &[
    b"/tmp-fuzz/f\0",
    b"/tmp-fuzz/d\0",
    b"/tmp-fuzz/d/g\0",
    b"/tmp-fuzz/l\0",
    b"/tmp-fuzz\0",
    b"f\0",
    b"d\0",
    b"d/g\0",
    b"l\0",
    b"missing/x\0",
    b".\0",
    b"\0",
    b"/tmp-fuzz/f/\0",
    b"//tmp-fuzz///d/./g\0",
];
/// What a fuzzed execve may run: nothing that runs long (never `fuzz`).
const EXEC_PATHS: &[&[u8]] = &[
    b"/tmp-fuzz/f\0",
    b"/bin/not-elf\0",
    b"/tmp-fuzz\0",
    b"/missing\0",
    b"/etc/motd\0",
];

// ANCHOR: child_state
/// What a child knows while it fuzzes.
struct Child {
    rng: Rng,
    /// Its own pid, and the pids of processes its fuzzed forks created:
    /// the only targets `kill` gets.
    me: u64,
    forked: [u64; 8],
    nforked: usize,
    /// Descriptors it opened (files, a directory, devices, pipes).
    fds: [i64; 8],
    /// Four read-write pages, followed by an unmapped page.
    arena: u64,
    /// A read-only page.
    read_only: u64,
    /// A region for mmap, munmap and mprotect to play with.
    playground: u64,
}
// ANCHOR_END: child_state

const ARENA_LEN: u64 = 4 * PAGE_SIZE as u64;
const PLAYGROUND_LEN: u64 = 16 * PAGE_SIZE as u64;

impl Child {
    /// A pointer for a pointer argument: often a good buffer, else bad.
    fn pointer(&mut self) -> u64 {
        let end = self.arena + ARENA_LEN;
        match self.rng.below(12) {
            0..=4 => self.arena + self.rng.below(ARENA_LEN - 256),
            5 => 0,
            6 => KERNEL_HALF + self.rng.below(1 << 20),
            7 => NON_CANONICAL + self.rng.below(1 << 40),
            8 => end - 1 - self.rng.below(64), // straddles into the hole
            9 => self.read_only + self.rng.below(64),
            10 => self.arena + 1 + 2 * self.rng.below(64), // unaligned
            _ => self.rng.next(),
        }
    }

    /// A descriptor: one of ours, a standard one, or something bad.
    fn fd(&mut self) -> u64 {
        let fd = match self.rng.below(10) {
            0..=4 => self.rng.pick(&self.fds),
            5 => self.rng.below(3) as i64,
            6 => -(self.rng.below(200) as i64) - 1,
            7 => self.rng.below(64) as i64, // closed or someone else's
            8 => self
                .rng
                .pick(&[1023, 1024, 1 << 20, i32::MAX as i64, i32::MIN as i64]),
            _ => self.rng.next() as i64,
        };
        if RESERVED_FDS.contains(&fd) {
            9
        } else {
            fd as u64
        }
    }

    fn len(&mut self) -> u64 {
        match self.rng.below(10) {
            0 => 0,
            1..=4 => self.rng.below(300),
            5 => self.rng.pick(&[8, 16, 4095, 4096, 4097, 65536, 1 << 20]),
            6 => self.rng.pick(&[
                u32::MAX as u64,
                i64::MAX as u64,
                u64::MAX,
                1 << 40,
                -1i64 as u64,
                1 << 31,
            ]),
            7 => self.rng.below(ARENA_LEN + 100),
            _ => self.rng.next() >> self.rng.below(64),
        }
    }

    fn flags(&mut self) -> u64 {
        match self.rng.below(6) {
            0 => 0,
            1 => 1 << self.rng.below(64),
            2 => self.rng.next() & 0xffff_ffff,
            3 => u64::MAX,
            4 => (1 << self.rng.below(32)) | (1 << self.rng.below(32)),
            _ => self.rng.below(8),
        }
    }

    fn int(&mut self) -> u64 {
        match self.rng.below(6) {
            0 => self.rng.below(8),
            1 => self
                .rng
                .pick(&[0x5401, 0x5413, 1030, 0x1002, 0x1003, 0x1001, 0x1004]),
            2 => -(self.rng.below(4) as i64) as u64,
            3 => self
                .rng
                .pick(&[i32::MIN as u64, i32::MAX as u64, i64::MAX as u64, u64::MAX]),
            4 => self.rng.below(4096),
            _ => self.rng.next(),
        }
    }

    fn addr(&mut self) -> u64 {
        match self.rng.below(8) {
            0..=2 => self.playground + PAGE_SIZE as u64 * self.rng.below(16),
            3 => self.arena + PAGE_SIZE as u64 * self.rng.below(5),
            4 => self.playground + self.rng.below(PLAYGROUND_LEN), // unaligned
            5 => 0,
            6 => self.rng.pick(&[
                KERNEL_HALF,
                NON_CANONICAL,
                NON_CANONICAL - PAGE_SIZE as u64,
                !0xfff,
            ]),
            // An empty part of the address space (the image is at 4 MiB,
            // the stack near the top).
            _ => 0x1000_0000_0000 + (self.rng.below(1 << 20) << 12),
        }
    }

    /// A path: mostly a scratch name, else a bad pointer, an unterminated
    /// string running into the hole, or a name past PATH_MAX.
    fn path(&mut self, slot: usize, names: &[&[u8]]) -> u64 {
        match self.rng.below(10) {
            0..=6 => put_bytes(slot * 512, self.rng.pick(names)),
            // The arena ends with 16 bytes of 'a' (written at setup): a
            // path without a NUL before the hole.
            7 => self.arena + ARENA_LEN - 1 - self.rng.below(16),
            8 => {
                // 4097 bytes without a NUL in the middle: ENAMETOOLONG.
                // SAFETY: within the static string area, raw pointers only.
                unsafe {
                    core::ptr::write_bytes((&raw mut STRINGS).cast::<u8>().add(2048), b'x', 4200)
                };
                put_bytes(2048 + 4200, b"\0");
                strings() + 2048
            }
            _ => self.pointer(),
        }
    }

    /// A NULL-terminated string array (execve's argv, envp).
    fn str_array(&mut self, slot: usize) -> u64 {
        match self.rng.below(4) {
            0 => 0,
            1 => self.pointer(),
            _ => {
                let s = put_bytes(7000 + slot * 300, b"arg\0");
                let bad = self.pointer();
                let entries = [s, if self.rng.one_in(3) { bad } else { 0 }, 0];
                let mut raw = [0u8; 24];
                for (i, e) in entries.iter().enumerate() {
                    raw[8 * i..8 * i + 8].copy_from_slice(&e.to_le_bytes());
                }
                put_bytes(7000 + slot * 300 + 64, &raw)
            }
        }
    }

    /// The pid and signal for `kill`: this child or a process it forked,
    /// never anything else (and never 0 or negative: whole process groups).
    fn kill_target(&mut self, signal: u64) -> (u64, u64) {
        if self.rng.one_in(64) {
            (self.me, signal)
        } else if self.nforked > 0 && self.rng.one_in(2) {
            (
                self.forked[self.rng.below(self.nforked as u64) as usize],
                signal,
            )
        } else {
            // Mostly signals that do not end the child (0: "does it
            // exist?"; SIGCHLD, SIGCONT, SIGURG, SIGWINCH are ignored by
            // default), so that a child lives long enough to be useful.
            (self.me, self.rng.pick(&[0, 17, 18, 23, 28]))
        }
    }

    // ANCHOR: generate
    /// Arguments for `sig`, by kind, then made safe for the fuzzer itself.
    fn args_for(&mut self, sig: &Signature) -> [u64; 6] {
        let mut a = [0u64; 6];
        for (i, slot) in a.iter_mut().enumerate() {
            // Arguments past the signature's get junk: the kernel must
            // ignore them.
            let kind = sig.args.get(i).copied().unwrap_or(Arg::Int);
            *slot = match kind {
                Arg::Int => self.int(),
                Arg::Fd => self.fd(),
                Arg::DirFd => {
                    if self.rng.one_in(2) {
                        AT_FDCWD
                    } else {
                        self.fd()
                    }
                }
                Arg::Pid => self.rng.pick(&[0, -1i64 as u64, self.me, 0x7fff_fff0]),
                Arg::Signal => {
                    if self.rng.one_in(4) {
                        self.rng.next()
                    } else {
                        self.rng.below(66)
                    }
                }
                Arg::Len => self.len(),
                Arg::Flags => self.flags(),
                Arg::Mode => {
                    if self.rng.one_in(2) {
                        self.rng.below(0o10000)
                    } else {
                        self.rng.next()
                    }
                }
                Arg::Addr => self.addr(),
                Arg::PtrIn(_) | Arg::PtrOut(_) | Arg::PtrInOut(_) => self.pointer(),
                Arg::Path => self.path(i, PATHS),
                Arg::StrArray => self.str_array(i),
            };
        }
        match sig.name {
            // Only this child and what it forked (wait4 only ever waits
            // for our own children, so any pid is safe there).
            "kill" => (a[0], a[1]) = self.kill_target(a[1]),
            // A long or infinite timeout would only stall the child.
            "poll" => {
                a[2] = if self.rng.one_in(200) {
                    -1i64 as u64
                } else {
                    self.rng.below(3)
                }
            }
            "execve" => a[0] = self.path(0, EXEC_PATHS),
            // Likewise a long sleep (bad pointers stay bad).
            "nanosleep" => self.short_sleep(&mut a[0]),
            "clock_nanosleep" => self.short_sleep(&mut a[2]),
            _ => {}
        }
        a
    }
    // ANCHOR_END: generate

    /// A sleep request that points into the arena (whose bytes are
    /// random: seconds to years) points instead at a request of 0 or 1 ms,
    /// which the kernel only reads; other pointers stay as they are.
    fn short_sleep(&mut self, ts: &mut u64) {
        if *ts >= self.arena && *ts < self.arena + ARENA_LEN {
            let pick = usize::from(self.rng.one_in(20));
            *ts = &SHORT_SLEEPS[pick] as *const Timespec as u64;
        }
    }

    /// After a successful pipe or pipe2 into the arena: makes both ends
    /// non-blocking, so a later fuzzed read or write of them returns
    /// EAGAIN instead of blocking the child until the parent kills it.
    fn unblock_pipe(&mut self, fds_ptr: u64) {
        if fds_ptr >= self.arena && fds_ptr + 8 <= self.arena + ARENA_LEN {
            // SAFETY: inside the arena, read as bytes (it may be unaligned
            // or, after a fuzzed munmap, gone: then the child dies).
            let raw = unsafe { core::ptr::read_unaligned(fds_ptr as *const [i32; 2]) };
            for fd in raw {
                let _ = fcntl(fd, vrt::uapi::fcntl::F_SETFL, O_NONBLOCK as usize);
            }
        }
    }
}

/// What a fuzzed sleep asks for: nothing, or 1 ms (each sleep still
/// lasts a timer tick or two, so most ask for nothing).
static SHORT_SLEEPS: [Timespec; 2] = [
    Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    },
    Timespec {
        tv_sec: 0,
        tv_nsec: 1_000_000,
    },
];

/// Syscalls the fuzzer makes only rarely: each ends the child or creates
/// a process, which costs a fork.
const RARE: &[&str] = &["fork", "exit", "exit_group", "execve"];
/// Syscalls it never makes (by number, for the random numbers too):
/// rt_sigreturn restores every register from the stack, which here holds
/// the fuzzer's own return addresses, so the child would resume somewhere
/// in its own code with arbitrary registers, outside the sanitizing of
/// kill; the others are the ones a later kernel could use to signal or
/// control other processes, or share this one's memory (clone, vfork,
/// tkill, tgkill, ptrace, rt_(tg)sigqueueinfo, pidfd_send_signal, reboot,
/// clone3), and close_range, which could close the reserved descriptor.
const NEVER: &[u64] = &[15, 56, 58, 101, 129, 169, 200, 234, 297, 424, 435, 436];
/// fork, vfork, clone, clone3: a new process returns 0 from these.
const FORKS: &[u64] = &[56, 57, 58, 435];

/// One child's life: set up, make `quota` calls, report, exit.
fn run_child(seed: u64, quota: u64) -> ! {
    let mut pid = [0u8; 4];
    let me = match io::read(PID_R, &mut pid) {
        Ok(4) => u64::from(u32::from_le_bytes(pid)),
        _ => exit(90),
    };
    for fd in [PROGRESS_R, PID_R, PID_W] {
        let _ = fs::close(fd);
    }
    // A fresh scratch directory for every child keeps memory bounded. (The
    // child cleans up, not the parent, whose stack would grow with the
    // depth of the tree and spoil its free-memory check.)
    remove_tree(AT_FDCWD as i32, SCRATCH);
    let _ = fsops::mkdir(SCRATCH, 0o755);
    // Garbage must not reach the console.
    let null = fs::open(c"/dev/null", O_RDWR, 0).unwrap_or_else(|_| exit(91));
    for fd in 0..3 {
        let _ = dup2(null, fd);
    }
    if null > 2 {
        let _ = fs::close(null);
    }
    let _ = vrt::pipes::set_disposition(vrt::pipes::SIGPIPE, vrt::pipes::SIG_IGN);
    let _ = sys(80, [put_bytes(0, b"/tmp-fuzz\0"), 0, 0, 0, 0, 0]); // chdir
    let mut fds = [0i64; 8];
    let file = fs::open(c"/tmp-fuzz/f", O_CREAT | O_RDWR, 0o644).unwrap_or(-1);
    let dir = fs::open(SCRATCH, O_RDONLY | O_DIRECTORY, 0).unwrap_or(-1);
    let zero = fs::open(c"/dev/zero", O_RDONLY, 0).unwrap_or(-1);
    let (pr, pw) = pipe2(O_NONBLOCK).unwrap_or((-1, -1));
    for (slot, fd) in fds.iter_mut().zip([file, dir, zero, pr, pw, 0, 1, 2]) {
        *slot = i64::from(fd);
    }
    // Four pages, then the hole: map five and unmap the last.
    let arena =
        mm::map_anonymous(5 * PAGE_SIZE, PROT_READ | PROT_WRITE).unwrap_or_else(|_| exit(92));
    // SAFETY: nothing uses the fifth page.
    let _ = unsafe { mm::munmap(arena + 4 * PAGE_SIZE, PAGE_SIZE) };
    // SAFETY: the last 16 bytes of the fresh arena, which nothing else uses.
    unsafe { core::ptr::write_bytes((arena + 4 * PAGE_SIZE - 16) as *mut u8, b'a', 16) };
    let read_only = mm::map_anonymous(PAGE_SIZE, PROT_READ).unwrap_or_else(|_| exit(93));
    let playground = mm::map_anonymous(PLAYGROUND_LEN as usize, PROT_READ | PROT_WRITE)
        .unwrap_or_else(|_| exit(94));
    let mut c = Child {
        rng: Rng(seed),
        me,
        forked: [0; 8],
        nforked: 0,
        fds,
        arena: arena as u64,
        read_only: read_only as u64,
        playground: playground as u64,
    };
    let report = |n: u32| {
        let _ = io::write(PROGRESS_W, &n.to_le_bytes());
    };
    let mut unreported = 0;
    for _ in 0..quota {
        // ANCHOR: call
        let (nr, args) = if c.rng.one_in(4) {
            // Any number, most of them not syscalls at all.
            let nr = if c.rng.one_in(50) {
                c.rng
                    .pick(&[601, 1000, 1 << 31, 1 << 32, 0x4000_0000, u64::MAX])
            } else {
                c.rng.below(601)
            };
            if NEVER.contains(&nr) || (FORKS.contains(&nr) && !c.rng.one_in(100)) {
                continue;
            }
            match kcore::sysargs::lookup(nr) {
                Some(sig) if RARE.contains(&sig.name) && !c.rng.one_in(100) => continue,
                Some(sig) => (nr, c.args_for(sig)),
                None => (nr, core::array::from_fn(|_| c.int())),
            }
        } else {
            let sig = c.rng.pick(SIGNATURES);
            if NEVER.contains(&sig.nr) || (RARE.contains(&sig.name) && !c.rng.one_in(100)) {
                continue;
            }
            (sig.nr, c.args_for(&sig))
        };
        let ret = sys(nr, args);
        if FORKS.contains(&nr) && ret == 0 {
            // The new process of a fuzzed fork: it must not fuzz too.
            exit(0);
        }
        // ANCHOR_END: call
        if FORKS.contains(&nr)
            && Errno::from_ret(ret as usize).is_ok()
            && c.nforked < c.forked.len()
        {
            c.forked[c.nforked] = ret;
            c.nforked += 1;
        }
        if (nr == 22 || nr == 293) && ret == 0 {
            c.unblock_pipe(args[0]);
        }
        unreported += 1;
        if unreported == REPORT_EVERY {
            report(unreported);
            unreported = 0;
        }
    }
    report(unreported);
    exit(0)
}

/// What the parent counts.
#[derive(Default)]
struct Totals {
    calls: u64,
    children: u64,
    by_signal: u64,
    by_timeout: u64,
}

/// Runs one child to its end: collects its progress reports, kills it if
/// it stalls, reaps it.
fn supervise(child: i32, totals: &mut Totals, verbose: bool) {
    let calls_before = totals.calls;
    let mut killed = false;
    let mut buf = [0u8; 512];
    loop {
        let mut pfd = [0u8; 8];
        pfd[..4].copy_from_slice(&PROGRESS_R.to_le_bytes());
        pfd[4..6].copy_from_slice(&1u16.to_le_bytes()); // POLLIN
        // SAFETY: poll reads and writes the local 8-byte pollfd.
        let ready = unsafe {
            syscall6(
                vrt::nr::POLL,
                pfd.as_mut_ptr() as usize,
                1,
                STUCK_MS as usize,
                0,
                0,
                0,
            )
        };
        if ready == 0 {
            if killed {
                break; // not even SIGKILL helped: give up on this one
            }
            // Stuck: blocked, or spinning without calls.
            let _ = kill(child, SIGKILL);
            killed = true;
            totals.by_timeout += 1;
            continue;
        }
        match io::read(PROGRESS_R, &mut buf) {
            Ok(0) | Err(_) => break, // every writer is gone
            Ok(n) => {
                for report in buf[..n].chunks_exact(4) {
                    totals.calls +=
                        u64::from(u32::from_le_bytes(report.try_into().expect("4 bytes")));
                }
            }
        }
    }
    let ended = wait4(child, 0).map(|(_, status)| decode(status));
    if matches!(ended, Ok(Ended::Killed(_))) && !killed {
        totals.by_signal += 1;
    }
    if verbose {
        let calls = totals.calls - calls_before;
        println!(
            "child {child}: {calls} calls, {ended:?}{}",
            if killed { ", killed: no progress" } else { "" }
        );
    }
    // Orphans of the child's fuzzed forks are init's now.
    while let Ok((pid, _)) = wait4(-1, vrt::children::WNOHANG) {
        if pid == 0 {
            break;
        }
    }
}

/// Runs `work` in a child process and waits for it.
fn in_child(work: impl FnOnce()) {
    match fork() {
        Ok(Fork::Child) => {
            work();
            exit(0)
        }
        Ok(Fork::Parent { child }) => {
            let _ = wait4(child, 0);
        }
        Err(e) => vrt::check::fail(format_args!("fork"), format_args!("{e:?}")),
    }
}

/// Moves pipe ends to their reserved descriptors.
fn move_fds(moves: [(i32, i32); 2]) {
    for (from, to) in moves {
        if dup2(from, to) != Ok(to) {
            vrt::check::fail(format_args!("dup2 to fd {to}"), format_args!("failed"));
        }
        let _ = fs::close(from);
    }
}

/// Removes `name` (in directory `dirfd`) and everything below it.
fn remove_tree(dirfd: i32, name: &CStr) {
    // SAFETY: openat only reads the name.
    let fd = Errno::from_ret(unsafe {
        syscall6(
            vrt::nr::OPENAT,
            dirfd as usize,
            name.as_ptr() as usize,
            (O_RDONLY | O_DIRECTORY | fs::O_NOFOLLOW) as usize,
            0,
            0,
            0,
        )
    });
    if let Ok(fd) = fd {
        let fd = fd as i32;
        let mut buf = [0u8; 2048];
        while let Ok(n) = dirent::getdents64(fd, &mut buf)
            && n > 0
        {
            let copy = buf;
            for d in dirent::records(&copy[..n]) {
                if d.name == b"." || d.name == b".." || d.name.len() >= 255 {
                    continue;
                }
                let mut cname = [0u8; 256];
                cname[..d.name.len()].copy_from_slice(d.name);
                let cname = CStr::from_bytes_until_nul(&cname).expect("NUL-terminated");
                if d.d_type == dirent::DT_DIR {
                    remove_tree(fd, cname);
                } else {
                    let _ = fsops::unlinkat(fd, cname, 0);
                }
            }
        }
        let _ = fs::close(fd);
    }
    let _ = fsops::unlinkat(dirfd, name, AT_REMOVEDIR);
}

/// Parses `--seed N --calls N`.
fn parse_args(args: &vrt::Args) -> (Option<u64>, u64, bool) {
    let (mut seed, mut calls, mut verbose) = (None, 100_000, false);
    let mut i = 1;
    while let Some(flag) = args.arg(i) {
        if flag == c"--verbose" {
            verbose = true;
            i += 1;
            continue;
        }
        let value = args
            .arg(i + 1)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        match (flag.to_bytes(), value) {
            (b"--seed", Some(v)) => seed = Some(v),
            (b"--calls", Some(v)) => calls = v,
            _ => {
                vrt::eprintln!("usage: fuzz [--seed N] [--calls N] [--verbose]");
                exit(2)
            }
        }
        i += 2;
    }
    (seed, calls, verbose)
}

/// Seconds since boot (sysinfo's uptime: phase 0 has no clock_gettime).
fn uptime() -> u64 {
    let mut info = [0u8; 112];
    // SAFETY: sysinfo writes 112 bytes into the local buffer.
    unsafe { syscall6(vrt::nr::SYSINFO, info.as_mut_ptr() as usize, 0, 0, 0, 0, 0) };
    u64::from_le_bytes(info[..8].try_into().expect("8 bytes"))
}

/// The kernel still does its ordinary work after the fuzzing.
fn sanity_check() {
    let fd = check_ok_fd(fs::open(c"etc/motd", O_RDONLY, 0), "open etc/motd");
    let mut first = [0u8; 5];
    check_eq!(io::read(fd, &mut first), Ok(5), "read etc/motd");
    check_eq!(&first, b"Hello", "it holds what it held");
    let _ = fs::close(fd);

    let child = match fork() {
        Ok(Fork::Child) => {
            let null = fs::open(c"/dev/null", O_WRONLY, 0).unwrap_or(1);
            let _ = dup2(null, 1);
            let e = execve(c"/bin/hello", &[c"hello"], &[]);
            exit(100 + e.raw().min(100))
        }
        Ok(Fork::Parent { child }) => child,
        Err(e) => vrt::check::fail(format_args!("fork"), format_args!("{e:?}")),
    };
    let ended = wait4(child, 0).map(|(_, s)| decode(s));
    check_eq!(
        ended,
        Ok(Ended::Exited(0)),
        "fork + exec /bin/hello + wait4: it exits 0"
    );

    let (r, w) = pipe2(0).expect("pipe2");
    check_eq!(io::write(w, b"round trip"), Ok(10), "write into a pipe");
    let mut back = [0u8; 10];
    check_eq!(io::read(r, &mut back), Ok(10), "read it back");
    check_eq!(&back, b"round trip", "the bytes are the same");
    let _ = fs::close(r);
    let _ = fs::close(w);
}

fn check_ok_fd(r: Result<i32, Errno>, what: &str) -> i32 {
    match r {
        Ok(fd) => fd,
        Err(e) => vrt::check::fail(format_args!("{what}"), format_args!("{e:?}")),
    }
}

fn main(args: &vrt::Args) -> i32 {
    let (seed, target, verbose) = parse_args(args);
    // Without --seed, the kernel's AT_RANDOM bytes choose one.
    let seed = seed.unwrap_or_else(|| {
        let at = args.auxv(vrt::auxv::AT_RANDOM).unwrap_or(0);
        if at == 0 {
            1
        } else {
            // SAFETY: AT_RANDOM points to 16 bytes on the initial stack.
            unsafe { core::ptr::read_unaligned(at as *const u64) }
        }
    });
    println!("seed: {seed} (replay with: fuzz --seed {seed} --calls {target})");

    in_child(|| remove_tree(AT_FDCWD as i32, SCRATCH));
    let (pid_r, pid_w) = pipe2(0).expect("pipe2");
    move_fds([(pid_r, PID_R), (pid_w, PID_W)]);

    // Everything the children did must be given back: compared at the end.
    let before = vrt::sysinfo::memory();
    let start = uptime();
    let mut rng = Rng(seed);
    let mut totals = Totals::default();
    let mut idle_children = 0;
    while totals.calls < target {
        let child_seed = rng.next();
        let quota = CALLS_PER_CHILD.min(target - totals.calls);
        let before = totals.calls;
        // A new progress pipe per child: end of file on it means the
        // child (and anything it forked) is gone.
        let (r, w) = pipe2(0).expect("pipe2");
        move_fds([(r, PROGRESS_R), (w, PROGRESS_W)]);
        match fork() {
            Ok(Fork::Child) => run_child(child_seed, quota),
            Ok(Fork::Parent { child }) => {
                totals.children += 1;
                let _ = fs::close(PROGRESS_W);
                let _ = io::write(PID_W, &(child as u32).to_le_bytes());
                supervise(child, &mut totals, verbose);
            }
            Err(e) => vrt::check::fail(format_args!("fork a fuzzing child"), format_args!("{e:?}")),
        }
        idle_children = if totals.calls == before {
            idle_children + 1
        } else {
            0
        };
        if idle_children == 100 {
            vrt::check::fail(
                format_args!("children keep making calls"),
                format_args!("100 children in a row reported none"),
            );
        }
    }
    let seconds = uptime() - start;
    // Whatever is left of the children's children.
    while wait4(-1, 0).is_ok() {}
    in_child(|| remove_tree(AT_FDCWD as i32, SCRATCH));
    let _ = fs::close(PROGRESS_R);
    let after = vrt::sysinfo::memory();
    check_eq!(after.1, before.1, "no child or orphan is left");
    check_eq!(
        after.0,
        before.0,
        "free memory is what it was before the fuzzing"
    );

    sanity_check();
    check!(true, "the kernel survived {} calls", totals.calls);
    vrt::check::all_passed();
    // ANCHOR: report
    println!(
        "fuzz: {} calls, {} calls/s ({} s by sysinfo uptime), {} children, {} killed by a signal, {} killed after {} ms without progress",
        totals.calls,
        totals.calls / seconds.max(1),
        seconds,
        totals.children,
        totals.by_signal,
        totals.by_timeout,
        STUCK_MS
    );
    // ANCHOR_END: report
    0
}
