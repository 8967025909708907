//! From the kernel command line to `init`'s arguments and environment.
//!
//! Linux treats its command line like this, and vibix copies it:
//!
//! - Words are separated by whitespace. Double quotes group words and are
//!   removed: `FOO="a b"` is the single word `FOO=a b`.
//! - Before a `--` word: `init=PATH` chooses the program to start (default
//!   `/init`); the kernel's own options (`quiet`, `vibix.*`) are left to the
//!   kernel; other words with a `=` become environment variables of init;
//!   the remaining words become its arguments.
//! - `vibix.cwd=PATH` (a kernel option, not in init's environment) starts
//!   init in the directory PATH instead of `/`: a target runner boots a
//!   program in the directory cargo would have run it in.
//! - After `--`, every word is an argument of init.
//!
//! init's environment starts with `HOME=/` and `TERM=linux`, as Linux gives
//! it, followed by the variables from the command line.

use alloc::vec;
use alloc::vec::Vec;

/// What to start as the first process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitSpec {
    /// Path of the program.
    pub init: Vec<u8>,
    /// Its arguments; `argv[0]` is `init`.
    pub argv: Vec<Vec<u8>>,
    /// Its environment.
    pub envp: Vec<Vec<u8>>,
    /// Its working directory (`vibix.cwd=`), if not `/`.
    pub cwd: Option<Vec<u8>>,
}

/// The init program used when the command line names none.
pub const DEFAULT_INIT: &[u8] = b"/init";

/// Parses `cmdline` into the first process's program, arguments and
/// environment.
pub fn parse(cmdline: &[u8]) -> InitSpec {
    let mut init = DEFAULT_INIT.to_vec();
    let mut args = Vec::new();
    let mut envp = vec![b"HOME=/".to_vec(), b"TERM=linux".to_vec()];

    let mut cwd = None;
    let mut words = words(cmdline);
    for word in words.by_ref() {
        if word == b"--" {
            break;
        }
        if is_kernel_option(word) {
            if let Some(dir) = unquote(word).strip_prefix(b"vibix.cwd=") {
                cwd = Some(dir.to_vec());
            }
            continue;
        }
        let word = unquote(word);
        if let Some(path) = word.strip_prefix(b"init=") {
            init = path.to_vec();
        } else if word.contains(&b'=') {
            envp.push(word);
        } else {
            args.push(word);
        }
    }
    // After `--`: everything is an argument.
    args.extend(words.map(unquote));

    let mut argv = vec![init.clone()];
    argv.extend(args);
    InitSpec {
        init,
        argv,
        envp,
        cwd,
    }
}

/// The kernel's own options: the words before `--` that are `quiet` or start
/// with `vibix.`. They are returned as written, quotes included.
pub fn kernel_options(cmdline: &[u8]) -> impl Iterator<Item = &[u8]> {
    words(cmdline)
        .take_while(|&word| word != b"--")
        .filter(|&word| is_kernel_option(word))
}

fn is_kernel_option(word: &[u8]) -> bool {
    word == b"quiet" || word.starts_with(b"vibix.")
}

/// The words of `cmdline`, quotes still in them. Whitespace inside double
/// quotes does not split words; an unclosed quote runs to the end.
fn words(cmdline: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = cmdline;
    core::iter::from_fn(move || {
        let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
        rest = &rest[start..];
        let mut quoted = false;
        let end = rest
            .iter()
            .position(|&b| {
                if b == b'"' {
                    quoted = !quoted;
                }
                b.is_ascii_whitespace() && !quoted
            })
            .unwrap_or(rest.len());
        let (word, tail) = rest.split_at(end);
        rest = tail;
        Some(word)
    })
}

/// `word` without its double quotes.
fn unquote(word: &[u8]) -> Vec<u8> {
    word.iter().copied().filter(|&b| b != b'"').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strs(list: &[Vec<u8>]) -> Vec<&str> {
        list.iter()
            .map(|w| core::str::from_utf8(w).unwrap())
            .collect()
    }

    #[test]
    fn empty_command_line() {
        let spec = parse(b"");
        assert_eq!(spec.init, b"/init");
        assert_eq!(strs(&spec.argv), ["/init"]);
        assert_eq!(strs(&spec.envp), ["HOME=/", "TERM=linux"]);
        assert_eq!(parse(b"  \t\n "), spec);
    }

    #[test]
    fn init_path() {
        let spec = parse(b"init=/bin/sh");
        assert_eq!(spec.init, b"/bin/sh");
        assert_eq!(strs(&spec.argv), ["/bin/sh"]);
        // The last one wins.
        assert_eq!(parse(b"init=/a init=/b").init, b"/b");
    }

    #[test]
    fn sorts_words_into_argv_and_envp() {
        let spec = parse(b"quiet single FOO=bar vibix.log=debug init=/sbin/init x=1");
        assert_eq!(spec.init, b"/sbin/init");
        assert_eq!(strs(&spec.argv), ["/sbin/init", "single"]);
        assert_eq!(strs(&spec.envp), ["HOME=/", "TERM=linux", "FOO=bar", "x=1"]);
        assert_eq!(spec.cwd, None);
    }

    #[test]
    fn a_working_directory_for_init() {
        let spec = parse(b"vibix.cwd=\"/home/a b\" init=/bin/t -- vibix.cwd=/x");
        assert_eq!(spec.cwd.as_deref(), Some(&b"/home/a b"[..]));
        // It is the kernel's: neither in the environment nor an argument
        // (after `--` it is an ordinary argument).
        assert_eq!(strs(&spec.envp), ["HOME=/", "TERM=linux"]);
        assert_eq!(strs(&spec.argv), ["/bin/t", "vibix.cwd=/x"]);
    }

    #[test]
    fn everything_after_dash_dash_is_an_argument() {
        let spec = parse(b"a -- init=/x FOO=1 quiet vibix.x -- b");
        assert_eq!(spec.init, b"/init");
        assert_eq!(
            strs(&spec.argv),
            [
                "/init", "a", "init=/x", "FOO=1", "quiet", "vibix.x", "--", "b"
            ]
        );
        assert_eq!(strs(&spec.envp), ["HOME=/", "TERM=linux"]);
    }

    #[test]
    fn quotes_group_words() {
        let spec = parse(b"FOO=\"a b\"  \"two words\" -- \"x  y\" z\"\"");
        assert_eq!(strs(&spec.envp)[2..], ["FOO=a b"]);
        assert_eq!(strs(&spec.argv), ["/init", "two words", "x  y", "z"]);
        // An unclosed quote takes the rest of the line.
        assert_eq!(strs(&parse(b"a \"b c").argv), ["/init", "a", "b c"]);
        assert_eq!(parse(b"init=\"/my init\"").init, b"/my init");
    }

    #[test]
    fn any_whitespace_separates() {
        assert_eq!(
            strs(&parse(b"a\tb\nc\r d").argv),
            ["/init", "a", "b", "c", "d"]
        );
    }

    #[test]
    fn kernel_options_are_listed() {
        let opts: Vec<&[u8]> =
            kernel_options(b"quiet x=1 vibix.log=\"a b\" vibixnot -- vibix.after quiet").collect();
        assert_eq!(opts, [&b"quiet"[..], b"vibix.log=\"a b\""]);
        assert_eq!(kernel_options(b"").count(), 0);
    }
}
