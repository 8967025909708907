//! The main thread overflows its stack (8 MiB on vibix, Linux's default
//! limit on the host): the fault lands in the page below it, and std
//! reports "thread 'main' (<tid>) has overflowed its stack" from its
//! handler on the main thread's alternate signal stack, then aborts
//! (`SIGABRT`), as on Linux.

#[inline(never)]
#[allow(unconditional_recursion)]
fn recurse(depth: u64) -> u64 {
    let mut frame = [0u8; 4096];
    frame[(depth % 4096) as usize] = depth as u8;
    let frame = std::hint::black_box(frame);
    u64::from(frame[(depth % 4096) as usize]) + recurse(depth + 1)
}

fn main() {
    println!("the main thread recurses forever");
    println!("never reached: {}", recurse(0));
}
