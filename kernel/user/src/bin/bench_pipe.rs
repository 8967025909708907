//! Benchmark (not a test): `bench_pipe N` sends N MiB through a pipe from a
//! child to its parent in 64 KiB writes. Time the whole boot against a boot
//! of plain `hello`: the difference over N is the cost of one MiB.

#![no_std]
#![no_main]

use vrt::children::{Fork, fork, wait4};
use vrt::fs::close;
use vrt::io::{read, write};
use vrt::pipes::pipe2;
use vrt::process::exit;

vrt::entry!(main);

fn main(args: &vrt::Args) -> i32 {
    let n: usize = args
        .arg(1)
        .and_then(|a| core::str::from_utf8(a.to_bytes()).ok()?.parse().ok())
        .unwrap_or(16);
    let total = n << 20;
    let Ok((r, w)) = pipe2(0) else { return 1 };
    static BUF: [u8; 65536] = [0x5a; 65536];
    match fork() {
        Ok(Fork::Child) => {
            let _ = close(r);
            let mut sent = 0;
            while sent < total {
                match write(w, &BUF[..BUF.len().min(total - sent)]) {
                    Ok(k) => sent += k,
                    Err(_) => exit(1),
                }
            }
            exit(0)
        }
        Ok(Fork::Parent { child }) => {
            let _ = close(w);
            let mut buf = [0u8; 65536];
            let mut got = 0;
            while let Ok(k) = read(r, &mut buf) {
                if k == 0 {
                    break;
                }
                got += k;
            }
            let _ = wait4(child, 0);
            vrt::println!("bench_pipe: {} MiB through a pipe", got >> 20);
            i32::from(got != total)
        }
        Err(_) => 1,
    }
}
