//! The IDT: vectors 0-47 point at their stubs in trap.S, as 64-bit
//! interrupt gates (interrupts off on entry). The double fault runs on its
//! own stack (IST) since the kernel stack may be why it happened.

use crate::arch::gdt::{DOUBLE_FAULT_IST, KERNEL_CS};
use crate::arch::trap::{STUB_COUNT, STUB_SIZE, trap_stubs};
use x86_64::VirtAddr;
use x86_64::instructions::tables::lidt;
use x86_64::structures::DescriptorTablePointer;

/// One 16-byte gate descriptor.
#[repr(C)]
#[derive(Clone, Copy)]
struct Gate {
    offset_low: u16,
    selector: u16,
    ist: u8,
    type_attr: u8,
    offset_mid: u16,
    offset_high: u32,
    reserved: u32,
}

const EMPTY: Gate = Gate {
    offset_low: 0,
    selector: 0,
    ist: 0,
    type_attr: 0,
    offset_mid: 0,
    offset_high: 0,
    reserved: 0,
};
/// Present, DPL 0, 64-bit interrupt gate.
const INTERRUPT_GATE: u8 = 0x8e;

impl Gate {
    fn new(handler: u64, ist: u8) -> Gate {
        Gate {
            offset_low: handler as u16,
            selector: KERNEL_CS,
            ist,
            type_attr: INTERRUPT_GATE,
            offset_mid: (handler >> 16) as u16,
            offset_high: (handler >> 32) as u32,
            reserved: 0,
        }
    }
}

static mut IDT: [Gate; 256] = [EMPTY; 256];

pub fn init() {
    let base = (&raw const trap_stubs) as u64;
    let idt = &raw mut IDT;
    for vector in 0..STUB_COUNT {
        let ist = if vector == 8 {
            DOUBLE_FAULT_IST as u8 + 1
        } else {
            0
        };
        let gate = Gate::new(base + (vector * STUB_SIZE) as u64, ist);
        // SAFETY: called once at boot, before interrupts are enabled; nothing
        // else references the table yet.
        unsafe { (*idt)[vector] = gate };
    }
    let pointer = DescriptorTablePointer {
        limit: (core::mem::size_of::<[Gate; 256]>() - 1) as u16,
        base: VirtAddr::from_ptr(idt),
    };
    // SAFETY: the table is a static (lives forever) filled with valid gates
    // pointing at the trap stubs.
    unsafe { lidt(&pointer) };
}
