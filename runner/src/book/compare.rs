//! Judging a phase's run of its blocks: each block's output against the
//! output the book expects, and how its program ended against the status
//! its `main` must return.
//!
//! The comparison is exact, byte for byte, after the console's CRLF is
//! turned back into LF: the expected block holds exactly what the program
//! prints, final newline included (the closing fence ends the last line).

use super::blocks::Runnable;
use super::separator::Split;
use crate::judging::status::Termination;
use crate::text::first_difference;

/// The problems found, per block (in the blocks' order) and for the run as
/// a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    pub per_block: Vec<Vec<String>>,
    pub general: Vec<String>,
}

/// Judges `split` (one run of the programs of `blocks`); `ending` says how
/// the run ended (`exit 0`, `killed by SIGSEGV`, a timeout, …) and
/// `ended_well` whether that is the normal end (status 0 after the last
/// block).
pub fn judge(blocks: &[&Runnable], split: &Split, ending: &str, ended_well: bool) -> Judgement {
    let mut per_block = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        let mut problems = Vec::new();
        match split.done.get(i) {
            Some(seg) => {
                if seg.id != block.id() {
                    problems.push(format!(
                        "expected the output of {} here, but the separator names {}",
                        block.id(),
                        seg.id
                    ));
                }
                let expected = Termination::Exited((block.exit & 0xff) as u8);
                if seg.ending != expected {
                    problems.push(format!(
                        "the program ended with {}, but the book expects {expected} (set \
                         `exit=N` in the info string if that is intended)",
                        seg.ending
                    ));
                }
                problems.extend(output_problem(&seg.output, &block.expected));
            }
            None if i == split.done.len() => {
                problems.push(format!("the run ended ({ending}) while this block ran"));
                problems.extend(output_problem(&split.rest, &block.expected));
            }
            None => problems.push(format!(
                "not run: the run ended ({ending}) while {} ran",
                blocks[split.done.len()].id()
            )),
        }
        per_block.push(problems);
    }
    let mut general = Vec::new();
    if split.done.len() == blocks.len() {
        if !split.rest.is_empty() {
            general.push(format!(
                "unexpected output after the last block: {}",
                crate::text::show_line(&split.rest)
            ));
        }
        if !ended_well {
            general.push(format!(
                "the run ended with {ending} after the last block, instead of exit 0"
            ));
        }
    }
    Judgement { per_block, general }
}

/// The first difference between what a block printed and what the book
/// expects, as lines for a report.
pub fn output_problem(got: &[u8], expected: &str) -> Option<String> {
    let diff = first_difference(got, expected.as_bytes())?;
    let past_end = || "(end of output)".to_string();
    Some(format!(
        "output differs from the book's expected output at line {}:\n    printed:  {}\n    \
         expected: {}",
        diff.line,
        diff.left.unwrap_or_else(past_end),
        diff.right.unwrap_or_else(past_end)
    ))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::book::separator::{separator, split};

    const EXIT_0: Termination = Termination::Exited(0);

    fn block(name: &str, expected: &str, exit: i32) -> Runnable {
        Runnable {
            file: PathBuf::from("book/k.md"),
            line: 1,
            phase: 0,
            name: name.into(),
            exit,
            code: String::new(),
            expected: expected.into(),
            output_line: 2,
            output_end_line: 3,
        }
    }

    #[test]
    fn passes_matching_output() {
        let (a, b) = (block("a", "hi\n", 0), block("b", "", 2));
        let out = format!(
            "hi\n{}{}",
            separator("phase0/a", EXIT_0),
            separator("phase0/b", Termination::Exited(2))
        );
        let j = judge(&[&a, &b], &split(out.as_bytes()), "exit 0", true);
        assert_eq!(j.per_block, [Vec::<String>::new(), vec![]]);
        assert!(j.general.is_empty());
    }

    #[test]
    fn reports_differences_statuses_and_early_ends() {
        let (a, b, c) = (
            block("a", "hi\n", 0),
            block("b", "x\ny\n", 0),
            block("c", "", 0),
        );
        let out = format!(
            "ho\n{}x\npanicked\n",
            separator("phase0/a", Termination::Exited(1))
        );
        let j = judge(&[&a, &b, &c], &split(out.as_bytes()), "exit 101", false);
        assert_eq!(j.per_block[0].len(), 2);
        assert!(
            j.per_block[0][0]
                .starts_with("the program ended with exit 1, but the book expects exit 0")
        );
        assert!(
            j.per_block[0][1]
                .contains("at line 1:\n    printed:  \"ho\\n\"\n    expected: \"hi\\n\"")
        );
        assert!(j.per_block[1][0].starts_with("the run ended (exit 101) while this block ran"));
        assert!(j.per_block[1][1].contains("line 2"));
        assert_eq!(
            j.per_block[2],
            ["not run: the run ended (exit 101) while phase0/b ran"]
        );
        assert!(j.general.is_empty());
    }

    #[test]
    fn reports_a_bad_ending_after_all_blocks() {
        let a = block("a", "", 0);
        let out = format!("{}tail", separator("phase0/a", EXIT_0));
        let j = judge(&[&a], &split(out.as_bytes()), "killed by SIGSEGV", false);
        assert!(j.per_block[0].is_empty());
        assert_eq!(j.general.len(), 2);
        assert!(j.general[1].contains("killed by SIGSEGV after the last block"));
    }
}
