//! (internal) Host tests of `<signal.h>`: layouts and sets against glibc's,
//! handlers and masks on the host kernel (Linux, whose signal ABI vibix
//! shares).

use super::*;
use core::mem::{offset_of, size_of, zeroed};
use core::sync::atomic::{AtomicI32, Ordering};

#[test]
fn layouts_are_glibcs() {
    assert_eq!(size_of::<sigset_t>(), size_of::<libc::sigset_t>());
    assert_eq!(size_of::<sigaction>(), size_of::<libc::sigaction>());
    assert_eq!(
        offset_of!(sigaction, sa_mask),
        offset_of!(libc::sigaction, sa_mask)
    );
    assert_eq!(
        offset_of!(sigaction, sa_flags),
        offset_of!(libc::sigaction, sa_flags)
    );
    assert_eq!(
        offset_of!(sigaction, sa_restorer),
        offset_of!(libc::sigaction, sa_restorer)
    );
    assert_eq!(size_of::<siginfo_t>(), size_of::<libc::siginfo_t>());
    assert_eq!(
        offset_of!(siginfo_t, si_code),
        offset_of!(libc::siginfo_t, si_code)
    );
    assert_eq!(offset_of!(siginfo_t, __si_fields), 16);
    assert_eq!(size_of::<sig_atomic_t>(), 4);
    assert_eq!(size_of::<stack_t>(), size_of::<libc::stack_t>());
    assert_eq!(
        offset_of!(stack_t, ss_size),
        offset_of!(libc::stack_t, ss_size)
    );
}

#[test]
fn sets_like_the_hosts() {
    // SAFETY: plain data.
    let mut ours: sigset_t = unsafe { zeroed() };
    // SAFETY: plain data.
    let mut host: libc::sigset_t = unsafe { zeroed() };
    let same = |ours: &sigset_t, host: &libc::sigset_t| {
        // SAFETY: both are 128 bytes of plain data.
        let h: [u64; 16] = unsafe { core::mem::transmute_copy(host) };
        assert_eq!(ours.__val, h);
    };
    // SAFETY: valid sets.
    unsafe {
        assert_eq!(sigfillset(&mut ours), 0);
        #[cfg(not(miri))]
        {
            libc::sigfillset(&mut host);
            same(&ours, &host);
        }
        assert_eq!(sigemptyset(&mut ours), 0);
        #[cfg(not(miri))]
        {
            libc::sigemptyset(&mut host);
            same(&ours, &host);
        }
        for sig in -2..70 {
            crate::errno::fail(0);
            let a = sigaddset(&mut ours, sig);
            let ea = vibix_abi::errno::errno();
            let m = sigismember(&ours, sig);
            #[cfg(not(miri))]
            {
                *libc::__errno_location() = 0;
                assert_eq!(a, libc::sigaddset(&mut host, sig), "{sig}");
                assert_eq!(ea, *libc::__errno_location(), "{sig}");
                assert_eq!(m, libc::sigismember(&host, sig), "{sig}");
                same(&ours, &host);
            }
            let _ = (a, ea, m);
        }
        for sig in (-2..70).step_by(3) {
            let a = sigdelset(&mut ours, sig);
            #[cfg(not(miri))]
            {
                assert_eq!(a, libc::sigdelset(&mut host, sig), "{sig}");
                same(&ours, &host);
            }
            let _ = a;
        }
    }
    assert_eq!(SIGRTMIN, 34);
    #[cfg(not(miri))]
    assert_eq!(SIGRTMIN, libc::SIGRTMIN());
}

static SEEN: AtomicI32 = AtomicI32::new(0);
static CODE: AtomicI32 = AtomicI32::new(-100);
static PID: AtomicI32 = AtomicI32::new(0);

unsafe extern "C" fn on_signal(sig: c_int, info: *mut siginfo_t, _ctx: *mut c_void) {
    // SAFETY: the kernel passes a valid `siginfo_t`.
    let info = unsafe { &*info };
    CODE.store(info.si_code, Ordering::SeqCst);
    // SAFETY: a signal sent by a process fills the `kill` fields.
    PID.store(
        unsafe { info.__si_fields.__kill.__si_pid },
        Ordering::SeqCst,
    );
    SEEN.fetch_add(sig, Ordering::SeqCst);
}

