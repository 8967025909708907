//! `std-bench`: phase 2's benchmarks for `runner bench`, an ordinary std
//! program (built with phase 2's std for vibix, with the host's std for
//! Linux): `Command::output` of a trivial program, and `std::fs::copy` of a
//! 1 MiB file. It reports like phase 1's `bench` (same calibration, same
//! lines: `bench <item> - <total_ns> <ops>` between `bench-start` and
//! `bench-end`), timed with `std::time::Instant`.
//!
//! Arguments (`key=value` words, all optional): `dir=PATH` the scratch
//! directory (default `/tmp/bench`), `ms=N` the target time of one run,
//! `quick` one iteration of each item, `only=SUBSTR`, and `exe=PATH` the
//! trivial program (default `/bin/bench`, run as `bench nop`).

use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};
use std::{fs, io};

struct Config {
    dir: String,
    target: Duration,
    quick: bool,
    only: Option<String>,
    exe: String,
}

fn main() -> ExitCode {
    let mut cfg = Config {
        dir: "/tmp/bench".into(),
        target: Duration::from_millis(100),
        quick: false,
        only: None,
        exe: "/bin/bench".into(),
    };
    for arg in std::env::args().skip(1) {
        if arg == "quick" {
            cfg.quick = true;
        } else if let Some(dir) = arg.strip_prefix("dir=") {
            cfg.dir = dir.into();
        } else if let Some(ms) = arg.strip_prefix("ms=").and_then(|m| m.parse().ok()) {
            cfg.target = Duration::from_millis(ms);
        } else if let Some(only) = arg.strip_prefix("only=") {
            cfg.only = Some(only.into());
        } else if let Some(exe) = arg.strip_prefix("exe=") {
            cfg.exe = exe.into();
        } else {
            eprintln!(
                "std-bench: unknown argument {arg:?}; arguments: dir=PATH ms=N quick only=SUBSTR exe=PATH"
            );
            return ExitCode::from(2);
        }
    }
    match run(&cfg) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("std-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cfg: &Config) -> io::Result<()> {
    println!("bench-start");
    let dir = std::path::Path::new(&cfg.dir).join("std");
    fs::create_dir_all(&dir)?;
    measure(cfg, "command_output", |n| {
        for _ in 0..n {
            let out = Command::new(&cfg.exe).arg("nop").output()?;
            if !out.status.success() {
                return Err(io::Error::other(format!("{} nop: {}", cfg.exe, out.status)));
            }
        }
        Ok(())
    })?;
    let src = dir.join("src");
    let dst = dir.join("dst");
    fs::write(&src, vec![0x5a; 1 << 20])?;
    measure(cfg, "fs_copy_1m", |n| {
        for _ in 0..n {
            fs::copy(&src, &dst)?;
            fs::remove_file(&dst)?;
        }
        Ok(())
    })?;
    fs::remove_dir_all(&dir)?;
    println!("bench-end");
    Ok(())
}

/// Calibrates `body(n)` (n iterations) to a quarter of the target time,
/// then reports the best of three runs of about the target time.
fn measure(
    cfg: &Config,
    name: &str,
    mut body: impl FnMut(u64) -> io::Result<()>,
) -> io::Result<()> {
    if cfg
        .only
        .as_ref()
        .is_some_and(|o| !name.contains(o.as_str()))
    {
        return Ok(());
    }
    let mut timed = |n: u64| -> io::Result<Duration> {
        let start = Instant::now();
        body(n)?;
        Ok(start.elapsed())
    };
    let (total, iters) = if cfg.quick {
        (timed(1)?, 1)
    } else {
        let mut n = 1u64;
        let mut t = timed(n)?;
        while t < cfg.target / 4 && n < 1 << 30 {
            n *= 2;
            t = timed(n)?;
        }
        let n =
            ((n as u128 * cfg.target.as_nanos()) / t.as_nanos().max(1)).clamp(1, 1 << 32) as u64;
        let mut best = t;
        for _ in 0..3 {
            best = best.min(timed(n)?);
        }
        (best, n)
    };
    println!("bench {name} - {} {iters}", total.as_nanos());
    Ok(())
}
