//! Alternate signal stacks and the information a signal carries: the rules
//! of `sigaltstack` (Linux's, error by error), where a handler's frame
//! goes, and which signal, `si_code` and address a CPU exception becomes.
//! Plain logic, tested on the host; the kernel keeps one [`AltStack`] per
//! thread and asks it.

use crate::errno::{Errno, KResult};
use vibix_uapi::signal::{
    FPE_INTDIV, ILL_ILLOPN, MINSIGSTKSZ, SEGV_ACCERR, SEGV_MAPERR, SI_KERNEL, SS_AUTODISARM,
    SS_DISABLE, SS_ONSTACK, StackT,
};

// ANCHOR: altstack
/// A thread's alternate signal stack: `[sp, sp + size)`, or none (`size`
/// 0). `flags` are those `sigaltstack` was given, kept as given (0 or
/// [`SS_ONSTACK`], with [`SS_AUTODISARM`] or not; [`SS_DISABLE`] when
/// there is none), as Linux keeps them: a frame's `uc_stack` shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AltStack {
    pub sp: u64,
    pub size: u64,
    pub flags: i32,
}

impl AltStack {
    /// No alternate stack: a new process's, a new thread's, and what
    /// `execve` leaves.
    pub const NONE: AltStack = AltStack {
        sp: 0,
        size: 0,
        flags: SS_DISABLE,
    };

    /// Whether the user stack pointer `sp` is on this stack (Linux's
    /// `on_sig_stack`): above its base and at most `size` above it, since
    /// a stack grows down from `sp + size`. A stack given up while in use
    /// ([`SS_AUTODISARM`]) never counts.
    pub fn contains(&self, sp: u64) -> bool {
        self.flags & SS_AUTODISARM == 0 && self.holds(sp)
    }

    /// [`contains`](Self::contains), whatever the flags.
    fn holds(&self, sp: u64) -> bool {
        sp > self.sp && sp - self.sp <= self.size
    }

    /// `sigaltstack`'s old value, seen from stack pointer `sp`:
    /// [`SS_DISABLE`] if there is none, [`SS_ONSTACK`] if `sp` is on it,
    /// else 0; with [`SS_AUTODISARM`] if it was asked for.
    pub fn report(&self, sp: u64) -> StackT {
        let state = if self.size == 0 {
            SS_DISABLE
        } else if self.contains(sp) {
            SS_ONSTACK
        } else {
            0
        };
        StackT {
            ss_sp: self.sp as usize,
            ss_flags: state | (self.flags & SS_AUTODISARM),
            ss_size: self.size as usize,
        }
    }

    /// What a signal frame's `uc_stack` holds: the stack as set.
    pub fn saved(&self) -> StackT {
        StackT {
            ss_sp: self.sp as usize,
            ss_flags: self.flags,
            ss_size: self.size as usize,
        }
    }

    // ANCHOR: change
    /// `sigaltstack`'s new value `new`, asked for from stack pointer `sp`:
    /// `EPERM` while running on the current one, `EINVAL` for flags other
    /// than 0, [`SS_ONSTACK`] or [`SS_DISABLE`] (each optionally with
    /// [`SS_AUTODISARM`]), `ENOMEM` for a stack smaller than
    /// [`MINSIGSTKSZ`]. [`SS_DISABLE`] ignores the address and size.
    pub fn change(&mut self, new: StackT, sp: u64) -> KResult<()> {
        if self.contains(sp) {
            return Err(Errno::EPERM);
        }
        let mode = new.ss_flags & !SS_AUTODISARM;
        if mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE {
            return Err(Errno::EINVAL);
        }
        *self = if mode == SS_DISABLE {
            AltStack {
                sp: 0,
                size: 0,
                flags: new.ss_flags,
            }
        } else if new.ss_size < MINSIGSTKSZ {
            return Err(Errno::ENOMEM);
        } else {
            AltStack {
                sp: new.ss_sp as u64,
                size: new.ss_size as u64,
                flags: new.ss_flags,
            }
        };
        Ok(())
    }
    // ANCHOR_END: change

