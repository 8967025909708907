//! Benchmark (not a test): `bench_spawn N` runs N cycles of fork, execve of
//! a trivial static program (`bin/exit_code 0`) and wait4. Time the whole
//! boot against a boot of plain `hello`: the difference over N is the cost
//! of one cycle.

#![no_std]
#![no_main]

use vrt::children::{Fork, execve, fork, wait4};
use vrt::process::exit;

vrt::entry!(main);

fn count(args: &vrt::Args) -> u32 {
    args.arg(1)
        .and_then(|a| core::str::from_utf8(a.to_bytes()).ok()?.parse().ok())
        .unwrap_or(100)
}

fn main(args: &vrt::Args) -> i32 {
    let n = count(args);
    for _ in 0..n {
        match fork() {
            Ok(Fork::Child) => {
                execve(c"bin/exit_code", &[c"exit_code", c"0"], &[]);
                exit(127)
            }
            Ok(Fork::Parent { child }) => {
                if wait4(child, 0).is_err() {
                    return 1;
                }
            }
            Err(_) => return 1,
        }
    }
    vrt::println!("bench_spawn: {n} fork+execve+wait4 cycles");
    0
}
