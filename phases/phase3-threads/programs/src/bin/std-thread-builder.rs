//! `thread::Builder`: a name (seen by `thread::current()` in the thread and
//! through the handle), a stack size the thread really gets, an unnamed
//! thread; `ThreadId`s are distinct and stable.

use std::thread;

/// Recurses `levels` deep with a frame of a few KiB each (a 1 KiB array
/// the compiler must keep, and its copy).
#[inline(never)]
fn deep(levels: usize) -> u64 {
    let mut block = [0u8; 1024];
    block[levels % 1024] = levels as u8;
    let block = std::hint::black_box(block);
    if levels == 0 {
        0
    } else {
        u64::from(block[levels % 1024]) + deep(levels - 1)
    }
}

fn main() {
    let main = thread::current();
    println!("main thread's name: {:?}", main.name());

    let h = thread::Builder::new()
        .name("worker-1".into())
        .stack_size(64 * 1024)
        .spawn(|| {
            let me = thread::current();
            (me.name().map(String::from), me.id())
        })
        .unwrap();
    println!("handle's name: {:?}", h.thread().name());
    let handle_id = h.thread().id();
    let (name, id) = h.join().unwrap();
    println!("inside: current().name() = {name:?}");
    println!("same id inside and through the handle: {}", id == handle_id);
    println!("differs from main's: {}", id != main.id());

    let unnamed = thread::spawn(|| thread::current().name().map(String::from));
    println!("unnamed thread's name: {:?}", unnamed.join().unwrap());

    // A thread asked for 8 MiB of stack can recurse 1500 levels (about
    // 3 to 4 MiB here); its pages are only touched as it goes.
    let big = thread::Builder::new()
        .name("big-stack".into())
        .stack_size(8 << 20)
        .spawn(|| deep(1500))
        .unwrap();
    println!("1500 levels on an 8 MiB stack: {}", big.join().unwrap());

    // The default stack (2 MiB, as on Linux) holds 256 levels.
    println!(
        "256 levels on the default stack: {}",
        thread::spawn(|| deep(256)).join().unwrap()
    );

    let ids: Vec<_> = (0..8)
        .map(|_| thread::spawn(|| thread::current().id()))
        .collect();
    let mut ids: Vec<_> = ids.into_iter().map(|h| h.join().unwrap()).collect();
    ids.sort_by_key(|id| format!("{id:?}"));
    ids.dedup();
    println!("8 threads, distinct ids: {}", ids.len());
    println!(
        "main's id is stable: {}",
        thread::current().id() == main.id()
    );
}
