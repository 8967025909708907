//! Backtraces, run with `RUST_BACKTRACE=1` (the test's environment): a
//! backtrace captured by `Backtrace::force_capture` in nested functions,
//! printed up to `main`'s frame (the frames below `main` are the C
//! library's on Linux and vibix's `_start`, so they differ), then a panic
//! in nested functions, which std's panic hook reports with the short
//! backtrace before the process aborts (`SIGABRT`: the programs' release
//! profile). Every function is a frame of its own on both systems: never
//! inlined, and never a tail call (each passes its callee's result
//! through `black_box`).

use std::backtrace::{Backtrace, BacktraceStatus};
use std::hint::black_box;

#[inline(never)]
fn capture_inner(depth: u32) -> Backtrace {
    black_box(depth);
    black_box(Backtrace::force_capture())
}

#[inline(never)]
fn capture_outer(depth: u32) -> Backtrace {
    black_box(capture_inner(black_box(depth + 1)))
}

#[inline(never)]
fn panic_innermost(depth: u32) -> u32 {
    if black_box(depth) > 0 {
        panic!("the innermost function panics at depth {depth}");
    }
    depth
}

#[inline(never)]
fn panic_middle(depth: u32) -> u32 {
    black_box(panic_innermost(black_box(depth + 1)))
}

#[inline(never)]
fn panic_outer(depth: u32) -> u32 {
    black_box(panic_middle(black_box(depth + 1)))
}

fn main() {
    let backtrace = capture_outer(0);
    let status = backtrace.status();
    println!("captured: {}", status == BacktraceStatus::Captured);
    // Up to `main`'s frame, the first that differs below is the C library's.
    for line in backtrace.to_string().lines() {
        println!("{line}");
        if line.ends_with(": std_backtrace::main") {
            break;
        }
    }
    println!("now panicking three calls deep");
    println!("never reached: {}", panic_outer(0));
}
