//! How one boot runs every vibix block of a phase, and how its output is
//! split back into the blocks' outputs.
//!
//! Each block is a program of its own (`/bin/book-<name>`). One boot per
//! phase runs them all: its init is `runeach` (kernel/user/src/bin), which
//! forks and execs each block's program in turn, waits for it, and prints
//! the separator line
//!
//! ```text
//! @@vibix-book end phase0/hello exit 0@@
//! ```
//!
//! (the block's id and how its program ended: `exit N` or `signal N`).
//! Everything printed before a separator, since the previous one, is that
//! block's output. A block whose output does not end in a newline gets its
//! separator on the same line; the split is on the separator text, so that
//! output is still exact. A block that panics or exits ends only its own
//! program: the blocks after it still run.

use crate::judging::status::Termination;

/// What every separator starts with.
pub const PREFIX: &str = "@@vibix-book end ";
const SUFFIX: &str = "@@\n";

/// The separator `runeach` prints after block `id`'s program ended.
#[cfg(test)]
pub fn separator(id: &str, ending: Termination) -> String {
    let ending = match ending {
        Termination::Exited(code) => format!("exit {code}"),
        Termination::Signaled(sig) => format!("signal {sig}"),
    };
    format!("{PREFIX}{id} {ending}{SUFFIX}")
}

/// The output of one block's program, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub id: String,
    pub ending: Termination,
    pub output: Vec<u8>,
}

/// A boot's output, split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The blocks that ran, in order.
    pub done: Vec<Segment>,
    /// What came after the last separator: the output of a block whose
    /// run the boot did not finish, if one did not.
    pub rest: Vec<u8>,
}

/// Splits `output` (CRLF already normalised) at the separators.
pub fn split(output: &[u8]) -> Split {
    let mut done = Vec::new();
    let mut start = 0;
    let mut search = 0;
    while let Some(at) = find(&output[search..], PREFIX.as_bytes()).map(|i| i + search) {
        let after = at + PREFIX.len();
        let parsed = find(&output[after..], SUFFIX.as_bytes()).and_then(|len| {
            let text = std::str::from_utf8(&output[after..after + len]).ok()?;
            let (id, ending) = [" exit ", " signal "].iter().find_map(|kind| {
                let (id, n) = text.rsplit_once(kind)?;
                Some((id, format!("{}{n}", kind.trim_start())))
            })?;
            Some((
                id.to_owned(),
                ending.parse().ok()?,
                after + len + SUFFIX.len(),
            ))
        });
        match parsed {
            Some((id, ending, end)) => {
                done.push(Segment {
                    id,
                    ending,
                    output: output[start..at].to_vec(),
                });
                start = end;
                search = end;
            }
            // Not a separator after all: part of a block's output.
            None => search = after,
        }
    }
    Split {
        done,
        rest: output[start..].to_vec(),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_separators() {
        let out = format!(
            "hello\n{}no newline{}@@vibix-book end fake\npanicked\n",
            separator("phase0/hello", Termination::Exited(0)),
            separator("phase0/b", Termination::Signaled(6))
        );
        let s = split(out.as_bytes());
        assert_eq!(
            s.done,
            [
                Segment {
                    id: "phase0/hello".into(),
                    ending: Termination::Exited(0),
                    output: b"hello\n".to_vec()
                },
                Segment {
                    id: "phase0/b".into(),
                    ending: Termination::Signaled(6),
                    output: b"no newline".to_vec()
                },
            ]
        );
        assert_eq!(s.rest, b"@@vibix-book end fake\npanicked\n");
    }

    #[test]
    fn empty_and_separator_only() {
        assert_eq!(
            split(b""),
            Split {
                done: vec![],
                rest: vec![]
            }
        );
        let s = split(separator("phase0/x", Termination::Exited(255)).as_bytes());
        assert_eq!(s.done[0].output, b"");
        assert_eq!(s.done[0].ending, Termination::Exited(255));
        assert!(s.rest.is_empty());
    }
}
