//! (phase 3) What std needs to report a stack overflow as it does on
//! Linux: each thread's guard page, remembered where a signal handler can
//! read it; an alternate signal stack per thread (`sigaltstack`), for the
//! handler has no stack left otherwise; installing a `SIGSEGV`/`SIGBUS`
//! handler that runs there (`SA_SIGINFO | SA_ONSTACK`), and reading the
//! fault's address from its `siginfo`.
//!
//! The guard is a `#[thread_local]`: on vibix every program is static, so a
//! thread-local is a plain load relative to the thread pointer, which a
//! signal handler may do (no lazy allocation, no lock). The sizes and the
//! range check are pure and tested on the host, also under Miri.

use core::cell::Cell;
use core::ops::Range;

use crate::errno::{Result, check};
use crate::{mem, nr, signal, syscall};
use vibix_uapi::signal::{
    MINSIGSTKSZ, SA_ONSTACK, SA_RESTORER, SA_SIGINFO, SI_ADDR, SIG_DFL, SIGSTKSZ, SS_DISABLE,
    SigAction, SigSet, StackT,
};
use vibix_uapi::start::{MAIN_STACK_SIZE, MAIN_STACK_TOP};

// ANCHOR: plan
/// An alternate signal stack's mapping: a guard page, then the stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AltStackPlan {
    /// Bytes to map.
    pub len: usize,
    /// Bytes of guard at the bottom, mapped `PROT_NONE`: a handler that
    /// overflows the alternate stack faults there too.
    pub guard: usize,
    /// The stack itself, above the guard: [`SIGSTKSZ`] rounded up to whole
    /// pages, as std gives on Linux (vibix's signal frame, with its
    /// x87/SSE image, takes under 2 KiB of it).
    pub size: usize,
}

/// The plan for page size `page` (a power of two).
pub const fn alt_stack_plan(page: usize) -> AltStackPlan {
    let want = if SIGSTKSZ > MINSIGSTKSZ {
        SIGSTKSZ
    } else {
        MINSIGSTKSZ
    };
    let size = (want + page - 1) & !(page - 1);
    AltStackPlan {
        len: page + size,
        guard: page,
        size,
    }
}

/// The main thread's guard: the page below its stack, which vibix never
/// maps (`vibix_uapi::start::MAIN_STACK_TOP`): an overflow of the main
/// thread faults there, as on Linux at the stack's limit.
pub const fn main_guard(page: usize) -> Range<usize> {
    let bottom = MAIN_STACK_TOP - MAIN_STACK_SIZE;
    bottom - page..bottom
}

/// Whether a fault at `addr` is in `guard`: a stack overflow. 0 is never
/// one (a signal sent with `kill` has no address).
pub fn is_overflow(guard: &Range<usize>, addr: usize) -> bool {
    addr != 0 && guard.contains(&addr)
}
// ANCHOR_END: plan

/// The calling thread's guard page (empty: not known).
#[thread_local]
static GUARD: Cell<(usize, usize)> = Cell::new((0, 0));

/// Records the calling thread's guard page: the main thread's at start-up,
/// a spawned thread's first thing (`thread`'s start).
pub fn set_guard(guard: Range<usize>) {
    GUARD.set((guard.start, guard.end));
}

/// Whether a fault at `addr` hit the calling thread's guard page.
/// Async-signal-safe: one thread-local load.
pub fn hit_guard(addr: usize) -> bool {
    let (start, end) = GUARD.get();
    is_overflow(&(start..end), addr)
}

/// `sigaltstack(new, old)`.
pub fn sigaltstack(new: Option<&StackT>, old: Option<&mut StackT>) -> Result<()> {
    let new = new.map_or(core::ptr::null(), |s| s as *const StackT);
    let old = old.map_or(core::ptr::null_mut(), |s| s as *mut StackT);
    // SAFETY: the kernel reads one `stack_t` from `new` and writes one to
    // `old`, each ours or NULL.
    check(unsafe { syscall!(nr::SIGALTSTACK, new, old) }).map(drop)
}

/// A thread's alternate signal stack, mapped by [`AltStack::install`].
#[derive(Debug)]
pub struct AltStack {
    base: *mut u8,
    plan: AltStackPlan,
}

impl AltStack {
    /// Maps an alternate signal stack with its guard page and makes it the
    /// calling thread's; `None` if the thread has one already (someone
    /// else's, left alone).
    pub fn install() -> Result<Option<AltStack>> {
        let mut current = StackT::default();
        sigaltstack(None, Some(&mut current))?;
        if current.ss_flags & SS_DISABLE == 0 {
            return Ok(None);
        }
        let plan = alt_stack_plan(mem::PAGE_SIZE);
        let base = mem::mmap_anonymous(plan.len)?;
        // SAFETY: our fresh mapping of `plan.len` bytes: its first page
        // becomes the guard, the rest the stack, which nothing else uses;
        // on failure it is unmapped again, unused.
        unsafe {
            let stack = StackT {
                ss_sp: base.add(plan.guard).addr(),
                ss_flags: 0,
                ss_size: plan.size,
            };
            if let Err(e) = mem::mprotect(base, plan.guard, mem::PROT_NONE)
                .and_then(|()| sigaltstack(Some(&stack), None))
            {
                let _ = mem::munmap(base, plan.len);
                return Err(e);
            }
        }
        Ok(Some(AltStack { base, plan }))
    }

