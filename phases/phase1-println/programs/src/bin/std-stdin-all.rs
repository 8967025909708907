//! Reads stdin to its end and describes what came: byte count, lines, the
//! longest line, the first bytes and a hash of it all. `lines` reads it
//! line by line (`read_until`); anything else with one `read_to_end`. A
//! second argument is milliseconds to spin before the first read, so that
//! the input piles up in the console meanwhile. The
//! runner feeds the same bytes to this program on vibix and on Linux (from
//! a pipe there), so the two descriptions must be equal, and the program
//! ends only if the end of the input reaches it as end of file.

use std::io::{BufRead, Read};

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    if let Some(ms) = std::env::args().nth(2) {
        // Spin rather than sleep: this phase's std has no `thread::sleep`.
        let wait = std::time::Duration::from_millis(ms.parse().expect("milliseconds"));
        let start = std::time::Instant::now();
        while start.elapsed() < wait {
            std::hint::spin_loop();
        }
    }
    let mut stdin = std::io::stdin().lock();
    let mut data = Vec::new();
    if mode == "lines" {
        loop {
            let n = stdin.read_until(b'\n', &mut data).expect("read_until");
            if n == 0 {
                break;
            }
        }
    } else {
        stdin.read_to_end(&mut data).expect("read_to_end");
    }
    let ends = data.is_empty() || data.ends_with(b"\n");
    let lines = data.split(|&b| b == b'\n').count() - usize::from(ends);
    let longest = data
        .split(|&b| b == b'\n')
        .map(<[u8]>::len)
        .max()
        .unwrap_or(0);
    // FNV-1a, 64 bits: any lost, added or changed byte shows.
    let hash = data.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    println!(
        "stdin: {} bytes, {} lines, longest {}, fnv1a {hash:016x}",
        data.len(),
        lines,
        longest
    );
    println!(
        "first bytes: {:?}",
        String::from_utf8_lossy(&data[..data.len().min(48)])
    );
}
