//! The Linux oracle's launcher, `runner __exec-on-host`, run as the real
//! binary: the program must see argv[0], the environment in the given order
//! and nothing else, and SIGPIPE at its default.

use std::process::Command;

const RUNNER: &str = env!("CARGO_BIN_EXE_runner");

fn exec_on_host(args: &[&str]) -> (String, std::process::ExitStatus) {
    let out = Command::new(RUNNER)
        .arg("__exec-on-host")
        .args(args)
        .env("NOISE", "from the parent")
        .output()
        .expect("cannot run the runner");
    (
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
        out.status,
    )
}

#[test]
fn environment_is_exact_and_ordered() {
    let (out, status) = exec_on_host(&[
        "/bin/env",
        "/usr/bin/env",
        "4",
        "HOME=/",
        "TERM=linux",
        "ZED=1",
        "ALPHA=two words",
    ]);
    assert!(status.success(), "{out}");
    assert_eq!(out, "HOME=/\nTERM=linux\nZED=1\nALPHA=two words\n");
}

#[test]
fn argv_is_passed_through() {
    // `sh -c SCRIPT` without more arguments has $0 = its own argv[0].
    let (out, status) = exec_on_host(&["/bin/fancy", "/bin/sh", "0", "-c", "echo \"$0\"; exit 7"]);
    assert_eq!(out, "/bin/fancy\n");
    assert_eq!(status.code(), Some(7));
    // Arguments that look like options reach the program untouched.
    let (out, _) = exec_on_host(&["/bin/x", "/bin/sh", "0", "-c", "echo \"$0|$1\"", "--", "-x"]);
    assert_eq!(out, "--|-x\n");
}

#[test]
fn sigpipe_is_default() {
    let (out, status) =
        exec_on_host(&["/bin/grep", "/bin/grep", "0", "SigIgn", "/proc/self/status"]);
    assert!(status.success(), "{out}");
    let mask = u64::from_str_radix(out.trim().trim_start_matches("SigIgn:").trim(), 16).unwrap();
    assert_eq!(mask & (1 << 12), 0, "SIGPIPE (13) is ignored: {out}");
}

#[test]
fn a_missing_program_is_exit_127() {
    let (out, status) = exec_on_host(&["/bin/nope", "/nonexistent/nope", "0"]);
    assert_eq!(status.code(), Some(127));
    assert!(out.contains("cannot exec /nonexistent/nope"), "{out}");
}
