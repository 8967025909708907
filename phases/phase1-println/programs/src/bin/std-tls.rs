//! `thread_local!` on the main thread: values are per thread, lazily
//! initialized, and their destructors run when `main` returns.

use std::cell::Cell;

struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("destructor of {} ran", self.0);
    }
}

thread_local! {
    static COUNTER: Cell<u32> = const { Cell::new(0) };
    static NOISY: Noisy = Noisy("the main thread's NOISY");
}

fn main() {
    for _ in 0..3 {
        COUNTER.with(|c| c.set(c.get() + 1));
    }
    println!("counter = {}", COUNTER.get());
    NOISY.with(|n| println!("using {}", n.0));
    println!("main returns");
}
