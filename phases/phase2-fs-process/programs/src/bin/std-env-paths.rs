//! std::env's paths: `current_dir` and `set_current_dir` (absolute and
//! relative, errors), `temp_dir` (`TMPDIR` or `/tmp`), `home_dir`
//! (`HOME`), `split_paths` and `join_paths`, and `current_exe`: absolute,
//! naming this program however it was started (by absolute path, by a
//! relative one, found in `PATH`), even after it changes directory.

use std::env;
use std::ffi::OsStr;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The child: is `current_exe` the path the parent expects, before and
/// after moving to `/`?
fn child(expected: &str) -> io::Result<()> {
    let before = env::current_exe()?;
    env::set_current_dir("/")?;
    let after = env::current_exe()?;
    println!(
        "  absolute {}, as expected {}, same after chdir {}",
        before.is_absolute(),
        before == Path::new(expected),
        after == before
    );
    Ok(())
}

fn run(what: &str, cmd: &mut Command) -> io::Result<()> {
    println!("{what}:");
    let out = cmd.output()?;
    print!("{}", String::from_utf8_lossy(&out.stdout));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    Ok(())
}

fn main() -> io::Result<()> {
    let args: Vec<String> = env::args().collect();
    if args.get(1).map(String::as_str) == Some("child") {
        return child(&args[2]);
    }

    // The working directory.
    let start = env::current_dir()?;
    println!("current_dir is absolute: {}", start.is_absolute());
    let dir = phase2_programs::scratch("env-paths")?;
    std::fs::create_dir("sub")?;
    env::set_current_dir("sub")?;
    let here = env::current_dir()?;
    println!("relative chdir: {}", here == dir.join("sub"));
    env::set_current_dir("..")?;
    println!("chdir ..: {}", env::current_dir()? == dir);
    println!(
        "chdir to a missing dir: {:?}",
        env::set_current_dir("missing").map_err(|e| e.kind())
    );
    std::fs::write("file", "")?;
    println!(
        "chdir to a file: {:?}",
        env::set_current_dir("file").map_err(|e| e.raw_os_error())
    );
    println!("still in place: {}", env::current_dir()? == dir);

    // temp_dir and home_dir follow the environment.
    println!("temp_dir: {:?}", env::temp_dir());
    // SAFETY: one thread.
    unsafe { env::set_var("TMPDIR", "/var/tmp-elsewhere") };
    println!("temp_dir with TMPDIR: {:?}", env::temp_dir());
    let home = env::home_dir();
    println!("home_dir: {home:?}");

    // PATH-style lists.
    let list = OsStr::new("/bin::relative:/usr/bin");
    println!(
        "split_paths: {:?}",
        env::split_paths(list).collect::<Vec<PathBuf>>()
    );
    println!("join_paths: {:?}", env::join_paths(["/a", "b", ""]));
    println!(
        "join_paths with ':': {}",
        env::join_paths(["/a:b"]).unwrap_err()
    );

    // current_exe, started three ways.
    let me = env::current_exe()?;
    println!("current_exe is absolute: {}", me.is_absolute());
    let expected = me.to_str().unwrap();
    run(
        "started by absolute path",
        Command::new(&me).args(["child", expected]),
    )?;
    let exe_dir = me.parent().unwrap();
    let name = me.file_name().unwrap();
    run(
        "started by a relative path",
        Command::new(Path::new(".").join(name))
            .args(["child", expected])
            .current_dir(exe_dir),
    )?;
    run(
        "found in PATH",
        Command::new(name)
            .args(["child", expected])
            .env("PATH", exe_dir),
    )?;

    phase2_programs::cleanup(&dir);
    Ok(())
}
