//! Benchmark (not a test): `bench_file N` creates a file, writes 4 KiB to
//! it, closes and unlinks it, N times. Time the whole boot against a boot of
//! plain `hello`: the difference over N is the cost of one round.

#![no_std]
#![no_main]

use vrt::fs::{O_CREAT, O_TRUNC, O_WRONLY, close, open};
use vrt::fsops::unlink;
use vrt::io::write;

vrt::entry!(main);

fn main(args: &vrt::Args) -> i32 {
    let n: u32 = args
        .arg(1)
        .and_then(|a| core::str::from_utf8(a.to_bytes()).ok()?.parse().ok())
        .unwrap_or(1000);
    let block = [0x42u8; 4096];
    for _ in 0..n {
        let Ok(fd) = open(c"bench-file", O_CREAT | O_WRONLY | O_TRUNC, 0o644) else {
            return 1;
        };
        if write(fd, &block) != Ok(4096) || close(fd).is_err() || unlink(c"bench-file").is_err() {
            return 1;
        }
    }
    vrt::println!("bench_file: {n} create+write 4 KiB+unlink rounds");
    0
}
