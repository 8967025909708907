//! x86_64 machinery: segments, interrupts and traps, the legacy interrupt
//! controller and timer, the SYSCALL entry, and a few CPU instructions.

pub mod apic;
pub mod cpu;
pub mod fpu;
pub mod gdt;
pub mod idt;
pub mod pic;
pub mod pit;
pub mod syscall_entry;
pub mod trap;
