//! std::process::Command's arguments, environment and working directory: a
//! child (this program again, in "child" mode) prints what it got. The
//! environment a child inherits is the parent's current one, `set_var`
//! included; `env`, `env_remove` and `env_clear` change it; `current_dir`
//! sets where it starts. Found by `PATH` too, when the name has no `/`.

use std::env;
use std::process::Command;

/// The child: prints its arguments, some variables and where it runs.
fn child(args: &[String]) {
    println!("  args: {:?}", &args[2..]);
    for key in ["FROM_PARENT", "SET_FOR_CHILD", "REMOVED", "HOME", "TERM"] {
        println!("  {key} = {:?}", env::var(key).ok());
    }
    let mut keys: Vec<String> = env::vars().map(|(k, _)| k).collect();
    keys.sort();
    println!("  variables: {keys:?}");
    let cwd = env::current_dir().unwrap();
    let exe = env::current_exe().unwrap();
    println!(
        "  runs in its executable's directory: {}",
        Some(cwd.as_path()) == exe.parent()
    );
}

/// Runs the child with `cmd`'s settings, showing what it printed.
fn run(what: &str, cmd: &mut Command) {
    println!("{what}:");
    let out = cmd.output().expect("spawn");
    print!("{}", String::from_utf8_lossy(&out.stdout));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    println!("  -> {}", out.status);
}

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.get(1).map(String::as_str) == Some("child") {
        return child(&args);
    }
    let me = env::current_exe().unwrap();
    // SAFETY: one thread.
    unsafe { env::set_var("FROM_PARENT", "set before spawn") };
    unsafe { env::set_var("REMOVED", "only in the parent") };

    run(
        "arguments as given",
        Command::new(&me).args(["child", "one", "two words", "", "ünïcode"]),
    );
    run(
        "env and env_remove",
        Command::new(&me)
            .arg("child")
            .env("SET_FOR_CHILD", "yes")
            .env_remove("REMOVED"),
    );
    run(
        "env_clear, then one variable",
        Command::new(&me)
            .arg("child")
            .env_clear()
            .env("TERM", "dumb"),
    );

    // current_dir: the child starts in the executable's directory; the
    // parent's stays put.
    let exe_dir = me.parent().unwrap();
    let before = env::current_dir().unwrap();
    run(
        "current_dir",
        Command::new(&me).arg("child").current_dir(exe_dir),
    );
    println!(
        "parent's cwd unchanged: {}",
        env::current_dir().unwrap() == before
    );

    // No `/` in the name: looked up in the child's PATH.
    let name = me.file_name().unwrap();
    run(
        "found in the child's PATH",
        Command::new(name)
            .arg("child")
            .env("PATH", format!("/nonexistent:{}", exe_dir.display())),
    );

    // The Debug form reads like a shell command.
    let cmd = {
        let mut c = Command::new("prog");
        c.arg("a b")
            .env("K", "v")
            .env_remove("R")
            .current_dir("dir");
        c
    };
    println!("debug: {cmd:?}");
    println!(
        "getters: program {:?}, args {:?}, envs {:?}, dir {:?}",
        cmd.get_program(),
        cmd.get_args().collect::<Vec<_>>(),
        cmd.get_envs().collect::<Vec<_>>(),
        cmd.get_current_dir()
    );
}
