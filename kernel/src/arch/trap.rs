//! Traps: the saved-register frame every interrupt, exception and syscall
//! builds on the kernel stack, and the dispatcher that decides what happens.
//! A fault in user mode is a signal for the program (its handler runs, or
//! it ends the process); a fault in the kernel is a bug and panics with a
//! report.

use crate::arch::{apic, gdt};
use crate::kprintln;
use kcore::signal;

core::arch::global_asm!(include_str!("trap.S"), options(att_syntax));

unsafe extern "C" {
    /// 48 stubs, 16 bytes apart: vectors 0-31 (exceptions), 32-47 (IOAPIC pins).
    pub static trap_stubs: u8;
    /// Loads a `TrapFrame` into the CPU and `iretq`s (see trap.S).
    fn enter_user(frame: *const TrapFrame) -> !;
}

pub const STUB_COUNT: usize = 48;
pub const STUB_SIZE: usize = 16;

// ANCHOR: trapframe
/// The registers of an interrupted context, lowest address first, exactly as
/// `trap_common` (or `syscall_entry`) pushed them and the CPU before that.
#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
pub struct TrapFrame {
    pub r15: u64,
    pub r14: u64,
    pub r13: u64,
    pub r12: u64,
    pub r11: u64,
    pub r10: u64,
    pub r9: u64,
    pub r8: u64,
    pub rbp: u64,
    pub rdi: u64,
    pub rsi: u64,
    pub rdx: u64,
    pub rcx: u64,
    pub rbx: u64,
    pub rax: u64,
    pub vector: u64,
    pub error: u64,
    // Pushed by the CPU (or by syscall_entry in the same shape).
    pub rip: u64,
    pub cs: u64,
    pub rflags: u64,
    pub rsp: u64,
    pub ss: u64,
}
// ANCHOR_END: trapframe

impl TrapFrame {
    /// A frame that starts user code at `rip` with stack `rsp`, interrupts on.
    pub fn new_user(rip: u64, rsp: u64) -> TrapFrame {
        TrapFrame {
            rip,
            rsp,
            cs: gdt::USER_CS as u64,
            ss: gdt::USER_DS as u64,
            rflags: RFLAGS_IF | RFLAGS_RESERVED,
            ..TrapFrame::default()
        }
    }

    pub fn is_user(&self) -> bool {
        self.cs & 3 == 3
    }
}

pub const RFLAGS_IF: u64 = 1 << 9;
pub const RFLAGS_RESERVED: u64 = 1 << 1;

/// Starts user mode with `frame`, placed at the top of the kernel stack whose
/// top is `kstack_top` (which must already be the TSS/syscall stack).
pub fn run_user(frame: TrapFrame, kstack_top: u64) -> ! {
    let slot = (kstack_top - core::mem::size_of::<TrapFrame>() as u64) as *mut TrapFrame;
    // SAFETY: the slot is the top of the current task's kernel stack, which
    // nothing else uses: we abandon the current kernel context for good.
    unsafe {
        slot.write(frame);
        enter_user(slot)
    }
}

const EXCEPTION_NAMES: [&str; 32] = [
    "#DE divide error",
    "#DB debug",
    "NMI",
    "#BP breakpoint",
    "#OF overflow",
    "#BR bound range",
    "#UD invalid opcode",
    "#NM device not available",
    "#DF double fault",
    "coprocessor overrun",
    "#TS invalid TSS",
    "#NP segment not present",
    "#SS stack fault",
    "#GP general protection",
    "#PF page fault",
    "reserved",
    "#MF x87 error",
    "#AC alignment check",
    "#MC machine check",
    "#XM SIMD error",
    "#VE virtualization",
    "#CP control protection",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "#HV hypervisor injection",
    "#VC VMM communication",
    "#SX security",
    "reserved",
];

#[unsafe(no_mangle)]
extern "C" fn trap_dispatch(frame: &mut TrapFrame) {
    match frame.vector {
        0..=31 => exception(frame),
        v if v == u64::from(apic::SPURIOUS_VECTOR) => {} // no EOI for these
        v => {
            let pin = (v - u64::from(apic::IRQ_BASE)) as u8;
            match pin {
                apic::PIN_TIMER => crate::arch::pit::on_tick(),
                apic::PIN_COM1 => crate::console::serial::on_interrupt(),
                _ => kprintln!("unexpected interrupt on IOAPIC pin {pin}"),
            }
            apic::end_of_interrupt();
            // A time slice is one tick; the kernel itself is never preempted.
            if pin == apic::PIN_TIMER && frame.is_user() {
                crate::proc::sched::yield_now();
            }
            if frame.is_user() {
                crate::proc::signal::deliver_pending(frame);
            }
        }
    }
}

fn exception(frame: &mut TrapFrame) {
    let vector = frame.vector;
    let cr2 = if vector == 14 {
        crate::arch::cpu::cr2()
    } else {
        0
    };
    if frame.is_user() {
        if vector == 14 && crate::arch::syscall_entry::is_stranded_syscall(frame, cr2) {
            crate::arch::syscall_entry::complete_stranded_syscall(frame);
            return;
        }
        if vector == 14 && crate::mm::fault::handle_user_fault(cr2, frame.error) {
            return;
        }
        // ANCHOR: user_fault
        // The program's error: its signal, with the fault's code and
        // address, runs the handler if there is one; else the default
        // action ends the process.
        let mapped =
            vector == 14 && crate::proc::with_current(|p| p.mm().areas.find(cr2).is_some());
        let fault = kcore::altstack::fault(vector, cr2, mapped, frame.rip);
        if crate::proc::signal::deliver_fault(frame, fault) {
            return;
        }
        // ANCHOR_END: user_fault
        let sig = fault.sig;
        let (pid, name) = crate::proc::current_identity();
        kprintln!(
            "{} in user mode: error {:#x}, rip {:#x}, cr2 {:#x}, process {} (pid {}) -> {}",
            EXCEPTION_NAMES[vector as usize],
            frame.error,
            frame.rip,
            cr2,
            name,
            pid,
            signal::signal_name(sig).unwrap_or("?"),
        );
        crate::proc::exit_current(vibix_uapi::wait::signaled(sig));
    }
    let (pid, name) = crate::proc::current_identity();
    panic!(
        "{} in kernel mode: error {:#x}, rip {:#x}, cr2 {:#x}, rsp {:#x}, process {} (pid {})",
        EXCEPTION_NAMES[vector as usize], frame.error, frame.rip, cr2, frame.rsp, name, pid,
    );
}
