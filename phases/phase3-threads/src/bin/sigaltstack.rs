//! `sigaltstack`: the alternate signal stack and what a handler learns of
//! its signal. `sigaltstack`'s answers (none at first, `EINVAL`, `ENOMEM`,
//! the stack read back, `SS_ONSTACK` and `EPERM` from a handler running on
//! it); `SA_ONSTACK` handlers on it and others not; `siginfo` for `tgkill`
//! (`SI_TKILL`), `kill` (`SI_USER`) and faults (`SEGV_ACCERR` on a
//! `PROT_NONE` page, `SEGV_MAPERR` on an unmapped one, with `si_addr`),
//! each fault's handler mending the page so the access is retried and
//! succeeds; `uc_stack`. A new thread has no alternate stack, a forked
//! child keeps it, `execve` clears it. Then stack overflows of the main
//! thread, in children: with an alternate stack the handler runs there,
//! sees a fault at the stack pointer and exits with status 42; without
//! one, or with SIGSEGV blocked, the process dies by SIGSEGV.
//!
//! Everything printed is the same on Linux: only checks, no addresses.

#![no_std]
#![no_main]

use core::sync::atomic::{AtomicI32, AtomicUsize, Ordering};

use vrt::children::{Ended, Fork, execve, fork, reap};
use vrt::errno::Errno;
use vrt::mm::{
    self, MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, PAGE_SIZE, PROT_NONE, PROT_READ, PROT_WRITE,
};
use vrt::signal::{restorer, sigaction};
use vrt::syscall::{syscall2, syscall4};
use vrt::thread::{getpid, gettid, spawn, tgkill};
use vrt::uapi::signal::{
    MINSIGSTKSZ, REG_RSP, SA_ONSTACK, SA_RESTORER, SA_SIGINFO, SEGV_ACCERR, SEGV_MAPERR, SI_ADDR,
    SI_CODE, SI_PID, SI_TKILL, SI_USER, SIG_BLOCK, SIGSEGV, SIGUSR1, SIGUSR2, SS_DISABLE,
    SS_ONSTACK, SigAction, SigSet, StackT, UC_MCONTEXT, UC_STACK,
};
use vrt::{check, check_eq, nr, println};

vrt::entry!(main);

/// The alternate stack's size, and a guard page below it.
const ALT_SIZE: usize = 64 * 1024;

fn sigaltstack(ss: Option<&StackT>, old: Option<&mut StackT>) -> Result<usize, Errno> {
    let ss = ss.map_or(0, |s| s as *const StackT as usize);
    let old = old.map_or(0, |s| s as *mut StackT as usize);
    // SAFETY: the kernel reads one `stack_t` from `ss` and writes one to
    // `old`, both ours (or NULL).
    Errno::from_ret(unsafe { syscall2(nr::SIGALTSTACK, ss, old) })
}

fn current() -> StackT {
    let mut old = StackT::default();
    sigaltstack(None, Some(&mut old)).expect("sigaltstack(NULL, &old)");
    old
}

fn stack(sp: usize, flags: i32, size: usize) -> StackT {
    StackT {
        ss_sp: sp,
        ss_flags: flags,
        ss_size: size,
    }
}

/// What the handler saw.
static SIG: AtomicI32 = AtomicI32::new(0);
static CODE: AtomicI32 = AtomicI32::new(0);
static PID: AtomicI32 = AtomicI32::new(0);
static ADDR: AtomicUsize = AtomicUsize::new(0);
static SP: AtomicUsize = AtomicUsize::new(0);
static UC_SP: AtomicUsize = AtomicUsize::new(0);
static UC_FLAGS: AtomicI32 = AtomicI32::new(0);
static UC_SIZE: AtomicUsize = AtomicUsize::new(0);
static INNER_FLAGS: AtomicI32 = AtomicI32::new(0);
static INNER_CHANGE: AtomicI32 = AtomicI32::new(0);
/// What the handler does about a fault: mend it, or check an overflow.
static MODE: AtomicI32 = AtomicI32::new(MEND);
const MEND: i32 = 0;
const OVERFLOW: i32 = 1;
/// The alternate stack, for the overflow handler's checks.
static ALT: AtomicUsize = AtomicUsize::new(0);

