//! Every combination of `OpenOptions`' six switches, on a missing file and
//! on an existing one: what happens (the error kind, or whether the file
//! was created or truncated, and what reading and writing through it do).
//! 64 combinations × 2 cases, all compared with Linux.

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};

fn main() -> std::io::Result<()> {
    let dir = phase2_programs::scratch("fs-options")?;
    for bits in 0u32..64 {
        let on = |i: u32| bits & (1 << i) != 0;
        let (read, write, append, truncate, create, create_new) =
            (on(0), on(1), on(2), on(3), on(4), on(5));
        let mut opts = OpenOptions::new();
        opts.read(read)
            .write(write)
            .append(append)
            .truncate(truncate)
            .create(create)
            .create_new(create_new);
        let name = format!(
            "r{}w{}a{}t{}c{}n{}",
            read as u8, write as u8, append as u8, truncate as u8, create as u8, create_new as u8
        );
        for existing in [false, true] {
            let path = format!("f-{name}-{}", existing as u8);
            if existing {
                fs::write(&path, "old")?;
            }
            let outcome = match opts.open(&path) {
                Err(e) => format!("error {:?}", e.kind()),
                Ok(mut f) => {
                    let mut got = String::new();
                    let read = match f.read_to_string(&mut got) {
                        Ok(_) => format!("read {got:?}"),
                        Err(e) => format!("read error {:?}", e.kind()),
                    };
                    let wrote = match f.write(b"new") {
                        Ok(n) => format!("wrote {n}"),
                        Err(e) => format!("write error {:?}", e.kind()),
                    };
                    drop(f);
                    let now = fs::read_to_string(&path).unwrap_or_else(|_| "<gone>".into());
                    format!("{read}, {wrote}, now {now:?}")
                }
            };
            println!(
                "{name} {}: {outcome}",
                if existing { "existing" } else { "missing " }
            );
        }
    }
    phase2_programs::cleanup(&dir);
    println!("ok");
    Ok(())
}
