//! Running a signal handler, and coming back from it. To run a handler the
//! kernel saves the interrupted registers in a frame on the user stack, in
//! Linux's `rt_sigframe` layout (return address = the `sa_restorer`, then a
//! `ucontext` holding the registers and the old mask, then a `siginfo`),
//! and points the program at the handler. When the handler returns, the
//! restorer calls `rt_sigreturn`, which reads the frame back. The x87/SSE
//! registers go below the frame (`fpstate`, the 512-byte FXSAVE image, as
//! on Linux), so a handler may use them freely: it starts with a fresh set,
//! and the interrupted code gets its own back.
//!
//! A handler installed with `SA_ONSTACK` runs on the thread's alternate
//! signal stack (`sigaltstack`) if it has one and is not on it already:
//! the frame is built down from that stack's top, and must fit in it. The
//! `siginfo` says who sent the signal (`SI_USER`, `SI_TKILL` and the
//! sender's pid) or, for a fault, its `si_code` and address; `uc_stack`
//! holds the alternate stack as set, which `rt_sigreturn` sets again.

use super::signal::{Action, Info, SA_NODEFER, SA_ONSTACK, SA_RESETHAND, bit};
use super::{with_current, with_current_task};
use crate::arch::trap::{RFLAGS_IF, RFLAGS_RESERVED, TrapFrame};
use crate::uaccess;
use kcore::errno::{Errno, KResult};
use kcore::layout::USER_END;

use vibix_uapi::signal as abi;

/// Offsets in the frame (Linux x86_64 `struct rt_sigframe`).
const UCONTEXT: u64 = 8;
const UC_STACK: u64 = UCONTEXT + abi::UC_STACK as u64;
const MCONTEXT: u64 = UCONTEXT + abi::UC_MCONTEXT as u64;
const SIGMASK: u64 = MCONTEXT + 256;
const SIGINFO: u64 = SIGMASK + 8;
const FRAME_SIZE: u64 = SIGINFO + abi::SIGINFO_SIZE as u64;
/// The red zone below the user's stack pointer belongs to the program.
const RED_ZONE: u64 = 128;
/// `uc_mcontext.fpstate`: where the x87/SSE image is (0: none).
const FPSTATE_PTR: u64 = MCONTEXT + 184;
const FPSTATE_SIZE: u64 = 512;

/// `struct sigcontext`'s general registers, in Linux's order.
fn registers(f: &TrapFrame) -> [u64; 18] {
    [
        f.r8, f.r9, f.r10, f.r11, f.r12, f.r13, f.r14, f.r15, f.rdi, f.rsi, f.rbp, f.rbx, f.rdx,
        f.rax, f.rcx, f.rsp, f.rip, f.rflags,
    ]
}

// ANCHOR: push
/// Builds the frame for `sig` below the user stack, or on the alternate
/// stack, and enters the handler. An error (the frame does not fit, or
/// the memory is not writable) leaves the task as it was.
pub fn push(frame: &mut TrapFrame, sig: u8, action: &Action, info: Info) -> KResult<()> {
    let (alt, old_mask) = with_current_task(|t, _| (t.alt_stack, t.sig_mask));
    let below_red_zone = frame.rsp.wrapping_sub(RED_ZONE);
    let (sp, on_alt) = alt.handler_stack(below_red_zone, action.flags & SA_ONSTACK != 0);
    // The x87/SSE image 64-byte aligned at the top, the frame under it.
    let fpstate = sp.wrapping_sub(FPSTATE_SIZE) & !63;
    let start = (fpstate.wrapping_sub(FRAME_SIZE) & !15).wrapping_sub(8);
    if on_alt && !alt.fits(start) {
        // It would overflow the alternate stack: like Linux, refuse.
        return Err(Errno::EFAULT);
    }
    if action.handler >= USER_END {
        // No return to user mode may start outside user space (IRETQ
        // would fault in the kernel); on Linux that return faults: SIGSEGV.
        return Err(Errno::EFAULT);
    }
    let fpu = crate::arch::fpu::FpuState::current();
    let mut image = [0u8; FRAME_SIZE as usize];
    let mut put =
        |at: u64, v: u64| image[at as usize..at as usize + 8].copy_from_slice(&v.to_le_bytes());
    put(0, action.restorer);
    let saved = alt.saved();
    put(UC_STACK, saved.ss_sp as u64);
    put(UC_STACK + 8, u64::from(saved.ss_flags as u32));
    put(UC_STACK + 16, saved.ss_size as u64);
    for (i, r) in registers(frame).iter().enumerate() {
        put(MCONTEXT + 8 * i as u64, *r);
    }
    // cs, gs, fs, ss as four u16s after rflags.
    put(MCONTEXT + 144, frame.cs | (frame.ss << 48));
    put(MCONTEXT + 160, frame.vector.min(255)); // trapno
    put(SIGMASK, old_mask);
    let (code, union, status) = match info {
        // si_pid, then si_uid (vibix has one user, root); SIGCHLD's
        // si_status after them.
        Info::Sent(from) => (from.code, u64::from(from.pid), from.status),
        Info::Fault(fault) => (fault.code, fault.addr, 0),
    };
    // si_signo, si_errno = 0; si_code; the union's first word.
    put(SIGINFO + abi::SI_SIGNO as u64, u64::from(sig));
    put(SIGINFO + abi::SI_CODE as u64, u64::from(code as u32));
    put(SIGINFO + abi::SI_ADDR as u64, union);
    put(SIGINFO + abi::SI_STATUS as u64, u64::from(status as u32));
    put(FPSTATE_PTR, fpstate);
    with_current(|p| uaccess::copy_to_user(p.mm(), fpstate, fpu.bytes()))?;
    with_current(|p| uaccess::copy_to_user(p.mm(), start, &image))?;
    // The handler starts with a clean x87/SSE state, as on Linux.
    crate::arch::fpu::FpuState::initial().restore();
    with_current_task(|t, p| {
        t.sig_mask |= action.mask
            | if action.flags & SA_NODEFER == 0 {
                bit(sig)
            } else {
                0
            };
        if action.flags & SA_RESETHAND != 0 {
            p.signals.actions[usize::from(sig) - 1] = Action::default();
        }
        // A stack set with SS_AUTODISARM is given up while the handler
        // runs; its `uc_stack` has it for `rt_sigreturn`.
        if t.alt_stack.flags & abi::SS_AUTODISARM != 0 {
            t.alt_stack = kcore::altstack::AltStack::NONE;
        }
    });
    *frame = TrapFrame {
        rip: action.handler,
        rsp: start,
        rdi: u64::from(sig),
        rsi: start + SIGINFO,
        rdx: start + UCONTEXT,
        ..TrapFrame::new_user(0, 0)
    };
    Ok(())
}
// ANCHOR_END: push

