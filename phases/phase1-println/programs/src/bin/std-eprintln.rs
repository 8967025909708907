//! stdout and stderr: both reach the console (one pipe on Linux), in order.
//! stderr is unbuffered, so a vectored write goes to the kernel as one
//! `writev`.

use std::io::{self, IoSlice, Write};

fn main() {
    println!("to stdout");
    eprintln!("to stderr");
    println!("to stdout again");
    let parts = [
        IoSlice::new(b"one "),
        IoSlice::new(b"writev "),
        IoSlice::new(b"call\n"),
    ];
    let n = io::stderr().write_vectored(&parts).expect("writev");
    println!("write_vectored wrote {n} bytes");
}
