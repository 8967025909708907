//! Interrupt delivery through the APICs, which both machines we boot on
//! have (on `-M microvm` the legacy 8259 is not wired to the CPU at all):
//! the IOAPIC routes a device's pin to a vector, the local APIC delivers it
//! and takes the end-of-interrupt. Both are reached through the physmap;
//! the boot page tables map the 3-4 GiB hole they live in uncached.

use crate::mm::phys_to_virt;

const LAPIC_BASE: u64 = 0xfee0_0000;
const IOAPIC_BASE: u64 = 0xfec0_0000;

const LAPIC_EOI: u64 = 0xb0;
const LAPIC_SPURIOUS: u64 = 0xf0;
const LAPIC_ENABLE: u32 = 1 << 8;

/// Vectors: IOAPIC pin n arrives at `IRQ_BASE + n`.
pub const IRQ_BASE: u8 = 32;
/// The spurious-interrupt vector (its low four bits must be set).
pub const SPURIOUS_VECTOR: u8 = 47;
/// QEMU wires the PIT to IOAPIC pin 2 (the ISA IRQ 0 override every PC
/// firmware reports) and COM1 to pin 4.
pub const PIN_TIMER: u8 = 2;
pub const PIN_COM1: u8 = 4;

fn lapic_write(reg: u64, value: u32) {
    // SAFETY: the local APIC's registers are at LAPIC_BASE on every x86_64
    // PC QEMU emulates; the physmap maps them uncached; 32-bit accesses.
    unsafe { core::ptr::write_volatile(phys_to_virt(LAPIC_BASE + reg) as *mut u32, value) }
}

fn ioapic_write(reg: u32, value: u32) {
    let base = phys_to_virt(IOAPIC_BASE);
    // SAFETY: IOREGSEL (offset 0) selects a register, IOWIN (offset 0x10)
    // accesses it; the IOAPIC is at IOAPIC_BASE on QEMU's pc and microvm.
    unsafe {
        core::ptr::write_volatile(base as *mut u32, reg);
        core::ptr::write_volatile((base + 0x10) as *mut u32, value);
    }
}

/// Routes IOAPIC `pin` to vector `IRQ_BASE + pin` on this CPU (APIC id 0),
/// edge-triggered, active high: how ISA devices signal.
fn route(pin: u8) {
    let redirection = 0x10 + 2 * u32::from(pin);
    ioapic_write(redirection + 1, 0); // destination: APIC id 0
    ioapic_write(redirection, u32::from(IRQ_BASE + pin));
}

pub fn init() {
    lapic_write(LAPIC_SPURIOUS, LAPIC_ENABLE | u32::from(SPURIOUS_VECTOR));
    route(PIN_TIMER);
    route(PIN_COM1);
}

pub fn end_of_interrupt() {
    lapic_write(LAPIC_EOI, 0);
}