fn read<T: Copy>(base: *const u8, offset: usize) -> T {
    // SAFETY: `base` is the kernel's siginfo or ucontext, and `offset` a
    // field of it (vibix_uapi's offsets); unaligned reads are fine.
    unsafe { base.add(offset).cast::<T>().read_unaligned() }
}

extern "C" fn handler(sig: i32, info: *const u8, uc: *const u8) {
    let local = 0u8;
    let sp = core::hint::black_box(&local) as *const u8 as usize;
    SIG.store(sig, Ordering::Relaxed);
    CODE.store(read(info, SI_CODE), Ordering::Relaxed);
    PID.store(read(info, SI_PID), Ordering::Relaxed);
    ADDR.store(read(info, SI_ADDR), Ordering::Relaxed);
    SP.store(sp, Ordering::Relaxed);
    UC_SP.store(read(uc, UC_STACK), Ordering::Relaxed);
    UC_FLAGS.store(read(uc, UC_STACK + 8), Ordering::Relaxed);
    UC_SIZE.store(read(uc, UC_STACK + 16), Ordering::Relaxed);
    let old = current();
    INNER_FLAGS.store(old.ss_flags, Ordering::Relaxed);
    if old.ss_flags == SS_ONSTACK {
        let change = sigaltstack(Some(&stack(0, SS_DISABLE, 0)), None);
        INNER_CHANGE.store(change.map_or_else(|e| e.raw(), |_| 0), Ordering::Relaxed);
    }
    if sig != SIGSEGV {
        return;
    }
    let addr: usize = read(info, SI_ADDR);
    if MODE.load(Ordering::Relaxed) == OVERFLOW {
        let alt = ALT.load(Ordering::Relaxed);
        let rsp: usize = read(uc, UC_MCONTEXT + 8 * REG_RSP);
        check!(
            sp > alt && sp < alt + ALT_SIZE,
            "overflow: the handler runs on the alternate stack"
        );
        check_eq!(
            read::<i32>(info, SI_CODE),
            SEGV_MAPERR,
            "overflow: SEGV_MAPERR below the stack"
        );
        check!(
            addr + PAGE_SIZE > rsp && addr < rsp + PAGE_SIZE,
            "overflow: si_addr is at the stack pointer"
        );
        vrt::process::exit_process(42);
    }
    // Mend the page so that the access, retried, succeeds.
    let page = addr & !(PAGE_SIZE - 1);
    let code: i32 = read(info, SI_CODE);
    // SAFETY: the page is the test's own, made faulty on purpose.
    let mended = unsafe {
        if code == SEGV_ACCERR {
            mm::mprotect(page, PAGE_SIZE, PROT_READ | PROT_WRITE).is_ok()
        } else {
            mm::mmap(
                page,
                PAGE_SIZE,
                PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                -1,
                0,
            )
            .is_ok()
        }
    };
    if !mended {
        vrt::process::exit_process(3);
    }
}

fn install(sig: i32, flags: u64) {
    let act = SigAction {
        sa_handler: handler as *const () as usize,
        sa_flags: SA_SIGINFO | SA_RESTORER | flags,
        sa_restorer: restorer as *const () as usize,
        sa_mask: 0,
    };
    sigaction(sig, &act).expect("sigaction");
}

fn on_alt(alt: usize) -> bool {
    let sp = SP.load(Ordering::Relaxed);
    sp > alt && sp < alt + ALT_SIZE
}

#[inline(never)]
#[allow(unconditional_recursion)]
fn recurse(depth: usize) -> usize {
    let mut frame = [0u8; 512];
    frame[depth % 512] = depth as u8;
    let frame = core::hint::black_box(frame);
    usize::from(frame[(depth * 7) % 512]) + recurse(depth + 1)
}

static THREAD_FLAGS: AtomicI32 = AtomicI32::new(0);

extern "C" fn thread_main(_: usize) -> i32 {
    THREAD_FLAGS.store(current().ss_flags, Ordering::Relaxed);
    0
}