    /// Gives the stack up (`SS_DISABLE`) and unmaps it.
    ///
    /// # Safety
    ///
    /// Called on the thread that installed it, not from a handler running
    /// on it.
    pub unsafe fn remove(self) {
        let off = StackT {
            ss_sp: 0,
            ss_flags: SS_DISABLE,
            ss_size: 0,
        };
        if sigaltstack(Some(&off), None).is_ok() {
            // SAFETY: no longer the thread's alternate stack, and ours.
            unsafe {
                let _ = mem::munmap(self.base, self.plan.len);
            }
        }
    }
}

/// A `SA_SIGINFO` handler: the signal, its `siginfo`, its `ucontext`.
pub type Handler = unsafe extern "C" fn(i32, *mut u8, *mut u8);

/// Installs `handler` for `sig` (`SA_SIGINFO | SA_ONSTACK`, every other
/// signal left unblocked) if `sig` has its default action; returns whether
/// it did (a program's own handler is left alone).
pub fn catch_if_default(sig: i32, handler: Handler) -> Result<bool> {
    let mut old = SigAction::default();
    // SAFETY: the kernel writes one `struct sigaction` into `old`.
    check(unsafe {
        syscall!(
            nr::RT_SIGACTION,
            sig,
            0usize,
            &raw mut old,
            size_of::<SigSet>()
        )
    })?;
    if old.sa_handler != SIG_DFL {
        return Ok(false);
    }
    let action = SigAction {
        sa_handler: handler as usize,
        sa_flags: SA_SIGINFO | SA_ONSTACK | SA_RESTORER,
        sa_restorer: signal::restorer as *const () as usize,
        sa_mask: 0,
    };
    // SAFETY: the kernel reads one `struct sigaction`; the handler and the
    // restorer are functions of this program.
    check(unsafe {
        syscall!(
            nr::RT_SIGACTION,
            sig,
            &raw const action,
            0usize,
            size_of::<SigSet>()
        )
    })
    .map(|_| true)
}

/// A fault's address (`si_addr`) in the `siginfo` at `info`.
///
/// # Safety
///
/// `info` is the `siginfo` the kernel gave a `SA_SIGINFO` handler.
pub unsafe fn fault_address(info: *const u8) -> usize {
    // SAFETY: `si_addr` is a word of the 128-byte `siginfo` (the kernel
    // aligns it).
    unsafe { info.add(SI_ADDR).cast::<usize>().read() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alt_stack_is_sigstksz_over_a_guard() {
        let p = alt_stack_plan(4096);
        assert_eq!(
            p,
            AltStackPlan {
                len: 12288,
                guard: 4096,
                size: 8192
            }
        );
        let p = alt_stack_plan(16384);
        assert_eq!((p.guard, p.size, p.len), (16384, 16384, 32768));
        assert!(p.size >= MINSIGSTKSZ);
    }

    #[test]
    fn the_main_guard_is_the_page_below_the_stack() {
        let g = main_guard(4096);
        assert_eq!(g.end, MAIN_STACK_TOP - MAIN_STACK_SIZE);
        assert_eq!(g.end - g.start, 4096);
    }

    #[test]
    fn only_the_guard_is_an_overflow() {
        let g = 0x10_0000..0x10_1000;
        assert!(is_overflow(&g, 0x10_0000));
        assert!(is_overflow(&g, 0x10_0fff));
        assert!(!is_overflow(&g, 0x10_1000));
        assert!(!is_overflow(&g, 0x0f_ffff));
        assert!(!is_overflow(&(0..4096), 0), "no address: not a fault");
        // No guard recorded: nothing is an overflow.
        assert!(!hit_guard(0x10_0000));
        set_guard(g.clone());
        assert!(hit_guard(0x10_0800));
        assert!(!hit_guard(0x20_0000));
        set_guard(0..0);
    }

    /// The real calls on the Linux host: an alternate stack installed,
    /// read back, removed. Miri cannot make system calls.
    #[test]
    #[cfg_attr(miri, ignore)]
    fn install_and_remove_on_the_host() {
        // std gives each test thread an alternate stack: set it aside.
        let mut saved = StackT::default();
        let off = StackT {
            ss_flags: SS_DISABLE,
            ..StackT::default()
        };
        sigaltstack(Some(&off), Some(&mut saved)).unwrap();
        let stack = AltStack::install().unwrap().expect("none is set now");
        let mut now = StackT::default();
        sigaltstack(None, Some(&mut now)).unwrap();
        assert_eq!(now.ss_flags, 0);
        assert_eq!(now.ss_size, alt_stack_plan(mem::PAGE_SIZE).size);
        assert!(AltStack::install().unwrap().is_none(), "one is set already");
        // SAFETY: this thread installed it and runs on its own stack.
        unsafe { stack.remove() };
        sigaltstack(None, Some(&mut now)).unwrap();
        assert_eq!(now.ss_flags, SS_DISABLE);
        if saved.ss_flags & SS_DISABLE == 0 {
            saved.ss_flags = 0;
            sigaltstack(Some(&saved), None).unwrap();
        }
    }
}
