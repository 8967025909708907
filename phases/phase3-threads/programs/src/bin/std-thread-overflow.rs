//! A thread that overflows its stack runs into the guard page below it,
//! and std reports it as on Linux: the fault's handler, on the thread's
//! alternate signal stack, sees the guard page's address, prints
//! "thread 'deep' (<tid>) has overflowed its stack" and
//! "fatal runtime error: stack overflow, aborting", and the process dies
//! by `SIGABRT`. Then a fault that is not an overflow, in a second run of
//! this program (`segv`), still dies by `SIGSEGV` with no message.

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
    if std::env::args().nth(1).as_deref() == Some("segv") {
        println!("writing through a dangling pointer in a thread");
        let h = thread::spawn(|| {
            let p = std::hint::black_box(16usize) as *mut u64;
            // SAFETY: not safe at all: the point is the fault. Address 16
            // is never mapped, on vibix as on Linux.
            unsafe { p.write_volatile(1) };
        });
        let _ = h.join();
        println!("never reached");
        return;
    }
    println!("spawning a thread with a 64 KiB stack that recurses forever");
    let h = thread::Builder::new()
        .name("deep".into())
        .stack_size(64 * 1024)
        .spawn(|| recurse(0))
        .unwrap();
    let r = h.join();
    println!("never reached: {}", r.is_ok());
}
