//! The benchmark harness of the std benchmark programs (`std-bench` here,
//! later phases' too): the common arguments, the calibration and the lines
//! `runner bench` reads. It reports like phase 1's `bench`: `bench <item>
//! - <total_ns> <ops>` between `bench-start` and `bench-end`, timed with
//! `std::time::Instant`.
//!
//! Common arguments (`key=value` words, all optional): `dir=PATH` the
//! scratch directory (default `/tmp/bench`; the runner passes one to every
//! program), `exe=PATH` the trivial program the exec items run as `PATH
//! nop` (default `/bin/bench`; the runner passes it to every program too),
//! `ms=N` the target time of one run, `quick` one iteration of
//! each item, `only=SUBSTR` only the items whose names contain it. A program takes its own words first
//! (see [`Bench::from_args`]).

use std::io;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// A benchmark program's `main` when it has no words of its own: parses
/// the common arguments (status 2 and the usage if they are wrong), runs
/// `items` (status 1 and the error if one fails).
pub fn main(program: &str, items: impl FnOnce(&Bench) -> io::Result<()>) -> ExitCode {
    let bench = match Bench::from_args(program, "", |_| false) {
        Ok(bench) => bench,
        Err(usage) => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    match bench.run(items) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{program}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// How the items are measured.
pub struct Bench {
    dir: String,
    exe: String,
    target: Duration,
    quick: bool,
    only: Option<String>,
}

impl Bench {
    /// Parses the arguments. `own` sees each word first and returns whether
    /// it was one of the program's own; an unknown word is an error that
    /// names the program's `usage` (its own words, each after a space).
    pub fn from_args(
        program: &str,
        usage: &str,
        mut own: impl FnMut(&str) -> bool,
    ) -> Result<Bench, String> {
        let mut bench = Bench {
            dir: "/tmp/bench".into(),
            exe: "/bin/bench".into(),
            target: Duration::from_millis(100),
            quick: false,
            only: None,
        };
        for arg in std::env::args().skip(1) {
            if own(&arg) {
            } else if let Some(dir) = arg.strip_prefix("dir=") {
                bench.dir = dir.into();
            } else if let Some(exe) = arg.strip_prefix("exe=") {
                bench.exe = exe.into();
            } else if arg == "quick" {
                bench.quick = true;
            } else if let Some(ms) = arg.strip_prefix("ms=").and_then(|m| m.parse().ok()) {
                bench.target = Duration::from_millis(ms);
            } else if let Some(only) = arg.strip_prefix("only=") {
                bench.only = Some(only.into());
            } else {
                return Err(format!(
                    "{program}: unknown argument {arg:?}; arguments: dir=PATH exe=PATH ms=N quick only=SUBSTR{usage}"
                ));
            }
        }
        Ok(bench)
    }

    /// The scratch directory (`dir=`).
    pub fn dir(&self) -> &str {
        &self.dir
    }

    /// The trivial program (`exe=`).
    pub fn exe(&self) -> &str {
        &self.exe
    }

    /// Runs `items` between the `bench-start` and `bench-end` lines.
    pub fn run(&self, items: impl FnOnce(&Bench) -> io::Result<()>) -> io::Result<()> {
        println!("bench-start");
        items(self)?;
        println!("bench-end");
        Ok(())
    }

    /// Calibrates `body(n)` (n operations) to a quarter of the target time,
    /// then reports the best of three runs of about the target time.
    pub fn measure(
        &self,
        name: &str,
        mut body: impl FnMut(u64) -> io::Result<()>,
    ) -> io::Result<()> {
        if self
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
        let (total, iters) = if self.quick {
            (timed(1)?, 1)
        } else {
            calibrate(self.target, &mut timed)?
        };
        println!("bench {name} - {} {iters}", total.as_nanos());
        Ok(())
    }
}

// ANCHOR: calibrate
/// Doubles the count until one run of `timed(n)` (n operations) takes a
/// quarter of `target`, scales it to about `target`, and returns the best
/// of three runs of that count, with the count. The calibration runs are
/// never the answer: their count is not the one reported.
pub fn calibrate(
    target: Duration,
    mut timed: impl FnMut(u64) -> io::Result<Duration>,
) -> io::Result<(Duration, u64)> {
    let mut n = 1u64;
    let mut t = timed(n)?;
    while t < target / 4 && n < 1 << 30 {
        n *= 2;
        t = timed(n)?;
    }
    let n = ((n as u128 * target.as_nanos()) / t.as_nanos().max(1)).clamp(1, 1 << 32) as u64;
    let mut best = timed(n)?;
    for _ in 0..2 {
        best = best.min(timed(n)?);
    }
    Ok((best, n))
}
// ANCHOR_END: calibrate
