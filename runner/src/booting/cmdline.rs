//! The kernel command line that starts a test: `init=/bin/<program>`, the
//! environment words, `--`, the arguments.
//!
//! vibix parses it like Linux: words with `=` before `--` become init's
//! environment (after the kernel's own `HOME=/` and `TERM=linux`), words after
//! `--` become argv[1..]. An argument that is empty or holds whitespace is
//! put in double quotes; a double quote itself cannot be carried at all.

use anyhow::{Result, bail};

use crate::judging::manifest::check_env_entry;

/// Builds `init=/bin/<program> KEY=VALUE… -- arg…`.
pub fn kernel_cmdline(program: &str, env: &[String], args: &[String]) -> Result<String> {
    let mut line = format!("init=/bin/{program}");
    for entry in env {
        check_env_entry(entry)?;
        line.push(' ');
        line.push_str(entry);
    }
    line.push_str(" --");
    for arg in args {
        line.push(' ');
        line.push_str(&quote_arg(arg)?);
    }
    Ok(line)
}

/// One argument as a command-line word.
fn quote_arg(arg: &str) -> Result<String> {
    if arg.contains('"') {
        bail!(
            "argument {arg:?} contains a double quote, which the kernel command line cannot \
             carry; change the argument"
        );
    }
    if arg.contains('\0') {
        bail!("argument {arg:?} contains a NUL byte");
    }
    if arg.is_empty() || arg.contains(char::is_whitespace) {
        Ok(format!("\"{arg}\""))
    } else {
        Ok(arg.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn builds_command_lines() {
        assert_eq!(
            kernel_cmdline("hello", &[], &[]).unwrap(),
            "init=/bin/hello --"
        );
        assert_eq!(
            kernel_cmdline(
                "args",
                &strings(&["A=1", "B="]),
                &strings(&["one", "two words", ""])
            )
            .unwrap(),
            "init=/bin/args A=1 B= -- one \"two words\" \"\""
        );
        assert_eq!(
            kernel_cmdline("x", &[], &strings(&["--", "k=v", "tab\there"])).unwrap(),
            "init=/bin/x -- -- k=v \"tab\there\""
        );
    }

    #[test]
    fn rejects_what_cannot_be_carried() {
        let err = kernel_cmdline("x", &[], &strings(&["say \"hi\""])).unwrap_err();
        assert!(err.to_string().contains("double quote"), "{err}");
        assert!(kernel_cmdline("x", &strings(&["A=b c"]), &[]).is_err());
        assert!(kernel_cmdline("x", &strings(&["noequals"]), &[]).is_err());
    }
}
