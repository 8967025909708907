//! The arguments and the environment, in order.

fn main() {
    for (i, arg) in std::env::args().enumerate() {
        println!("argv[{i}] = {arg:?}");
    }
    for (key, value) in std::env::vars() {
        println!("env {key} = {value:?}");
    }
    println!("HOME is {:?}", std::env::var("HOME"));
    println!("UNSET is {:?}", std::env::var("VIBIX_UNSET"));
    // SAFETY: the program has one thread.
    unsafe { std::env::set_var("ADDED", "later") };
    println!("ADDED is {:?}", std::env::var("ADDED"));
}
