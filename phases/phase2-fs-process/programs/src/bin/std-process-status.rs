//! How children end, as `ExitStatus` tells it: exit codes (0, 3, 255, and
//! `exit_ok`'s error), a child killed by `Child::kill` (SIGKILL), one that
//! aborts (SIGABRT, as a panic does), and `try_wait` before and after the
//! end. `Display` reads as on Linux.

#![feature(exit_status_error)]

use std::env;
use std::io::{self, BufRead, BufReader};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::Duration;

fn child(mode: &str) {
    match mode {
        "exit" => std::process::exit(env::args().nth(2).unwrap().parse().unwrap()),
        "abort" => std::process::abort(),
        "panic" => panic!("the child panics"),
        "wait-forever" => {
            println!("ready");
            loop {
                thread::sleep(Duration::from_secs(3600));
            }
        }
        _ => panic!("unknown mode {mode}"),
    }
}

/// `Display`, without Linux's "(core dumped)", which depends on the host's
/// core-dump settings.
fn show(status: ExitStatus) -> String {
    status.to_string().replace(" (core dumped)", "")
}

fn main() -> io::Result<()> {
    let args: Vec<String> = env::args().collect();
    if let Some(mode) = args.get(1) {
        child(mode);
        return Ok(());
    }
    let me = env::current_exe()?;

    for code in ["0", "3", "255"] {
        let status = Command::new(&me).args(["exit", code]).status()?;
        println!(
            "exit {code}: {}, code {:?}, success {}, exit_ok {:?}",
            show(status),
            status.code(),
            status.success(),
            status.exit_ok().map_err(|e| e.code())
        );
    }

    // A child that never ends by itself: not done yet, then killed.
    let mut child = Command::new(&me)
        .arg("wait-forever")
        .stdout(Stdio::piped())
        .spawn()?;
    println!(
        "has an id: {}",
        child.id() != 0 && child.id() != std::process::id()
    );
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line)?;
    println!("child says {:?}", line.trim());
    println!("try_wait while it runs: {:?}", child.try_wait()?.map(show));
    child.kill()?;
    let status = child.wait()?;
    println!(
        "killed: {}, code {:?}, success {}",
        show(status),
        status.code(),
        status.success()
    );
    println!("try_wait after: {:?}", child.try_wait()?.map(show));
    println!("wait again: {}", show(child.wait()?));
    println!(
        "kill after the end: {:?}",
        child.kill().map_err(|e| e.kind())
    );

    // try_wait on a child that exits by itself: poll until it is reaped.
    let mut child = Command::new(&me).args(["exit", "9"]).spawn()?;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        thread::sleep(Duration::from_millis(5));
    };
    println!("try_wait until done: {}", show(status));

    // Deaths by SIGABRT: abort(), and a panic (panic = "abort").
    for mode in ["abort", "panic"] {
        let out = Command::new(&me).arg(mode).output()?;
        println!(
            "{mode}: {}, code {:?}, stderr mentions the panic: {}",
            show(out.status),
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).contains("the child panics")
        );
    }
    Ok(())
}
