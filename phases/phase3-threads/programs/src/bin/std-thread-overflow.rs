//! A thread that overflows its stack runs into the guard page below it, and
//! the process dies instead of corrupting memory. (On Linux std catches the
//! fault on an alternate signal stack, prints "thread '…' has overflowed
//! its stack" and aborts; see the phase's chapter for what vibix lacks for
//! that.)

use std::thread;

#[inline(never)]
#[allow(unconditional_recursion)]
fn recurse(depth: u64) -> u64 {
    let mut frame = [0u8; 4096];
    frame[(depth % 4096) as usize] = depth as u8;
    let frame = std::hint::black_box(frame);
    u64::from(frame[(depth % 4096) as usize]) + recurse(depth + 1)
}

fn main() {
    println!("spawning a thread with a 64 KiB stack that recurses forever");
    let h = thread::Builder::new()
        .name("deep".into())
        .stack_size(64 * 1024)
        .spawn(|| recurse(0))
        .unwrap();
    let r = h.join();
    println!("never reached: {}", r.is_ok());
}