/// `rt_sigreturn`: restores the registers and mask saved by `push`, and
/// the alternate stack from `uc_stack` (as `sigaltstack` would, seen from
/// the restored stack pointer; an error there is ignored, as on Linux).
/// The handler's `ret` popped the return address, so the frame starts 8
/// bytes below the stack pointer.
pub fn sigreturn(frame: &mut TrapFrame) -> KResult<()> {
    let start = frame.rsp.checked_sub(8).ok_or(Errno::EFAULT)?;
    let mut image = [0u8; FRAME_SIZE as usize];
    with_current(|p| uaccess::copy_from_user(p.mm(), &mut image, start))?;
    let get = |at: u64| {
        u64::from_le_bytes(
            image[at as usize..at as usize + 8]
                .try_into()
                .expect("8 bytes"),
        )
    };
    let r: [u64; 18] = core::array::from_fn(|i| get(MCONTEXT + 8 * i as u64));
    if r[16] >= USER_END {
        return Err(Errno::EFAULT);
    }
    // The x87/SSE registers, if the frame has them: checked before anything
    // changes, so a bad image fails the whole sigreturn.
    let fpu = match get(FPSTATE_PTR) {
        0 => None,
        at => {
            let mut image = [0u8; FPSTATE_SIZE as usize];
            with_current(|p| uaccess::copy_from_user(p.mm(), &mut image, at))?;
            Some(crate::arch::fpu::FpuState::from_user(image).ok_or(Errno::EFAULT)?)
        }
    };
    *frame = TrapFrame {
        r8: r[0],
        r9: r[1],
        r10: r[2],
        r11: r[3],
        r12: r[4],
        r13: r[5],
        r14: r[6],
        r15: r[7],
        rdi: r[8],
        rsi: r[9],
        rbp: r[10],
        rbx: r[11],
        rdx: r[12],
        rax: r[13],
        rcx: r[14],
        rsp: r[15],
        rip: r[16],
        // Only the flags a program may set; IF stays on.
        rflags: (r[17] & 0x0cd5) | RFLAGS_IF | RFLAGS_RESERVED,
        ..TrapFrame::new_user(0, 0)
    };
    let mask = get(SIGMASK);
    let uc_stack = abi::StackT {
        ss_sp: get(UC_STACK) as usize,
        ss_flags: get(UC_STACK + 8) as u32 as i32,
        ss_size: get(UC_STACK + 16) as usize,
    };
    let sp = frame.rsp;
    with_current_task(|t, _| {
        t.sig_mask = mask & !(bit(kcore::signal::SIGKILL) | bit(kcore::signal::SIGSTOP));
        let _ = t.alt_stack.change(uc_stack, sp);
    });
    if let Some(fpu) = fpu {
        fpu.restore();
    }
    Ok(())
}
