//! `dl-hostile`: hostile shared objects for the dynamic linker. Each case
//! writes a tiny dynamic program and the shared objects it needs, built
//! byte by byte (`object`), with one thing wrong (`cases`): a library
//! that is missing, a symbol no one defines, a relocation type that does
//! not exist, a file that is not ELF, is cut short or is for another
//! machine, a dependency cycle; and for `ld-vibix` alone, dynamic sections
//! whose tables lie (a string table outside the object, no `DT_NULL`, a
//! hash table pointing past its chains, a `DT_NEEDED` name outside the
//! string table) and a relocation outside its object. Each program runs in
//! a child (`fork`, `execve`, its stdout and stderr through a pipe); the
//! dynamic linker must refuse it with status 127 and a message naming the
//! object (or the symbol), or, for the cycle, run it. A good program runs
//! last: whatever came before, the system still loads and runs one.
//!
//! The interpreter the programs name is `/lib/ld-vibix.so` where it exists
//! (vibix), otherwise the host's `/lib64/ld-linux-x86-64.so.2` (Linux), or
//! the one `--interp PATH` gives. Modes:
//!
//! - none: the cases where glibc and `ld-vibix` agree; the output is the
//!   same on both (compared with Linux's).
//! - `--vibix`: every case, with `ld-vibix`'s answers (the message starts
//!   with `ld-vibix: ` and says what is wrong).
//! - `--observe`: every case, printing what happened without judging (how
//!   the book's table of glibc's answers was made).

#![no_std]
#![no_main]

mod cases;
mod files;
mod object;
mod sys;

use core::fmt;

use cases::{CASES, Case, Ctx, Expect, GOOD, Names};
use files::{Files, Path};
use pirt::println;
use pirt::start::Start;
use sys::{Ended, Run};

pirt::entry!(main);

/// The interpreter on vibix, and on Linux.
const VIBIX_INTERP: &str = "/lib/ld-vibix.so";
const LINUX_INTERP: &str = "/lib64/ld-linux-x86-64.so.2";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Common,
    Vibix,
    Observe,
}

impl fmt::Display for Ended {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ended::Exited(code) => write!(f, "exit {code}"),
            Ended::Killed(sig) => write!(f, "killed by signal {sig}"),
            Ended::Hung => write!(f, "still running after 5 s (killed)"),
        }
    }
}

fn main(start: &Start) -> i32 {
    let mut mode = Mode::Common;
    let mut interp = None;
    let mut args = start.stack.args().skip(1);
    while let Some(arg) = args.next() {
        match arg.to_bytes() {
            b"--vibix" => mode = Mode::Vibix,
            b"--observe" => mode = Mode::Observe,
            b"--interp" => interp = args.next().and_then(|a| a.to_str().ok()),
            _ => {
                println!("usage: dl-hostile [--vibix | --observe] [--interp PATH]");
                return 2;
            }
        }
    }
    let interp = interp.unwrap_or_else(|| {
        let vibix = Path::from_str(VIBIX_INTERP);
        if sys::exists(vibix.as_cstr()) {
            VIBIX_INTERP
        } else {
            LINUX_INTERP
        }
    });
    match mode {
        // The same output on vibix and on Linux: no interpreter's name.
        Mode::Common => println!("dl-hostile: the cases glibc's ld.so and ld-vibix answer alike"),
        Mode::Vibix => println!("dl-hostile: every case, ld-vibix's answers; interpreter {interp}"),
        Mode::Observe => println!("dl-hostile: observing; interpreter {interp}"),
    }
    if !sys::exists(Path::from_str(interp).as_cstr()) {
        println!("FAIL: the interpreter {interp} does not exist");
    }
    let mut files = match Files::new() {
        Ok(f) => f,
        Err(e) => {
            println!("FAIL: cannot make the scratch directory in /tmp: errno {e}");
            return 1;
        }
    };
    let (mut failed, mut total) = (0, 0);
    for case in CASES.iter().chain([&GOOD]) {
        if mode == Mode::Common && !case.common {
            continue;
        }
        total += 1;
        let c = Ctx {
            name: case.name,
            interp,
        };
        let built = (case.build)(&mut files, &c);
        let program = files.path(&[case.name]);
        let run = built.and_then(|()| sys::run(program.as_cstr()));
        let lib = c.lib(&files, "");
        files.clear();
        let run = match run {
            Ok(run) => run,
            Err(e) => {
                println!(
                    "FAIL: {}: cannot write or run the program: errno {e}",
                    case.name
                );
                failed += 1;
                continue;
            }
        };
        if mode == Mode::Observe {
            let first = run.text().lines().next().unwrap_or("");
            println!("{}: {}: {first}", case.name, run.ended);
            continue;
        }
        if !judge(case, &run, &lib, mode == Mode::Vibix, interp) {
            failed += 1;
        }
    }
    drop(files);
    if mode == Mode::Observe {
        return 0;
    }
    if failed == 0 {
        println!("ok: all checks passed");
        0
    } else {
        println!("dl-hostile: {failed} of {total} cases failed");
        1
    }
}

/// Checks one case's run; prints `ok: …` or `FAIL: …`.
fn judge(case: &Case, run: &Run, lib: &Path, vibix: bool, interp: &str) -> bool {
    let out = run.text();
    let problem = match case.expect {
        Expect::Runs(code) => {
            if run.ended == Ended::Exited(code) {
                println!("ok: {}: the program ran, exit {code}", case.name);
                return true;
            }
            "the program should have run"
        }
        Expect::Refused { names, vibix: says } => {
            let (wanted, shown) = match names {
                Names::Library => (lib.as_str(), ["lib", case.name, ".so"]),
                Names::Symbol(s) => (s, [s, "", ""]),
            };
            if run.ended != Ended::Exited(127) {
                "the dynamic linker should have refused it with status 127"
            } else if !out.contains(wanted) {
                "its message should name the object (or the symbol)"
            } else if vibix && !(out.starts_with("ld-vibix: ") && out.contains(says)) {
                println!("  (ld-vibix's message should say \"{says}\")");
                "ld-vibix's message should start with `ld-vibix: ` and say what is wrong"
            } else {
                let [a, b, c] = shown;
                if vibix {
                    println!(
                        "ok: {}: exit 127, stderr names {a}{b}{c}: \"{says}\"",
                        case.name
                    );
                } else {
                    println!("ok: {}: exit 127, stderr names {a}{b}{c}", case.name);
                }
                return true;
            }
        }
    };
    println!(
        "FAIL: {}: {problem}; got {}, interpreter {interp}",
        case.name, run.ended
    );
    if !case.linux.is_empty() {
        println!("  (glibc: {})", case.linux);
    }
    for line in out.lines().take(4) {
        println!("  | {line}");
    }
    false
}
