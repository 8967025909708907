//! `segv`: a write to an unmapped address kills the process with SIGSEGV.
//!
//! Address 0x10 is in the first page, which is never mapped (the image
//! starts at 4 MiB), as a null-pointer dereference with a small offset would
//! touch. The expected result is death by SIGSEGV, not an exit status.

#![no_std]
#![no_main]

vrt::entry!(main);

fn main(_args: &vrt::Args) -> i32 {
    vrt::println!("about to fault");
    let address = core::ptr::without_provenance_mut::<u32>(0x10);
    // SAFETY: deliberately not safe: the point is that the kernel stops the
    // process at this write. A volatile write to an address outside every
    // Rust allocation is allowed, and the compiler must perform it.
    unsafe { address.write_volatile(0x5eb5eb) };
    vrt::println!("FAIL: still alive after writing to address 0x10");
    1
}
