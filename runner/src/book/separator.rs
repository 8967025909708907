//! How one program runs every vibix block of a phase, and how its output is
//! split back into the blocks' outputs.
//!
//! vibix has no fork or exec yet, so one boot can run only one program. To
//! boot once per phase and not once per block, the runner builds one
//! combined program per phase: it calls each block's `main` in turn, and
//! after each one prints the separator line
//!
//! ```text
//! @@vibix-book end phase0/hello status 0@@
//! ```
//!
//! (the block's id and the status its `main` returned). Everything printed
//! before a separator, since the previous one, is that block's output. A
//! block whose output does not end in a newline gets its separator on the
//! same line; the split is on the separator text, so that output is still
//! exact. A block that ends the process (a panic, `exit`) ends the program:
//! its output is what came after the last separator, and the blocks after it
//! do not run.

/// What every separator starts with.
pub const PREFIX: &str = "@@vibix-book end ";
const SUFFIX: &str = "@@\n";

/// The separator printed after block `id` returned `status`.
#[cfg(test)]
pub fn separator(id: &str, status: i32) -> String {
    format!("{PREFIX}{id} status {status}{SUFFIX}")
}

/// The output of one block that returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub id: String,
    pub status: i32,
    pub output: Vec<u8>,
}

/// A combined program's output, split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The blocks that returned, in order.
    pub done: Vec<Segment>,
    /// What came after the last separator: the output of the block that
    /// ended the program, if one did.
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
            let (id, status) = text.rsplit_once(" status ")?;
            Some((
                id.to_owned(),
                status.parse().ok()?,
                after + len + SUFFIX.len(),
            ))
        });
        match parsed {
            Some((id, status, end)) => {
                done.push(Segment {
                    id,
                    status,
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
            separator("phase0/hello", 0),
            separator("phase0/b", 3)
        );
        let s = split(out.as_bytes());
        assert_eq!(
            s.done,
            [
                Segment {
                    id: "phase0/hello".into(),
                    status: 0,
                    output: b"hello\n".to_vec()
                },
                Segment {
                    id: "phase0/b".into(),
                    status: 3,
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
        let s = split(separator("phase0/x", -1).as_bytes());
        assert_eq!(s.done[0].output, b"");
        assert_eq!(s.done[0].status, -1);
        assert!(s.rest.is_empty());
    }
}
