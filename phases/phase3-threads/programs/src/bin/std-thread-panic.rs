//! A panic in a spawned thread, with `panic = "abort"`: the panic message
//! names the thread, and the whole process dies by `SIGABRT`, as on Linux.
//! The main thread never gets to `join`'s result.

use std::thread;

fn main() {
    println!("main: spawning a thread that panics");
    let h = thread::Builder::new()
        .name("doomed".into())
        .spawn(|| {
            let v: Vec<u32> = Vec::new();
            if v.is_empty() {
                panic!("the worker gave up");
            }
        })
        .unwrap();
    let r = h.join();
    println!("main: never reached ({})", r.is_err());
}
