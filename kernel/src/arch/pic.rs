//! The legacy 8259 interrupt controllers: we use the APICs instead, so the
//! 8259s are remapped away from the exception vectors (their reset mapping
//! overlaps them) and fully masked.

use x86_64::instructions::port::Port;

const MASTER_CMD: u16 = 0x20;
const MASTER_DATA: u16 = 0x21;
const SLAVE_CMD: u16 = 0xa0;
const SLAVE_DATA: u16 = 0xa1;

fn out(port: u16, value: u8) {
    // SAFETY: the 8259 ports only change interrupt routing, never memory.
    unsafe { Port::<u8>::new(port).write(value) }
}

pub fn disable() {
    // ICW1: init + ICW4 follows; ICW2: vector base 0x20/0x28; ICW3: cascade; ICW4: 8086.
    for (port, value) in [
        (MASTER_CMD, 0x11),
        (SLAVE_CMD, 0x11),
        (MASTER_DATA, 0x20),
        (SLAVE_DATA, 0x28),
        (MASTER_DATA, 4),
        (SLAVE_DATA, 2),
        (MASTER_DATA, 0x01),
        (SLAVE_DATA, 0x01),
        (MASTER_DATA, 0xff),
        (SLAVE_DATA, 0xff),
    ] {
        out(port, value);
    }
}
