//! `bench-check`: the benchmark harness (`phase2_programs::bench`)
//! reports what an item really costs. An item that spins for 20 µs per
//! operation, measured with a 20 ms target, must come out at no less than
//! 20 µs per operation (the spin ends after its time, never before), and
//! under twice that (a loaded host may stretch a run, but not the best of
//! three that far). Reporting a calibration run's time with the final
//! run's count would give 5 to 10 µs. Prints only whether each check
//! holds.

use std::time::{Duration, Instant};

use phase2_programs::bench;

/// What one operation costs.
const PER_OP: Duration = Duration::from_micros(20);

fn main() {
    let spin = |n: u64| {
        let start = Instant::now();
        let until = PER_OP * n as u32;
        while start.elapsed() < until {}
        Ok(start.elapsed())
    };
    let (total, iters) = bench::calibrate(Duration::from_millis(20), spin).unwrap();
    let per_op = total / iters as u32;
    println!("iterations: more than 100: {}", iters > 100);
    let at_least = per_op >= PER_OP;
    let under_twice = per_op < PER_OP * 2;
    println!("per operation: at least 20 us: {at_least}");
    println!("per operation: under 40 us: {under_twice}");
    if !(at_least && under_twice) {
        eprintln!("bench-check: {per_op:?} per operation over {iters} iterations");
        std::process::exit(1);
    }
}
