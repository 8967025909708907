//! SYSCALL/SYSRET set-up: the MSRs that point SYSCALL at `syscall_entry`
//! (syscall_entry.S), and the per-task kernel stack it switches to.

use core::sync::atomic::{AtomicBool, Ordering};

use crate::arch::gdt;
use crate::arch::trap::{RFLAGS_IF, RFLAGS_RESERVED, TrapFrame};
use x86_64::VirtAddr;
use x86_64::registers::model_specific::{Efer, EferFlags, LStar, SFMask, Star};
use x86_64::registers::rflags::RFlags;
use x86_64::structures::gdt::SegmentSelector;

core::arch::global_asm!(include_str!("syscall_entry.S"), options(att_syntax));

unsafe extern "C" {
    fn syscall_entry();
    static mut syscall_kernel_rsp: u64;
}

pub fn init() {
    // SAFETY: enabling SYSCALL/SYSRET only changes how those instructions behave.
    unsafe { Efer::update(|f| f.insert(EferFlags::SYSTEM_CALL_EXTENSIONS)) };
    LStar::write(VirtAddr::new(syscall_entry as *const () as u64));
    // Interrupts, traps and direction flag are cleared on entry.
    SFMask::write(
        RFlags::INTERRUPT_FLAG
            | RFlags::TRAP_FLAG
            | RFlags::DIRECTION_FLAG
            | RFlags::ALIGNMENT_CHECK,
    );
    Star::write(
        SegmentSelector(gdt::USER_CS),
        SegmentSelector(gdt::USER_DS),
        SegmentSelector(gdt::KERNEL_CS),
        SegmentSelector(gdt::KERNEL_DS),
    )
    .expect("GDT layout matches SYSRET's expectations");
}

/// Makes `top` the kernel stack for traps and syscalls from user mode.
pub fn set_kernel_stack(top: u64) {
    gdt::set_kernel_stack(top);
    // SAFETY: single CPU; callers run with interrupts off and not inside a
    // syscall's use of the scratch word (it is read only at syscall entry).
    unsafe { syscall_kernel_rsp = top };
}

/// Called by syscall_entry.S. Returns 0 to leave by SYSRET, 1 for IRETQ.
#[unsafe(no_mangle)]
extern "C" fn syscall_dispatch(frame: &mut TrapFrame) -> u64 {
    u64::from(run_syscall(frame))
}

// ANCHOR: stranded
/// Some nested hypervisors (seen with KVM inside a VM) execute SYSCALL
/// without switching to ring 0: RIP becomes `syscall_entry`, RCX/R11 hold
/// the user RIP/RFLAGS, but the CPU stays in user mode, so the very first
/// fetch from the kernel page faults. That fault carries every user register
/// intact, so the kernel can finish the system call from it.
pub fn is_stranded_syscall(frame: &TrapFrame, fault_addr: u64) -> bool {
    const PF_INSTRUCTION: u64 = 1 << 4;
    let entry = syscall_entry as *const () as u64;
    frame.rip == entry && fault_addr == entry && frame.error & PF_INSTRUCTION != 0
}

/// Runs the stranded system call and returns (through IRETQ) to the
/// instruction after SYSCALL, as SYSRET would have. The first time, it says
/// so in the kernel log: every system call now costs a page fault and a
/// trip through the outer hypervisor, and the runner, reading that line,
/// boots the rest of its tests under TCG, which is faster then.
pub fn complete_stranded_syscall(frame: &mut TrapFrame) {
    static REPORTED: AtomicBool = AtomicBool::new(false);
    if !REPORTED.swap(true, Ordering::Relaxed) {
        crate::kprintln!("{STRANDED_SYSCALL_NOTE}");
    }
    frame.rip = frame.rcx;
    frame.rflags = frame.r11;
    run_syscall(frame);
}
// ANCHOR_END: stranded

/// The kernel log's line when the hypervisor strands SYSCALL (the runner
/// looks for it).
pub const STRANDED_SYSCALL_NOTE: &str =
    "syscall stranded in user mode by the hypervisor: finishing system calls from page faults";

/// Dispatches the syscall in `frame` and makes the frame safe to return to.
/// Returns whether every register must be restored (IRETQ, not SYSRET).
fn run_syscall(frame: &mut TrapFrame) -> bool {
    let mut full_restore = crate::syscall::dispatch(frame);
    full_restore |= crate::proc::signal::deliver_pending(frame);
    // User code may only keep the flags it can set itself; IF stays on.
    const USER_FLAGS: u64 = 0x0cd5; // CF PF AF ZF SF TF DF OF
    frame.rflags = (frame.rflags & USER_FLAGS) | RFLAGS_IF | RFLAGS_RESERVED;
    // Neither SYSRET nor IRETQ may be handed a RIP outside user space (both
    // would fault in kernel mode); a syscall that set one kills the caller.
    if frame.rip >= kcore::layout::USER_END {
        crate::proc::exit_current(vibix_uapi::wait::signaled(kcore::signal::SIGSEGV));
    }
    full_restore
}
