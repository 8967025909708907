//! A very small `sh`: runs the pipeline its arguments spell (commands
//! separated by `|`, each a program and its arguments), the stages
//! connected by `std::io::pipe`, and exits with the last stage's status.
//! A few commands are built in (`@gen N`, `@upper`, `@count`, `@exit N`):
//! a stage `@name` is this program again, started as `std-shell --builtin
//! name ARGS`. Any other program name without `/` is looked up in `PATH`.
//!
//! With no arguments it runs a few pipelines of its own stages, as a test.

use std::env;
use std::io::{self, BufRead, Read, Write};
use std::process::{Child, Command, ExitCode, Stdio};

/// The built-in commands.
fn builtin(name: &str, args: &[String]) -> io::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match name {
        "gen" => {
            let n: u32 = args[0].parse().unwrap();
            for i in 1..=n {
                writeln!(out, "item {i}")?;
            }
        }
        "upper" => {
            for line in io::stdin().lock().lines() {
                writeln!(out, "{}", line?.to_uppercase())?;
            }
        }
        "count" => {
            let mut all = String::new();
            io::stdin().read_to_string(&mut all)?;
            writeln!(out, "{} lines, {} bytes", all.lines().count(), all.len())?;
        }
        "exit" => {
            // Drain stdin first: a stage before us must not race our end
            // and find its pipe closed (`BrokenPipe` then depends on who
            // ran first, on vibix and on Linux alike).
            io::copy(&mut io::stdin().lock(), &mut io::sink())?;
            return Ok(ExitCode::from(args[0].parse::<u8>().unwrap()));
        }
        _ => {
            eprintln!("std-shell: no builtin @{name}");
            return Ok(ExitCode::from(2));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `stages` connected by pipes; returns the last one's status.
fn pipeline(stages: &[&[String]]) -> io::Result<std::process::ExitStatus> {
    let me = env::current_exe()?;
    let mut children: Vec<Child> = Vec::new();
    let mut input: Option<io::PipeReader> = None;
    for (i, stage) in stages.iter().enumerate() {
        let (program, args) = stage.split_first().expect("an empty stage");
        let mut cmd = match program.strip_prefix('@') {
            Some(name) => {
                let mut c = Command::new(&me);
                c.args(["--builtin", name]);
                c
            }
            None => Command::new(program),
        };
        cmd.args(args);
        if let Some(reader) = input.take() {
            cmd.stdin(reader);
        }
        if i + 1 < stages.len() {
            let (reader, writer) = io::pipe()?;
            cmd.stdout(writer);
            input = Some(reader);
        }
        // `cmd` holds our copy of the write end: dropped with it below, so
        // the next stage sees end of file when this one finishes.
        match cmd.spawn() {
            Ok(child) => children.push(child),
            Err(e) => {
                drop(cmd);
                for mut child in children {
                    child.wait()?;
                }
                return Err(e);
            }
        }
    }
    let mut last = None;
    for mut child in children {
        last = Some(child.wait()?);
    }
    Ok(last.expect("at least one stage"))
}

fn run(line: &str) -> io::Result<()> {
    let words: Vec<String> = line.split_whitespace().map(String::from).collect();
    let stages: Vec<&[String]> = words.split(|w| w == "|").collect();
    println!("$ {line}");
    io::stdout().flush()?;
    match pipeline(&stages) {
        Ok(status) => println!("[{status}]"),
        Err(e) => println!("std-shell: {e}"),
    }
    Ok(())
}

fn main() -> io::Result<ExitCode> {
    let args: Vec<String> = env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--builtin") {
        return builtin(&args[1], &args[2..]);
    }
    if !args.is_empty() {
        let stages: Vec<&[String]> = args.split(|w| w == "|").collect();
        let status = pipeline(&stages)?;
        return Ok(ExitCode::from(status.code().unwrap_or(128) as u8));
    }
    run("@gen 3")?;
    run("@gen 4 | @upper")?;
    run("@gen 1000 | @upper | @count")?;
    run("@gen 2 | @exit 3")?;
    // A stage that cannot start: nothing runs (a stage already started would
    // race the closed pipe).
    run("no-such-program | @upper")?;
    // Stdin inherited by the first stage: here, empty (/dev/null).
    let status = Command::new(env::current_exe()?)
        .args(["@upper", "|", "@count"])
        .stdin(Stdio::null())
        .status();
    println!("as a command: {:?}", status.map(|s| s.to_string()));
    Ok(ExitCode::SUCCESS)
}
