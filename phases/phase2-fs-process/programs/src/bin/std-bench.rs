//! `std-bench`: phase 2's benchmarks for `runner bench`, an ordinary std
//! program (built with phase 2's std for vibix, with the host's std for
//! Linux): `Command::output` of a trivial program, and `std::fs::copy` of a
//! 1 MiB file. The harness (arguments, calibration, the lines it prints)
//! is the library's [`bench`] module.

use std::fs;
use std::io;
use std::process::{Command, ExitCode};

use phase2_programs::bench::{self, Bench};

fn main() -> ExitCode {
    bench::main("std-bench", items)
}

fn items(bench: &Bench) -> io::Result<()> {
    let exe = bench.exe();
    let dir = std::path::Path::new(bench.dir()).join("std");
    fs::create_dir_all(&dir)?;
    bench.measure("command_output", |n| {
        for _ in 0..n {
            let out = Command::new(exe).arg("nop").output()?;
            if !out.status.success() {
                return Err(io::Error::other(format!("{exe} nop: {}", out.status)));
            }
        }
        Ok(())
    })?;
    let src = dir.join("src");
    let dst = dir.join("dst");
    fs::write(&src, vec![0x5a; 1 << 20])?;
    bench.measure("fs_copy_1m", |n| {
        for _ in 0..n {
            fs::copy(&src, &dst)?;
            fs::remove_file(&dst)?;
        }
        Ok(())
    })?;
    fs::remove_dir_all(&dir)?;
    Ok(())
}