/// One test does every change of the process's signal state (tests run
/// in parallel threads of one process), on signals no other test uses.
#[test]
#[cfg_attr(miri, ignore = "system calls")]
fn handlers_and_masks_on_the_host() {
    // SAFETY: the handler only touches atomics; the sets are ours.
    unsafe {
        let mut act: sigaction = zeroed();
        act.__sigaction_handler.__sa_sigaction = Some(on_signal);
        act.sa_flags = SA_SIGINFO as c_int;
        let mut old: sigaction = zeroed();
        assert_eq!(sigaction(SIGUSR1, &act, &mut old), 0);
        assert_eq!(raise(SIGUSR1), 0);
        assert_eq!(SEEN.load(Ordering::SeqCst), SIGUSR1);
        assert_eq!(CODE.load(Ordering::SeqCst), SI_TKILL);
        assert_eq!(PID.load(Ordering::SeqCst), libc::getpid());

        // What glibc reads back is what it would have installed itself.
        let mut host: libc::sigaction = zeroed();
        assert_eq!(libc::sigaction(SIGUSR1, ptr::null(), &mut host), 0);
        assert_eq!(host.sa_sigaction, on_signal as *const () as usize);
        assert_eq!(host.sa_flags as u64, SA_SIGINFO | SA_RESTORER);
        let mut back: sigaction = zeroed();
        assert_eq!(sigaction(SIGUSR1, ptr::null(), &mut back), 0);
        assert_eq!(back.sa_flags, host.sa_flags);
        assert_eq!(back.sa_mask.__val[0], 0);

        // Blocked: pending, delivered when unblocked.
        SEEN.store(0, Ordering::SeqCst);
        let mut set: sigset_t = zeroed();
        sigemptyset(&mut set);
        sigaddset(&mut set, SIGUSR1);
        let mut prev: sigset_t = zeroed();
        assert_eq!(sigprocmask(SIG_BLOCK, &set, &mut prev), 0);
        assert_eq!(raise(SIGUSR1), 0);
        assert_eq!(SEEN.load(Ordering::SeqCst), 0);
        let mut pending: sigset_t = zeroed();
        assert_eq!(sigpending(&mut pending), 0);
        assert_eq!(sigismember(&pending, SIGUSR1), 1);
        let mut now: sigset_t = zeroed();
        assert_eq!(pthread_sigmask(SIG_SETMASK, ptr::null(), &mut now), 0);
        assert_eq!(sigismember(&now, SIGUSR1), 1);
        assert_eq!(sigprocmask(SIG_UNBLOCK, &set, ptr::null_mut()), 0);
        assert_eq!(SEEN.load(Ordering::SeqCst), SIGUSR1);
        assert_eq!(sigprocmask(99, &set, ptr::null_mut()), -1);
        assert_eq!(vibix_abi::errno::errno(), libc::EINVAL);
        assert_eq!(pthread_sigmask(99, &set, ptr::null_mut()), libc::EINVAL);

        // signal(): BSD semantics; SIG_IGN; errors.
        let ign: sighandler_t = core::mem::transmute::<usize, sighandler_t>(1);
        let prev = signal(SIGUSR2, ign);
        assert!(prev.is_none(), "SIG_DFL before");
        assert_eq!(raise(SIGUSR2), 0, "ignored");
        assert_eq!(libc::sigaction(SIGUSR2, ptr::null(), &mut host), 0);
        assert_eq!(host.sa_sigaction, 1);
        assert_eq!(host.sa_flags as u64, SA_RESTART | SA_RESTORER);
        assert_eq!(
            signal(SIGUSR2, None).map(|f| f as *const () as usize),
            Some(1)
        );
        let err = signal(0, None).map(|f| f as *const () as usize);
        assert_eq!(err, Some(usize::MAX));
        assert_eq!(vibix_abi::errno::errno(), libc::EINVAL);
        assert_eq!(sigaction(SIGKILL, &act, ptr::null_mut()), -1);
        assert_eq!(sigaction(32, ptr::null(), ptr::null_mut()), -1);
        assert_eq!(sigaction(65, ptr::null(), ptr::null_mut()), -1);
        assert_eq!(sigaction(SIGUSR1, &old, ptr::null_mut()), 0);

        // An alternate stack, reported back; then none again.
        let mut mem = std::vec![0u8; SIGSTKSZ];
        let ss = stack_t {
            ss_sp: mem.as_mut_ptr().cast(),
            ss_flags: 0,
            ss_size: mem.len(),
        };
        let mut before: stack_t = zeroed();
        assert_eq!(sigaltstack(&ss, &mut before), 0);
        let mut now: stack_t = zeroed();
        assert_eq!(sigaltstack(ptr::null(), &mut now), 0);
        assert_eq!(
            (now.ss_sp, now.ss_size, now.ss_flags),
            (ss.ss_sp, ss.ss_size, 0)
        );
        assert_eq!(sigaltstack(&before, ptr::null_mut()), 0);
        let tiny = stack_t { ss_size: 16, ..ss };
        assert_eq!(sigaltstack(&tiny, ptr::null_mut()), -1);
        assert_eq!(vibix_abi::errno::errno(), libc::ENOMEM);

        assert_eq!(kill(libc::getpid(), 0), 0);
        assert_eq!(kill(-99_999_999, 0), -1);
        assert_eq!(kill(libc::getpid(), 999), -1);
        assert_eq!(vibix_abi::errno::errno(), libc::EINVAL);
    }
}
