//! Spawning what cannot run fails in `spawn` itself, with the reason the
//! child's `execve` gave (reported to the parent before `spawn` returns),
//! never as a child that exits 127: a missing program (`NotFound`, by path
//! and by `PATH` search), a file without execute permission
//! (`PermissionDenied`), a directory, a bad working directory, and a NUL
//! in an argument (`InvalidInput`, before anything is started).

use std::env;
use std::fs;
use std::io;
use std::process::Command;

fn show(what: &str, result: io::Result<std::process::Child>) {
    match result {
        Ok(mut child) => println!("{what}: started?! {:?}", child.wait()),
        Err(e) => println!("{what}: {:?}: {e}", e.kind()),
    }
}

fn main() -> io::Result<()> {
    let dir = phase2_programs::scratch("process-errors")?;
    fs::write("not-executable", "just text\n")?;
    fs::create_dir("a-directory")?;

    show(
        "missing, by path",
        Command::new("./no-such-program").spawn(),
    );
    show("missing, by PATH", Command::new("no-such-program").spawn());
    show(
        "missing, in an empty PATH",
        Command::new("no-such-program")
            .env("PATH", "/nonexistent")
            .spawn(),
    );
    show("not executable", Command::new("./not-executable").spawn());
    show(
        "not executable, found in PATH",
        Command::new("not-executable").env("PATH", &dir).spawn(),
    );
    show("a directory", Command::new("./a-directory").spawn());
    show(
        "bad working directory",
        Command::new(env::current_exe()?)
            .current_dir("no-such-dir")
            .spawn(),
    );
    show(
        "NUL in an argument",
        Command::new("./x").arg("a\0b").spawn(),
    );
    show("NUL in the program", Command::new("./x\0y").spawn());
    println!(
        "status of a missing program: {:?}",
        Command::new("./no-such-program")
            .status()
            .map_err(|e| e.kind())
    );

    phase2_programs::cleanup(&dir);
    Ok(())
}
