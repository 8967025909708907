//! `sigfpu`: a signal handler may use the x87/SSE registers freely. It
//! starts with a clean set (`xmm0` zero, MXCSR at its default), and
//! whatever it leaves there, the interrupted code gets its own registers
//! back: the kernel saves them in the signal frame (`fpstate`) and
//! `rt_sigreturn` restores them, as on Linux.
//!
//! The probe fills `xmm0`-`xmm15` with patterns and sets an unusual MXCSR
//! (round toward zero), sends itself SIGUSR1, then counts the registers
//! that changed. The handler overwrites all of them. Last, a handler that
//! corrupts the saved image (a reserved MXCSR bit, which would make the
//! restoring instruction fault in the kernel) gets its process killed by
//! SIGSEGV, as on Linux.

#![no_std]
#![no_main]

use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use vrt::check_eq;
use vrt::signal::{SIGUSR1, catch};
use vrt::syscall::syscall0;

vrt::entry!(main);

const GETPID: usize = vrt::nr::GETPID;
/// MXCSR's default: all exceptions masked, round to nearest. (The probe
/// sets 0x7f80, round toward zero; the handler 0x3f80, round down.)
const MXCSR_DEFAULT: u32 = 0x1f80;

static CAUGHT: AtomicU32 = AtomicU32::new(0);
static HANDLER_XMM0: AtomicU64 = AtomicU64::new(u64::MAX);
static HANDLER_MXCSR: AtomicU32 = AtomicU32::new(0);

extern "C" fn handler(_sig: i32) {
    CAUGHT.fetch_add(1, Ordering::SeqCst);
    let (xmm0, mxcsr): (u64, u32);
    let mut scratch = 0u32;
    // SAFETY: reads xmm0 and MXCSR (through `scratch`), then overwrites
    // every xmm register and MXCSR; all are caller-saved in the SysV ABI,
    // and the kernel restores the interrupted code's set on sigreturn.
    unsafe {
        core::arch::asm!(
            "movq {x}, xmm0",
            "stmxcsr [{s}]",
            "mov {m:e}, [{s}]",
            "pcmpeqd xmm0, xmm0", "pcmpeqd xmm1, xmm1", "pcmpeqd xmm2, xmm2", "pcmpeqd xmm3, xmm3",
            "pcmpeqd xmm4, xmm4", "pcmpeqd xmm5, xmm5", "pcmpeqd xmm6, xmm6", "pcmpeqd xmm7, xmm7",
            "pcmpeqd xmm8, xmm8", "pcmpeqd xmm9, xmm9", "pcmpeqd xmm10, xmm10", "pcmpeqd xmm11, xmm11",
            "pcmpeqd xmm12, xmm12", "pcmpeqd xmm13, xmm13", "pcmpeqd xmm14, xmm14", "pcmpeqd xmm15, xmm15",
            "mov dword ptr [{s}], 0x3f80",
            "ldmxcsr [{s}]",
            x = out(reg) xmm0,
            m = out(reg) mxcsr,
            s = in(reg) &raw mut scratch,
            out("xmm0") _, out("xmm1") _, out("xmm2") _, out("xmm3") _,
            out("xmm4") _, out("xmm5") _, out("xmm6") _, out("xmm7") _,
            out("xmm8") _, out("xmm9") _, out("xmm10") _, out("xmm11") _,
            out("xmm12") _, out("xmm13") _, out("xmm14") _, out("xmm15") _,
        );
    }
    HANDLER_XMM0.store(xmm0, Ordering::SeqCst);
    HANDLER_MXCSR.store(mxcsr, Ordering::SeqCst);
}

/// A handler that sets a reserved MXCSR bit in the saved `fpstate` of its
/// frame (`ucontext` -> `uc_mcontext.fpstate` -> MXCSR at byte 24): the
/// image FXRSTOR would fault on.
extern "C" fn corrupting_handler(_sig: i32, _info: usize, ucontext: usize) {
    // uc_mcontext starts 40 bytes into the ucontext; fpstate is its 24th word.
    let fpstate_slot = (ucontext + 40 + 184) as *const u64;
    // SAFETY: the kernel passed a pointer to this frame's ucontext, whose
    // fpstate field points at the 512-byte image in the same frame.
    unsafe {
        let fpstate = core::ptr::read_volatile(fpstate_slot) as *mut u32;
        let mxcsr = fpstate.add(6);
        core::ptr::write_volatile(mxcsr, core::ptr::read_volatile(mxcsr) | 0x8000_0000);
    }
}