    // ANCHOR: handler_stack
    /// Where a handler's frame is built down from, for a signal that
    /// interrupted stack pointer `sp` (already below the red zone):
    /// the top of this stack if the handler asked for it (`SA_ONSTACK`),
    /// there is one and `sp` is not on it yet; else `sp` itself. The flag
    /// says whether the frame goes on this stack (entering it, or nested
    /// on it), so the caller can check that the frame fits in it.
    pub fn handler_stack(&self, sp: u64, on_stack: bool) -> (u64, bool) {
        if self.contains(sp) {
            (sp, true)
        } else if on_stack && self.size != 0 {
            (self.sp.wrapping_add(self.size), true)
        } else {
            (sp, false)
        }
    }
    // ANCHOR_END: handler_stack

    /// Whether a frame starting at `start` (its lowest byte) fits in this
    /// stack, for a frame [`handler_stack`](Self::handler_stack) put on it.
    pub fn fits(&self, start: u64) -> bool {
        self.holds(start)
    }
}

// ANCHOR: fault
/// What a CPU exception in user mode becomes: the signal, its `si_code`
/// and `si_addr`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fault {
    pub sig: u8,
    pub code: i32,
    pub addr: u64,
}

/// The signal for exception `vector`, as Linux raises it: a page fault
/// (14) is `SIGSEGV` at the faulting address (`cr2`), `SEGV_MAPERR` where
/// nothing is mapped, `SEGV_ACCERR` where a mapping forbids the access
/// (a guard page mapped `PROT_NONE`); a division by zero is `SIGFPE` and
/// an undefined opcode `SIGILL`, at the instruction (`rip`); `int3` is
/// `SIGTRAP` from the kernel; an alignment check `SIGBUS`; a general-protection fault and
/// the rest `SIGSEGV` from the kernel, with no address.
pub fn fault(vector: u64, cr2: u64, mapped: bool, rip: u64) -> Fault {
    use crate::signal::{SIGBUS, SIGFPE, SIGILL, SIGSEGV, SIGTRAP};
    let (sig, code, addr) = match vector {
        14 => (SIGSEGV, if mapped { SEGV_ACCERR } else { SEGV_MAPERR }, cr2),
        0 => (SIGFPE, FPE_INTDIV, rip),
        16 | 19 => (SIGFPE, SI_KERNEL, rip),
        6 => (SIGILL, ILL_ILLOPN, rip),
        1 | 3 => (SIGTRAP, SI_KERNEL, 0),
        17 => (SIGBUS, SI_KERNEL, 0),
        _ => (SIGSEGV, SI_KERNEL, 0),
    };
    Fault { sig, code, addr }
}
// ANCHOR_END: fault

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::{SIGFPE, SIGILL, SIGSEGV};

    const BASE: u64 = 0x10_0000;
    const SIZE: usize = 0x4000;

    fn set(flags: i32) -> AltStack {
        let mut s = AltStack::NONE;
        let new = StackT {
            ss_sp: BASE as usize,
            ss_flags: flags,
            ss_size: SIZE,
        };
        s.change(new, 0x7000_0000).unwrap();
        s
    }

    #[test]
    fn none_reports_disabled() {
        let s = AltStack::NONE;
        assert_eq!(
            s.report(0x1000),
            StackT {
                ss_sp: 0,
                ss_flags: SS_DISABLE,
                ss_size: 0
            }
        );
        assert!(!s.contains(0));
        assert_eq!(s.handler_stack(0x5000, true), (0x5000, false));
    }

    #[test]
    fn on_the_stack_is_above_its_base_up_to_its_top() {
        let s = set(0);
        assert!(!s.contains(BASE));
        assert!(s.contains(BASE + 1));
        assert!(s.contains(BASE + SIZE as u64));
        assert!(!s.contains(BASE + SIZE as u64 + 1));
        assert_eq!(s.report(BASE + 8).ss_flags, SS_ONSTACK);
        assert_eq!(s.report(0x9000_0000).ss_flags, 0);
        assert_eq!(s.report(0).ss_sp, BASE as usize);
        assert_eq!(s.report(0).ss_size, SIZE);
    }

    #[test]
    fn errors_in_linux_order() {
        let mut s = set(0);
        let any = StackT {
            ss_sp: 0x20_0000,
            ss_flags: 7,
            ss_size: 0,
        };
        // On it: EPERM before the bad flags are looked at.
        assert_eq!(s.change(any, BASE + 100), Err(Errno::EPERM));
        assert_eq!(s.change(any, 0x9000_0000), Err(Errno::EINVAL));
        for bad in [3, 4, -1, SS_AUTODISARM | 4] {
            let new = StackT {
                ss_flags: bad,
                ss_size: SIZE,
                ..any
            };
            assert_eq!(s.change(new, 0), Err(Errno::EINVAL), "{bad}");
        }
        let small = StackT {
            ss_flags: 0,
            ss_size: MINSIGSTKSZ - 1,
            ..any
        };
        assert_eq!(s.change(small, 0), Err(Errno::ENOMEM));
        assert_eq!(s, set(0), "a failed change changes nothing");
        // SS_DISABLE ignores the size; SS_ONSTACK is the same as 0.
        let off = StackT {
            ss_flags: SS_DISABLE,
            ..small
        };
        assert_eq!(s.change(off, 0), Ok(()));
        assert_eq!(s.report(0), AltStack::NONE.report(0));
        let exact = StackT {
            ss_flags: SS_ONSTACK,
            ss_size: MINSIGSTKSZ,
            ..any
        };
        assert_eq!(s.change(exact, 0), Ok(()));
        assert_eq!(s.report(0).ss_flags, 0);
        assert_eq!(s.saved().ss_flags, SS_ONSTACK, "kept as given");
    }

    #[test]
    fn frames_go_on_it_only_when_asked() {
        let s = set(0);
        let top = BASE + SIZE as u64;
        assert_eq!(s.handler_stack(0x7000_0000, true), (top, true));
        assert_eq!(s.handler_stack(0x7000_0000, false), (0x7000_0000, false));
        // Nested: already on it, the frame goes below the interrupted one.
        assert_eq!(s.handler_stack(top - 512, true), (top - 512, true));
        assert_eq!(s.handler_stack(top - 512, false), (top - 512, true));
        assert!(s.fits(BASE + 1));
        assert!(!s.fits(BASE - 100), "overflowing it");
    }

    #[test]
    fn autodisarm_never_counts_as_on_it() {
        let mut s = set(SS_AUTODISARM);
        assert!(!s.contains(BASE + 8));
        assert_eq!(s.report(BASE + 8).ss_flags, SS_AUTODISARM);
        assert_eq!(s.saved().ss_flags, SS_AUTODISARM);
        let off = StackT {
            ss_sp: 0,
            ss_flags: SS_DISABLE,
            ss_size: 0,
        };
        assert_eq!(s.change(off, BASE + 8), Ok(()), "no EPERM");
    }

    #[test]
    fn exceptions_become_linux_signals() {
        let at = |v, mapped| fault(v, 0xdead_0000, mapped, 0x40_1000);
        assert_eq!(
            at(14, false),
            Fault {
                sig: SIGSEGV,
                code: SEGV_MAPERR,
                addr: 0xdead_0000
            }
        );
        assert_eq!(at(14, true).code, SEGV_ACCERR);
        assert_eq!((at(0, false).sig, at(0, false).addr), (SIGFPE, 0x40_1000));
        assert_eq!(at(6, false).sig, SIGILL);
        assert_eq!(at(6, false).code, ILL_ILLOPN);
        assert_eq!(
            at(13, false),
            Fault {
                sig: SIGSEGV,
                code: SI_KERNEL,
                addr: 0
            }
        );
    }
}
