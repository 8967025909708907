//! `std::io::pipe()` connecting two children: the first writes into the
//! pipe, the second reads from it; the parent holds no end once both are
//! started, so the reader sees end of file when the writer is done.

use std::env;
use std::io::{self, Read, Write};
use std::process::{Command, Stdio};

fn main() -> io::Result<()> {
    match env::args().nth(1).as_deref() {
        Some("produce") => {
            for i in 1..=5 {
                println!("line {i}");
            }
            return Ok(());
        }
        Some("consume") => {
            let mut input = String::new();
            io::stdin().read_to_string(&mut input)?;
            println!(
                "consumer got {} lines, last {:?}",
                input.lines().count(),
                input.lines().last()
            );
            return Ok(());
        }
        _ => {}
    }
    let me = env::current_exe()?;
    let (reader, writer) = io::pipe()?;
    let mut producer = Command::new(&me).arg("produce").stdout(writer).spawn()?;
    let mut consumer = Command::new(&me)
        .arg("consume")
        .stdin(reader)
        .stdout(Stdio::piped())
        .spawn()?;
    let mut said = String::new();
    consumer.stdout.take().unwrap().read_to_string(&mut said)?;
    print!("{said}");
    println!(
        "producer: {}, consumer: {}",
        producer.wait()?,
        consumer.wait()?
    );

    // A pipe within one process: the writer's end closed, the reader ends.
    let (mut reader, mut writer) = io::pipe()?;
    writer.write_all(b"through a pipe")?;
    drop(writer);
    let mut got = String::new();
    reader.read_to_string(&mut got)?;
    println!("in-process: {got:?}");
    Ok(())
}
