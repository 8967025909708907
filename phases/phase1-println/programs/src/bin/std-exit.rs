//! `std::process::exit` ends the process with that status, after flushing
//! stdout.

fn main() {
    print!("exiting with status 42");
    println!();
    std::process::exit(42);
}
