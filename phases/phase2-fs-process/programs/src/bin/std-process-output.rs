//! `Command::output` of a child that writes several megabytes to stdout
//! and to stderr, interleaved: both pipes are drained together, so neither
//! side waits for the other forever. Every byte arrives, in order.

use std::env;
use std::io::{self, Write};
use std::process::Command;

const OUT_BYTES: usize = 3 << 20;
const ERR_BYTES: usize = 2 << 20;
const CHUNK: usize = 8192;

/// Byte `i` of stream `salt`: a pattern that shows a lost or repeated chunk.
fn byte(salt: usize, i: usize) -> u8 {
    ((i / CHUNK) * 7 + i % 251 + salt) as u8
}

fn stream(salt: usize, len: usize) -> Vec<u8> {
    (0..len).map(|i| byte(salt, i)).collect()
}

fn main() -> io::Result<()> {
    if env::args().nth(1).as_deref() == Some("child") {
        // Alternate between the two outputs, a chunk at a time.
        let (out, err) = (stream(1, OUT_BYTES), stream(2, ERR_BYTES));
        let (mut stdout, mut stderr) = (io::stdout().lock(), io::stderr().lock());
        for i in (0..OUT_BYTES.max(ERR_BYTES)).step_by(CHUNK) {
            if i < OUT_BYTES {
                stdout.write_all(&out[i..(i + CHUNK).min(OUT_BYTES)])?;
                stdout.flush()?;
            }
            if i < ERR_BYTES {
                stderr.write_all(&err[i..(i + CHUNK).min(ERR_BYTES)])?;
            }
        }
        std::process::exit(7);
    }
    let out = Command::new(env::current_exe()?).arg("child").output()?;
    println!("status: {}", out.status);
    println!(
        "stdout: {} bytes, intact: {}",
        out.stdout.len(),
        out.stdout == stream(1, OUT_BYTES)
    );
    println!(
        "stderr: {} bytes, intact: {}",
        out.stderr.len(),
        out.stderr == stream(2, ERR_BYTES)
    );
    Ok(())
}