fn errors() {
    let none = current();
    check_eq!(
        (none.ss_sp, none.ss_flags, none.ss_size),
        (0, SS_DISABLE, 0),
        "no alternate stack at first: SS_DISABLE"
    );
    let alt = 0x1000_0000;
    for bad in [3, 4, -1] {
        check_eq!(
            sigaltstack(Some(&stack(alt, bad, ALT_SIZE)), None),
            Err(Errno::EINVAL),
            "flags {bad}: EINVAL"
        );
    }
    check_eq!(
        sigaltstack(Some(&stack(alt, 0, MINSIGSTKSZ - 1)), None),
        Err(Errno::ENOMEM),
        "MINSIGSTKSZ - 1 bytes: ENOMEM"
    );
    check_eq!(current(), none, "a refused change changes nothing");
}

fn main(args: &vrt::Args) -> i32 {
    if args.arg(1).is_some_and(|a| a == c"after-exec") {
        check_eq!(
            current().ss_flags,
            SS_DISABLE,
            "execve cleared the alternate stack"
        );
        return 0;
    }
    errors();

    let region = mm::map_anonymous(PAGE_SIZE + ALT_SIZE, PROT_READ | PROT_WRITE).expect("mmap");
    // SAFETY: the first page of our own mapping becomes its guard.
    unsafe { mm::mprotect(region, PAGE_SIZE, PROT_NONE) }.expect("guard");
    let alt = region + PAGE_SIZE;
    ALT.store(alt, Ordering::Relaxed);
    let mut old = StackT::default();
    check_eq!(
        sigaltstack(Some(&stack(alt, SS_ONSTACK, MINSIGSTKSZ)), Some(&mut old)),
        Ok(0),
        "MINSIGSTKSZ bytes with SS_ONSTACK: accepted"
    );
    check_eq!(old.ss_flags, SS_DISABLE, "the old one reported: none");
    check_eq!(
        sigaltstack(Some(&stack(alt, 0, ALT_SIZE)), None),
        Ok(0),
        "set a 64 KiB stack"
    );
    let now = current();
    check_eq!(
        (now.ss_sp == alt, now.ss_flags, now.ss_size),
        (true, 0, ALT_SIZE),
        "read back: its address and size, flags 0 (not on it)"
    );

    // tgkill: SA_ONSTACK runs on it; SI_TKILL from us.
    install(SIGUSR1, SA_ONSTACK);
    tgkill(getpid(), gettid(), SIGUSR1).expect("tgkill");
    check_eq!(SIG.load(Ordering::Relaxed), SIGUSR1, "SIGUSR1 handled");
    check!(
        on_alt(alt),
        "an SA_ONSTACK handler runs on the alternate stack"
    );
    check_eq!(
        CODE.load(Ordering::Relaxed),
        SI_TKILL,
        "tgkill: si_code SI_TKILL"
    );
    check_eq!(
        PID.load(Ordering::Relaxed),
        getpid(),
        "tgkill: si_pid is the sender"
    );
    check_eq!(
        INNER_FLAGS.load(Ordering::Relaxed),
        SS_ONSTACK,
        "seen from the handler: SS_ONSTACK"
    );
    check_eq!(
        INNER_CHANGE.load(Ordering::Relaxed),
        Errno::EPERM.raw(),
        "changing it while on it: EPERM"
    );
    check_eq!(
        (
            UC_SP.load(Ordering::Relaxed) == alt,
            UC_FLAGS.load(Ordering::Relaxed),
            UC_SIZE.load(Ordering::Relaxed)
        ),
        (true, 0, ALT_SIZE),
        "uc_stack: the alternate stack as set"
    );
    check_eq!(current(), now, "unchanged after the handler");

    // kill: a handler without SA_ONSTACK stays on the normal stack.
    install(SIGUSR2, 0);
    vrt::pipes::kill(getpid(), SIGUSR2).expect("kill");
    check_eq!(SIG.load(Ordering::Relaxed), SIGUSR2, "SIGUSR2 handled");
    check!(
        !on_alt(alt),
        "a handler without SA_ONSTACK runs on the normal stack"
    );
    check_eq!(
        CODE.load(Ordering::Relaxed),
        SI_USER,
        "kill: si_code SI_USER"
    );
    check_eq!(
        PID.load(Ordering::Relaxed),
        getpid(),
        "kill: si_pid is the sender"
    );
    check_eq!(
        INNER_FLAGS.load(Ordering::Relaxed),
        0,
        "seen from that handler: not on it"
    );

    // Faults: the handler mends the page and the access is retried.
    install(SIGSEGV, SA_ONSTACK);
    let page = mm::map_anonymous(PAGE_SIZE, PROT_NONE).expect("mmap");
    let target = (page + 24) as *mut u64;
    // SAFETY: our own page; the handler makes it writable when this faults.
    unsafe { target.write_volatile(7) };
    check_eq!(
        CODE.load(Ordering::Relaxed),
        SEGV_ACCERR,
        "a PROT_NONE page: SEGV_ACCERR"
    );
    check_eq!(
        ADDR.load(Ordering::Relaxed),
        target as usize,
        "si_addr is the address written"
    );
    check!(
        on_alt(alt),
        "the SIGSEGV handler runs on the alternate stack"
    );
    // SAFETY: as above, now writable.
    let value = unsafe { target.read_volatile() };
    check_eq!(value, 7, "the write, retried, went through");
    // SAFETY: our page, no longer used.
    unsafe { mm::munmap(page, PAGE_SIZE) }.expect("munmap");
    // SAFETY: unmapped now: the handler maps it again when this faults.
    let value = unsafe {
        target.write_volatile(9);
        target.read_volatile()
    };
    check_eq!(
        CODE.load(Ordering::Relaxed),
        SEGV_MAPERR,
        "an unmapped page: SEGV_MAPERR"
    );
    check_eq!(
        ADDR.load(Ordering::Relaxed),
        target as usize,
        "si_addr is the address written"
    );
    check_eq!(value, 9, "the write, retried, went through");
    // SAFETY: the page the handler mapped.
    unsafe { mm::munmap(page, PAGE_SIZE) }.expect("munmap");

    // A thread starts with none; a forked child keeps ours.
    spawn(thread_main, 0).expect("spawn").join();
    check_eq!(
        THREAD_FLAGS.load(Ordering::Relaxed),
        SS_DISABLE,
        "a new thread has no alternate stack"
    );
    let child = vrt::children::spawn(|| i32::from(current() != now));
    check_eq!(reap(child), Ended::Exited(0), "a forked child keeps it");

    // Overflows of the main thread, in children.
    let child = vrt::children::spawn(|| {
        MODE.store(OVERFLOW, Ordering::Relaxed);
        recurse(0) as i32
    });
    check_eq!(
        reap(child),
        Ended::Exited(42),
        "an overflow is handled on the alternate stack"
    );
    let child = vrt::children::spawn(|| {
        let _ = sigaltstack(Some(&stack(0, SS_DISABLE, 0)), None);
        recurse(0) as i32
    });
    check_eq!(
        reap(child),
        Ended::Killed(SIGSEGV as u8),
        "without an alternate stack the handler cannot run: SIGSEGV"
    );
    let child = vrt::children::spawn(|| {
        let set: SigSet = 1 << (SIGSEGV - 1);
        // SAFETY: the kernel reads one signal set from `set`.
        unsafe {
            syscall4(
                nr::RT_SIGPROCMASK,
                SIG_BLOCK as usize,
                &raw const set as usize,
                0,
                8,
            )
        };
        // SAFETY: deliberately faulting: no mapping at address 16.
        unsafe { core::ptr::without_provenance_mut::<u64>(16).write_volatile(1) };
        0
    });
    check_eq!(
        reap(child),
        Ended::Killed(SIGSEGV as u8),
        "a fault with SIGSEGV blocked: SIGSEGV"
    );

    // execve clears it (the new program reports).
    match fork() {
        Ok(Fork::Child) => {
            let e = execve(c"bin/sigaltstack", &[c"sigaltstack", c"after-exec"], &[]);
            println!("FAIL: execve: {e:?}");
            vrt::process::exit(1)
        }
        Ok(Fork::Parent { child }) => {
            check_eq!(reap(child), Ended::Exited(0), "the exec'ed program passed")
        }
        Err(e) => vrt::check::fail(format_args!("fork"), format_args!("{e:?}")),
    }
    vrt::check::all_passed();
    0
}