// ANCHOR: probe
/// Loads a pattern into each of `xmm0`-`xmm15` and 0x7f80 into MXCSR,
/// sends `kill(pid, SIGUSR1)`, and returns how many of the 16 registers
/// changed, plus 100 if MXCSR changed. Leaves MXCSR at its default.
#[unsafe(naked)]
extern "C" fn probe(pid: u64) -> u64 {
    core::arch::naked_asm!(
        "movabs r8, 0x5ec0fa11ed000000",
        "mov rax, r8",
        "movq xmm0, rax",
        "inc rax",
        "movq xmm1, rax",
        "inc rax",
        "movq xmm2, rax",
        "inc rax",
        "movq xmm3, rax",
        "inc rax",
        "movq xmm4, rax",
        "inc rax",
        "movq xmm5, rax",
        "inc rax",
        "movq xmm6, rax",
        "inc rax",
        "movq xmm7, rax",
        "inc rax",
        "movq xmm8, rax",
        "inc rax",
        "movq xmm9, rax",
        "inc rax",
        "movq xmm10, rax",
        "inc rax",
        "movq xmm11, rax",
        "inc rax",
        "movq xmm12, rax",
        "inc rax",
        "movq xmm13, rax",
        "inc rax",
        "movq xmm14, rax",
        "inc rax",
        "movq xmm15, rax",
        "sub rsp, 8",
        "mov dword ptr [rsp], 0x7f80",
        "ldmxcsr [rsp]",
        // kill(pid, SIGUSR1): the handler runs on the way back.
        "mov esi, 10",
        "mov eax, 62",
        "syscall",
        "xor edx, edx",
        "mov rax, r8",
        "movq rcx, xmm0",
        "cmp rcx, rax",
        "je 2f",
        "inc rdx",
        "2:",
        "inc rax",
        "movq rcx, xmm1",
        "cmp rcx, rax",
        "je 2f",
        "inc rdx",
        "2:",
        "inc rax",
        "movq rcx, xmm2",
        "cmp rcx, rax",
        "je 2f",
        "inc rdx",
        "2:",
        "inc rax",
        "movq rcx, xmm3",
        "cmp rcx, rax",
        "je 2f",
        "inc rdx",
        "2:",
        "inc rax",
        "movq rcx, xmm4",
        "cmp rcx, rax",
        "je 2f",
        "inc rdx",
        "2:",
        "inc rax",
        "movq rcx, xmm5",
        "cmp rcx, rax",
        "je 2f",
        "inc rdx",
        "2:",
        "inc rax",
        "movq rcx, xmm6",
        "cmp rcx, rax",
        "je 2f",
        "inc rdx",
        "2:",
        "inc rax",
        "movq rcx, xmm7",
        "cmp rcx, rax",
        "je 2f",
        "inc rdx",
        "2:",
        "inc rax",
        "movq rcx, xmm8",
        "cmp rcx, rax",
        "je 2f",
        "inc rdx",
        "2:",
        "inc rax",
        "movq rcx, xmm9",
        "cmp rcx, rax",
        "je 2f",
        "inc rdx",
        "2:",
        "inc rax",
        "movq rcx, xmm10",
        "cmp rcx, rax",
        "je 2f",
        "inc rdx",
        "2:",
        "inc rax",
        "movq rcx, xmm11",
        "cmp rcx, rax",
        "je 2f",
        "inc rdx",
        "2:",
        "inc rax",
        "movq rcx, xmm12",
        "cmp rcx, rax",
        "je 2f",
        "inc rdx",
        "2:",
        "inc rax",
        "movq rcx, xmm13",
        "cmp rcx, rax",
        "je 2f",
        "inc rdx",
        "2:",
        "inc rax",
        "movq rcx, xmm14",
        "cmp rcx, rax",
        "je 2f",
        "inc rdx",
        "2:",
        "inc rax",
        "movq rcx, xmm15",
        "cmp rcx, rax",
        "je 2f",
        "inc rdx",
        "2:",
        "stmxcsr [rsp]",
        "cmp dword ptr [rsp], 0x7f80",
        "je 3f",
        "add rdx, 100",
        "3:",
        "mov dword ptr [rsp], 0x1f80",
        "ldmxcsr [rsp]",
        "add rsp, 8",
        "mov rax, rdx",
        "ret",
    )
}
// ANCHOR_END: probe

fn main(_args: &vrt::Args) -> i32 {
    check_eq!(
        catch(SIGUSR1, handler as *const () as usize),
        Ok(0),
        "install a SIGUSR1 handler"
    );
    // SAFETY: getpid takes no arguments and touches no memory.
    let pid = unsafe { syscall0(GETPID) } as u64;
    let changed = probe(pid);
    check_eq!(
        CAUGHT.load(Ordering::SeqCst),
        1,
        "the handler ran once, during the probe"
    );
    check_eq!(
        HANDLER_XMM0.load(Ordering::SeqCst),
        0,
        "the handler starts with xmm0 cleared"
    );
    check_eq!(
        HANDLER_MXCSR.load(Ordering::SeqCst),
        MXCSR_DEFAULT,
        "the handler starts with the default MXCSR"
    );
    check_eq!(
        changed,
        0,
        "the interrupted code gets all 16 xmm registers and its MXCSR back"
    );

    // A handler that corrupts the saved MXCSR: the process cannot go back
    // to that state; how it ends must be what Linux does, and the kernel
    // (which must never load such an image) lives on.
    let child = vrt::children::spawn(|| {
        let _ = catch(SIGUSR1, corrupting_handler as *const () as usize);
        // SAFETY: getpid takes no arguments and touches no memory.
        let me = unsafe { syscall0(GETPID) } as i32;
        let _ = vrt::pipes::kill(me, SIGUSR1);
        0
    });
    check_eq!(
        vrt::children::reap(child),
        vrt::children::Ended::Killed(11),
        "a handler that corrupts the saved MXCSR: sigreturn ends the process with SIGSEGV"
    );
    vrt::check::all_passed();
    0
}
