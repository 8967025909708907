//! A child's stdin, stdout and stderr: piped (both ways), `/dev/null`,
//! inherited, from a `File`, from the parent's stderr, and one child's
//! stdout as another's stdin.

use std::env;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

/// The children: `upper` copies stdin to stdout in capitals; `count` says
/// how many bytes stdin had; `both` writes one line to each output.
fn child(mode: &str) {
    match mode {
        "upper" => {
            let mut input = String::new();
            io::stdin().read_to_string(&mut input).unwrap();
            print!("{}", input.to_uppercase());
        }
        "count" => {
            let mut input = Vec::new();
            io::stdin().read_to_end(&mut input).unwrap();
            println!("stdin had {} bytes", input.len());
        }
        "both" => {
            println!("child: to stdout");
            eprintln!("child: to stderr");
        }
        _ => panic!("unknown mode {mode}"),
    }
}

fn main() -> io::Result<()> {
    let args: Vec<String> = env::args().collect();
    if let Some(mode) = args.get(1) {
        child(mode);
        return Ok(());
    }
    let me = env::current_exe()?;
    let dir = phase2_programs::scratch("process-stdio")?;

    // Piped both ways: write, close, read.
    let mut upper = Command::new(&me)
        .arg("upper")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    upper
        .stdin
        .take()
        .unwrap()
        .write_all(b"piped in, piped out\n")?;
    let mut out = String::new();
    upper.stdout.take().unwrap().read_to_string(&mut out)?;
    println!("upper: {out:?}, {}", upper.wait()?);

    // Null: stdin is empty, output is gone.
    let out = Command::new(&me)
        .arg("count")
        .stdin(Stdio::null())
        .output()?;
    println!("null stdin: {:?}", String::from_utf8_lossy(&out.stdout));
    let out = Command::new(&me)
        .arg("both")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()?;
    println!(
        "null stdout: out {:?}, err {:?}",
        out.stdout,
        String::from_utf8_lossy(&out.stderr)
    );

    // output() with no stdin given: /dev/null, not ours.
    let out = Command::new(&me).arg("count").output()?;
    println!("output's stdin: {:?}", String::from_utf8_lossy(&out.stdout));

    // Inherited: the child writes to our stdout and stderr directly.
    io::stdout().flush()?;
    let status = Command::new(&me).arg("both").status()?;
    println!("inherited: {status}");

    // From files: stdin from one, stdout to another.
    fs::write("input.txt", "from a file\n")?;
    let status = Command::new(&me)
        .arg("upper")
        .stdin(File::open("input.txt")?)
        .stdout(File::create("output.txt")?)
        .status()?;
    println!(
        "files: {status}, output.txt = {:?}",
        fs::read_to_string("output.txt")?
    );

    // The child's stdout onto our stderr (the console on vibix, the shared
    // pipe on Linux): order is kept.
    io::stdout().flush()?;
    let status = Command::new(&me)
        .arg("both")
        .stdout(io::stderr())
        .status()?;
    println!("stdout to our stderr: {status}");

    // One child's stdout is the next one's stdin.
    let mut first = Command::new(&me)
        .arg("both")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let second = Command::new(&me)
        .arg("upper")
        .stdin(Stdio::from(first.stdout.take().unwrap()))
        .stdout(Stdio::piped())
        .spawn()?;
    let lines: Vec<String> = BufReader::new(second.stdout.unwrap())
        .lines()
        .collect::<Result<_, _>>()?;
    println!("chained: {lines:?}, first {}", first.wait()?);

    phase2_programs::cleanup(&dir);
    Ok(())
}
