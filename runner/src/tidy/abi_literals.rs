//! The tidy check that keeps the ABI written once: outside `kernel/uapi/`,
//! no Rust source may spell a system-call number or an errno value as a
//! bare number. It fails `runner test`, naming file and line.
//!
//! Three patterns, chosen so that ordinary numbers never match:
//!
//! - a number literal as the first argument of a raw stub or the macro:
//!   `syscall3(13, …)`, `syscall!(39)`;
//! - a constant named like a system call or an errno (a name of
//!   `vibix_uapi::nr::ALL` or `errno::ALL`) set to a number literal:
//!   `const GETPID: usize = 39;` (`= nr::GETPID` is what it should say);
//! - a comparison with a negated errno literal, `== -14`, `!= -14` or a
//!   match arm `-14 =>` (2 to 4095: `-1` is everyone's failure value).
//!
//! Comments are not looked at.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use walkdir::WalkDir;

/// One bare number: file (relative to the repository), line (1-based) and
/// what it is.
#[derive(Debug, PartialEq, Eq)]
pub struct Finding {
    pub file: PathBuf,
    pub line: usize,
    pub what: String,
}

/// Directories never looked into: the ABI crate itself, build output.
const SKIP_DIRS: &[&str] = &["kernel/uapi", "target"];

/// Every finding in the repository's Rust sources.
pub fn check_repo(root: &Path) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    let walk = WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let rel = e.path().strip_prefix(root).unwrap_or(e.path());
            let hidden = e.file_name().to_string_lossy().starts_with('.') && e.depth() > 0;
            !hidden && !SKIP_DIRS.iter().any(|d| rel == Path::new(d))
        });
    for entry in walk {
        let entry = entry.context("cannot walk the repository")?;
        let path = entry.path();
        // This file's tests hold the patterns as examples.
        if path.extension().is_none_or(|e| e != "rs")
            || path.ends_with("runner/src/tidy/abi_literals.rs")
        {
            continue;
        }
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        out.extend(check_text(&text).into_iter().map(|(line, what)| Finding {
            file: rel.clone(),
            line,
            what,
        }));
    }
    Ok(out)
}

/// The findings of one file's text: (line, what).
pub fn check_text(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        for what in stub_numbers(code)
            .into_iter()
            .chain(named_constant(code))
            .chain(errno_comparisons(code))
        {
            out.push((i + 1, what));
        }
    }
    out
}

/// The number literal at the start of `s` (after spaces), if any.
fn literal(s: &str) -> Option<&str> {
    let s = s.trim_start();
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    let lit = &s[..end];
    lit.starts_with(|c: char| c.is_ascii_digit()).then_some(lit)
}

/// `syscallN(<number>` and `syscall!(<number>`.
fn stub_numbers(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices("syscall") {
        if code[..at].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[at + "syscall".len()..];
        let args = rest
            .strip_prefix(|c: char| ('0'..='6').contains(&c))
            .and_then(|r| r.strip_prefix('('))
            .or_else(|| rest.strip_prefix("!("));
        if let Some(lit) = args.and_then(literal) {
            out.push(format!(
                "system call number {lit} written as a number: use vibix_uapi::nr"
            ));
        }
    }
    out
}

/// `const NAME: T = <number>;` with NAME a system call's or an errno's.
fn named_constant(code: &str) -> Option<String> {
    let t = code.trim_start();
    let t = t
        .strip_prefix("pub(crate) ")
        .or_else(|| t.strip_prefix("pub "))
        .unwrap_or(t);
    let t = t.strip_prefix("const ")?;
    let (name, rest) = t.split_once(':')?;
    let name = name.trim();
    let value = rest.split_once('=')?.1.trim().strip_suffix(';')?.trim();
    let value = value.strip_prefix('-').unwrap_or(value);
    if literal(value)? != value {
        return None;
    }
    let is_nr = vibix_uapi::nr::ALL
        .iter()
        .any(|(_, n)| n.eq_ignore_ascii_case(name));
    let is_errno = vibix_uapi::errno::ALL.iter().any(|(_, n, _)| *n == name);
    match (is_nr, is_errno) {
        (true, _) => Some(format!(
            "`{name}` defined as the number {value}: use vibix_uapi::nr::{name}"
        )),
        (_, true) => Some(format!(
            "`{name}` defined as the number {value}: use vibix_uapi::errno::{name}"
        )),
        _ => None,
    }
}

/// `== -N`, `!= -N` and `-N =>` with N an errno value (2..=4095).
fn errno_comparisons(code: &str) -> Vec<String> {
    let is_errno = |lit: &str| {
        lit.parse::<i32>()
            .is_ok_and(|n| (2..=vibix_uapi::errno::MAX_ERRNO).contains(&n))
    };
    let mut out = Vec::new();
    for op in ["== -", "!= -"] {
        for (at, _) in code.match_indices(op) {
            if let Some(lit) = literal(&code[at + op.len()..]).filter(|l| is_errno(l)) {
                out.push(format!(
                    "errno -{lit} compared as a number: use vibix_uapi::Errno"
                ));
            }
        }
    }
    for (at, _) in code.match_indices("=>") {
        let before = code[..at].trim_end();
        let start = before
            .rfind(|c: char| !c.is_ascii_digit())
            .map_or(0, |i| i + 1);
        let digits = &before[start..];
        let guard = before[..start].strip_suffix('-').map(str::trim_end);
        if let Some(g) = guard
            && (g.is_empty() || g.ends_with('|') || g.ends_with('{') || g.ends_with(','))
            && is_errno(digits)
        {
            out.push(format!(
                "errno -{digits} matched as a number: use vibix_uapi::Errno"
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<usize> {
        check_text(text).into_iter().map(|(l, _)| l).collect()
    }

    #[test]
    fn finds_bare_syscall_numbers() {
        let text = "let r = unsafe { syscall3(13, a, b, c) };\n\
                    let p = syscall0( 39 );\n\
                    let q = syscall!(0x27, x);\n\
                    let ok = syscall3(nr::READ, 0, buf, 1);\n\
                    my_syscall3(13, 1, 2, 3);\n\
                    // syscall1(60, 0) in a comment\n";
        assert_eq!(lines(text), [1, 2, 3]);
        assert!(check_text(text)[0].1.contains("number 13"));
    }

    #[test]
    fn finds_constants_named_like_syscalls_or_errnos() {
        let text = "const GETPID: usize = 39;\n\
                    pub const EXIT_GROUP: u64 = 231;\n\
                    const EFAULT: i32 = 14;\n\
                    const GETPID: usize = nr::GETPID;\n\
                    const RECORDS: usize = 1000;\n\
                    const MAX: usize = 16;\n";
        assert_eq!(lines(text), [1, 2, 3]);
        assert!(check_text(text)[1].1.contains("vibix_uapi::nr::EXIT_GROUP"));
    }

    #[test]
    fn finds_negated_errno_comparisons() {
        let text = "if ret == -14 { }\n\
                    assert!(r != -22);\n\
                    match ret { -2 => a(), _ => b() }\n\
                    if fd == -1 { }\n\
                    let x = a - 14;\n\
                    let d = n -2 => 0;\n\
                    x => -14,\n";
        assert_eq!(lines(text), [1, 2, 3]);
    }
}
