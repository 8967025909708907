//! What a code block's info string says: the workbook's conventions.
//!
//! | info string                          | the block                                   |
//! |--------------------------------------|---------------------------------------------|
//! | `rust,vibix,phase=0`                 | runs in QEMU on phase 0's kernel            |
//! | `rust,vibix,phase=0,name=hello`      | the same, with the id `phase0/hello`        |
//! | `rust,vibix,phase=0,exit=3`          | `main` must return 3 (default 0)            |
//! | `text,output`                        | the expected output of the block before it  |
//! | `rust` (also `should_panic`, …)      | runs on the host, by skeptic (`cargo test`) |
//! | `rust,ignore`, `rust,no_run`         | not run: needs `<!-- not run: why -->`      |
//! | anything else (`sh`, `toml`, `text`) | not code to run                             |
//!
//! Words are separated by commas or spaces. A vibix block takes only the
//! attributes above, so that a typo is an error rather than a block that
//! silently does something else.

/// What a block is, from its info string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Runs in QEMU (`rust,vibix,phase=N`).
    Vibix(VibixAttrs),
    /// The expected output of the preceding vibix block (`text,output`).
    Output,
    /// Rust that skeptic compiles and runs on the host.
    Host,
    /// Rust that is not run; the word that says so (`ignore`, `no_run`).
    NotRun(String),
    /// Not Rust: nothing to run.
    Other,
}

/// The attributes of a vibix block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VibixAttrs {
    pub phase: u32,
    pub name: Option<String>,
    /// The status the block's `main` must return.
    pub exit: i32,
}

/// Words that make skeptic (and rustdoc) skip running a Rust block.
const NOT_RUN_WORDS: &[&str] = &["ignore", "no_run", "compile_fail"];

fn words(info: &str) -> impl Iterator<Item = &str> {
    info.split([',', ' ', '\t']).filter(|w| !w.is_empty())
}

/// Classifies an info string; an error says what is wrong with it.
pub fn parse(info: &str) -> Result<Kind, String> {
    let words: Vec<&str> = words(info).collect();
    if words.contains(&"vibix") {
        return parse_vibix(&words).map(Kind::Vibix);
    }
    if words.contains(&"output") {
        return Ok(Kind::Output);
    }
    let rust = words.contains(&"rust");
    if let Some(word) = words.iter().find(|w| NOT_RUN_WORDS.contains(w)) {
        return Ok(Kind::NotRun((*word).to_owned()));
    }
    Ok(if rust { Kind::Host } else { Kind::Other })
}

fn parse_vibix(words: &[&str]) -> Result<VibixAttrs, String> {
    let mut phase = None;
    let mut name = None;
    let mut exit = 0;
    for word in words {
        match word.split_once('=') {
            None if matches!(*word, "rust" | "vibix") => {}
            Some(("phase", n)) => {
                phase =
                    Some(n.parse::<u32>().map_err(|_| {
                        format!("`phase={n}`: the phase is a number, as in `phase=0`")
                    })?);
            }
            Some(("name", n)) => {
                check_name(n)?;
                name = Some(n.to_owned());
            }
            Some(("exit", n)) => {
                exit = n
                    .parse::<u8>()
                    .map_err(|_| format!("`exit={n}`: the status is 0 to 255"))?
                    .into();
            }
            _ => {
                return Err(format!(
                    "unknown word `{word}` in a vibix block's info string (it takes `phase=N`, \
                     `name=ID` and `exit=N`)"
                ));
            }
        }
    }
    let phase = phase.ok_or("a vibix block needs its phase, as in `rust,vibix,phase=0`")?;
    Ok(VibixAttrs { phase, name, exit })
}

/// A block name: lowercase letters, digits, `-` and `_`, starting with a
/// letter (it becomes part of a program's name).
pub fn check_name(name: &str) -> Result<(), String> {
    let ok = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "block name `{name}`: use lowercase letters, digits, `-` and `_`, starting with a letter"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vibix(phase: u32, name: Option<&str>, exit: i32) -> Kind {
        Kind::Vibix(VibixAttrs {
            phase,
            name: name.map(str::to_owned),
            exit,
        })
    }

    #[test]
    fn classifies_blocks() {
        assert_eq!(parse("rust,vibix,phase=0"), Ok(vibix(0, None, 0)));
        assert_eq!(
            parse("rust, vibix, phase=1, name=hello_2, exit=3"),
            Ok(vibix(1, Some("hello_2"), 3))
        );
        assert_eq!(parse("vibix phase=0"), Ok(vibix(0, None, 0)));
        assert_eq!(parse("text,output"), Ok(Kind::Output));
        assert_eq!(parse("rust"), Ok(Kind::Host));
        assert_eq!(parse("rust,should_panic"), Ok(Kind::Host));
        assert_eq!(parse("rust,ignore"), Ok(Kind::NotRun("ignore".into())));
        assert_eq!(parse("ignore"), Ok(Kind::NotRun("ignore".into())));
        assert_eq!(parse("rust,no_run"), Ok(Kind::NotRun("no_run".into())));
        for other in ["", "sh", "text", "toml", "console"] {
            assert_eq!(parse(other), Ok(Kind::Other), "{other:?}");
        }
    }

    #[test]
    fn rejects_bad_vibix_blocks() {
        assert!(parse("rust,vibix").unwrap_err().contains("needs its phase"));
        assert!(
            parse("rust,vibix,phase=x")
                .unwrap_err()
                .contains("is a number")
        );
        assert!(parse("rust,vibix,phase=0,exit=256").is_err());
        assert!(
            parse("rust,vibix,phase=0,ignore")
                .unwrap_err()
                .contains("unknown word `ignore`")
        );
        assert!(
            parse("rust,vibix,phase=0,name=Hello")
                .unwrap_err()
                .contains("lowercase")
        );
        assert!(parse("rust,vibix,phase=0,name=").is_err());
    }
}
