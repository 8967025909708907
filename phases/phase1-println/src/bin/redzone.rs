//! `redzone`: the kernel never writes into the 128 bytes below a user stack
//! pointer (the System V red zone, which the vibix target keeps: finding
//! T-A1). Leaf code may keep data there without moving `rsp`; a signal
//! delivered at that moment must put its frame below the red zone.
//!
//! The probe fills the red zone with a pattern, sends itself SIGUSR1 (the
//! handler runs on return from `kill`, on this stack, and scribbles over
//! its own locals), then counts the red-zone words that changed.

#![no_std]
#![no_main]

use core::sync::atomic::{AtomicU32, Ordering};

use vrt::check_eq;
use vrt::signal::{SIGUSR1, catch};
use vrt::syscall::syscall0;

vrt::entry!(main);

const GETPID: usize = vrt::nr::GETPID;

static CAUGHT: AtomicU32 = AtomicU32::new(0);

extern "C" fn handler(_sig: i32) {
    CAUGHT.fetch_add(1, Ordering::SeqCst);
    // A deep frame: if the kernel had put the signal frame inside the red
    // zone, this would overwrite whatever the frame did not.
    let mut scratch = [0xa5u8; 1024];
    core::hint::black_box(&mut scratch);
}

// ANCHOR: probe
/// Fills the 16 words below `rsp` with a pattern, then `kill(pid, SIGUSR1)`
/// without touching `rsp`, then returns how many of the 16 words changed.
#[unsafe(naked)]
extern "C" fn probe(pid: u64) -> u64 {
    core::arch::naked_asm!(
        "movabs r8, 0x5ed20ee5ed20ee00",
        "lea rdx, [rsp - 128]",
        "mov r9, r8",
        "2:",
        "mov [rdx], r9",
        "inc r9",
        "add rdx, 8",
        "cmp rdx, rsp",
        "jne 2b",
        // kill(pid, SIGUSR1): the signal arrives on the way back.
        "mov esi, 10",
        "mov eax, 62",
        "syscall",
        // Count the words that no longer hold the pattern.
        "xor eax, eax",
        "lea rdx, [rsp - 128]",
        "3:",
        "cmp [rdx], r8",
        "je 4f",
        "inc rax",
        "4:",
        "inc r8",
        "add rdx, 8",
        "cmp rdx, rsp",
        "jne 3b",
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
        changed,
        0,
        "no word of the red zone changed across the signal"
    );
    vrt::check::all_passed();
    0
}
