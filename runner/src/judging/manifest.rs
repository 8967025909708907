//! A phase's tests: the `tests.toml` manifest.
//!
//! Its fields are documented once, in the header of `kernel/user/tests.toml`
//! (the first manifest a contributor opens); the Kernel chapter names them
//! too. Tests below check both against this module's `TestSpec`, so a new
//! field cannot go undocumented.
//!
//! Parsing checks everything the kernel command line cannot carry (double
//! quotes, spaces in environment strings), so a bad manifest fails before
//! anything is built.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use crate::judging::status::Termination;

/// One `[[test]]` entry.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestSpec {
    pub name: String,
    pub program: String,
    #[serde(default)]
    pub args: Vec<String>,
    #[serde(default)]
    pub env: Vec<String>,
    #[serde(deserialize_with = "deserialize_expect")]
    pub expect: Termination,
    pub linux: LinuxOracle,
    #[serde(default)]
    pub stdout_contains: Vec<String>,
    #[serde(default)]
    pub stdin: String,
    /// This many bytes of `console_input::sample` follow `stdin`: input
    /// that text in a manifest cannot hold (every byte value, long lines).
    #[serde(default)]
    pub stdin_sample: usize,
    /// Milliseconds between the console being ready and the input being
    /// sent (0: at once, before the program starts).
    #[serde(default)]
    pub stdin_after_ms: u64,
    /// Run only when booting exactly this phase's kernel (a checkpoint's own
    /// facts, e.g. "phase 1's syscalls answer ENOSYS on the phase-0 kernel").
    #[serde(default)]
    pub only_at_phase: Option<u32>,
    /// The program's summary line starts with this; the runner prints that
    /// line with the result (e.g. how many calls a fuzzer made), and a
    /// run without it fails.
    #[serde(default)]
    pub report: Option<String>,
    /// CPU features QEMU takes away for this test (`["rdrand", "rdseed"]`:
    /// a CPU without hardware entropy).
    #[serde(default)]
    pub cpu_without: Vec<String>,
    /// Seconds before this test's boot is killed, for a test that runs
    /// longer than the default allows (the fuzzer); `--timeout` on the
    /// command line still wins.
    #[serde(default)]
    pub timeout: Option<u64>,
    /// Boot under TCG even where KVM works: for a test that is much slower
    /// under (nested) KVM, where every system call traps to the outer
    /// hypervisor (the fuzzer).
    #[serde(default)]
    pub tcg: bool,
}

impl TestSpec {
    /// Whether the test boots under TCG whatever KVM can do: it asks to
    /// (`tcg = true`), or it takes CPU features away, which only the
    /// emulator honours (under nested KVM the guest still runs RDRAND).
    pub fn needs_tcg(&self) -> bool {
        self.tcg || !self.cpu_without.is_empty()
    }

    /// The bytes the program gets on stdin, on vibix and on Linux.
    pub fn stdin_bytes(&self) -> Vec<u8> {
        let mut bytes = self.stdin.as_bytes().to_vec();
        bytes.extend(crate::booting::console_input::sample(self.stdin_sample));
        bytes
    }

    /// A test of `program` with no arguments that must exit 0 and match
    /// Linux, none of the optional fields set (the book's programs, and
    /// the runner's own tests, start from it).
    pub fn of_program(name: &str, program: &str) -> TestSpec {
        TestSpec {
            name: name.into(),
            program: program.into(),
            args: vec![],
            env: vec![],
            expect: Termination::Exited(0),
            linux: LinuxOracle::Compare,
            stdout_contains: vec![],
            stdin: String::new(),
            stdin_sample: 0,
            stdin_after_ms: 0,
            only_at_phase: None,
            report: None,
            cpu_without: Vec::new(),
            timeout: None,
            tcg: false,
        }
    }
}

/// Whether a test is compared with the same binary run on the Linux host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinuxOracle {
    /// `linux = true`: output and status must equal Linux's.
    Compare,
    /// `linux = "why"`: not comparable, for this reason.
    Skip(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    #[serde(default)]
    test: Vec<TestSpec>,
}

/// Reads and checks a manifest file.
pub fn load(path: &Path, shown_as: &Path) -> Result<Vec<TestSpec>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {}", shown_as.display()))?;
    parse(&text).with_context(|| format!("{} is not a valid tests manifest", shown_as.display()))
}

/// Parses and checks a manifest's text.
pub fn parse(text: &str) -> Result<Vec<TestSpec>> {
    let manifest: Manifest = toml::from_str(text)?;
    let mut names = BTreeSet::new();
    for test in &manifest.test {
        validate(test).with_context(|| format!("in test `{}`", test.name))?;
        if !names.insert(test.name.as_str()) {
            bail!(
                "two tests are named `{}`: test names must be unique",
                test.name
            );
        }
    }
    Ok(manifest.test)
}

fn validate(test: &TestSpec) -> Result<()> {
    check_simple_name("name", &test.name)?;
    check_simple_name("program", &test.program)?;
    for entry in &test.env {
        check_env_entry(entry)?;
    }
    for arg in &test.args {
        if arg.contains('"') {
            bail!(
                "argument {arg:?} contains a double quote, which the kernel command line cannot \
                 carry (it is the quoting character); change the argument"
            );
        }
        if arg.contains('\0') {
            bail!("argument {arg:?} contains a NUL byte");
        }
    }
    for feature in &test.cpu_without {
        if feature.is_empty()
            || !feature
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            bail!("`cpu_without` entry {feature:?} is not a CPU feature name (like \"rdrand\")");
        }
    }
    if test.timeout == Some(0) {
        bail!("`timeout` is 0: give the seconds this test's boot may take");
    }
    if test.report.as_deref().is_some_and(|p| p.trim().is_empty()) {
        bail!("`report` is empty: give the start of the line the runner should show");
    }
    if let LinuxOracle::Skip(reason) = &test.linux
        && reason.trim().is_empty()
    {
        bail!("`linux` is an empty string: write why the test is not comparable with Linux");
    }
    Ok(())
}

/// Test and program names become paths (`/bin/<program>`, the log dir), so
/// they are restricted to `[A-Za-z0-9._-]`.
fn check_simple_name(field: &str, value: &str) -> Result<()> {
    let ok = !value.is_empty()
        && value != "."
        && value != ".."
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !ok {
        bail!("`{field}` is {value:?}; use a non-empty name of letters, digits, `_`, `-` and `.`");
    }
    Ok(())
}

/// `KEY=VALUE`, with a shell-like key and a value the kernel command line can
/// carry as one word.
pub fn check_env_entry(entry: &str) -> Result<()> {
    let Some((key, value)) = entry.split_once('=') else {
        bail!("environment entry {entry:?} is not of the form KEY=VALUE");
    };
    let key_ok = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !key_ok {
        bail!(
            "environment entry {entry:?}: the name `{key}` must be letters, digits and `_`, \
             not starting with a digit"
        );
    }
    if key == "init" {
        bail!("environment entry {entry:?}: `init=` is the kernel's own parameter");
    }
    if value.contains(|c: char| c.is_whitespace() || c == '"' || c == '\0') {
        bail!(
            "environment entry {entry:?}: the value has whitespace or a double quote, which the \
             kernel command line cannot carry in an environment word"
        );
    }
    Ok(())
}

fn deserialize_expect<'de, D: Deserializer<'de>>(d: D) -> Result<Termination, D::Error> {
    let text = String::deserialize(d)?;
    text.parse()
        .map_err(|e: anyhow::Error| de::Error::custom(format!("{e:#}")))
}

impl<'de> Deserialize<'de> for LinuxOracle {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<LinuxOracle, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = LinuxOracle;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`true` or a string saying why the test is not comparable with Linux")
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<LinuxOracle, E> {
                if v {
                    Ok(LinuxOracle::Compare)
                } else {
                    Err(E::custom(
                        "`linux = false` is not allowed: write why the test is not comparable \
                         with Linux instead, e.g. linux = \"reads vibix's /proc\"",
                    ))
                }
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<LinuxOracle, E> {
                Ok(LinuxOracle::Skip(v.to_owned()))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field a `[[test]]` may have, as serde reads them: the list its
    /// error for an unknown field gives.
    fn field_names() -> Vec<String> {
        let err = toml::from_str::<Manifest>("[[test]]\nno_such_field = 1\n")
            .unwrap_err()
            .to_string();
        let (_, expected) = err.split_once("expected one of").expect(&err);
        let fields: Vec<String> = expected
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect();
        assert!(fields.len() > 10, "{err}");
        fields
    }

    fn repo_file(path: &str) -> String {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        std::fs::read_to_string(root.join(path)).unwrap()
    }

    #[test]
    fn the_tests_toml_header_documents_exactly_the_fields() {
        let text = repo_file("kernel/user/tests.toml");
        let header = text.split("[[test]]").next().unwrap();
        // Field lines look like `#   name            what it is`.
        let documented: BTreeSet<String> = header
            .lines()
            .filter_map(|l| l.strip_prefix("#   "))
            .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
            .collect();
        let fields: BTreeSet<String> = field_names().into_iter().collect();
        assert_eq!(
            documented, fields,
            "kernel/user/tests.toml's header and TestSpec disagree"
        );
    }

    #[test]
    fn the_kernel_chapter_names_every_field() {
        let chapter = repo_file("book/kernel.md");
        for field in field_names() {
            assert!(
                chapter.contains(&format!("`{field}`")),
                "book/kernel.md does not name the manifest field `{field}`"
            );
        }
    }

    #[test]
    fn parses_a_full_manifest() {
        let tests = parse(
            r#"
            [[test]]
            name = "hello"
            program = "hello"
            expect = "exit 0"
            linux = true

            [[test]]
            name = "args-env"
            program = "echoargs"
            args = ["one", "two words", ""]
            env = ["FOO=bar", "EMPTY="]
            expect = "exit 42"
            linux = "prints its pid"
            stdout_contains = ["one"]
            stdin = "line\n"
            report = "args:"
            timeout = 600
            tcg = true

            [[test]]
            name = "segv"
            program = "crash"
            expect = "signal SIGSEGV"
            linux = true
            "#,
        )
        .unwrap();
        assert_eq!(tests.len(), 3);
        assert_eq!(tests[0].name, "hello");
        assert!(tests[0].args.is_empty() && tests[0].env.is_empty());
        assert_eq!(tests[0].expect, Termination::Exited(0));
        assert_eq!(tests[0].linux, LinuxOracle::Compare);
        assert_eq!(tests[0].stdin, "");
        assert_eq!(tests[1].args, ["one", "two words", ""]);
        assert_eq!(tests[1].env, ["FOO=bar", "EMPTY="]);
        assert_eq!(tests[1].expect, Termination::Exited(42));
        assert_eq!(tests[1].linux, LinuxOracle::Skip("prints its pid".into()));
        assert_eq!(tests[1].stdout_contains, ["one"]);
        assert_eq!(tests[1].stdin, "line\n");
        assert_eq!(tests[0].report, None);
        assert_eq!(tests[1].report.as_deref(), Some("args:"));
        assert_eq!((tests[0].timeout, tests[1].timeout), (None, Some(600)));
        assert_eq!((tests[0].tcg, tests[1].tcg), (false, true));
        assert_eq!(tests[2].expect, Termination::Signaled(11));
    }

    #[test]
    fn taking_cpu_features_away_means_tcg() {
        let plain = TestSpec::of_program("t", "p");
        assert!(!plain.needs_tcg());
        let asked = TestSpec {
            tcg: true,
            ..plain.clone()
        };
        assert!(asked.needs_tcg());
        let no_rdrand = TestSpec {
            cpu_without: vec!["rdrand".into()],
            ..plain
        };
        assert!(no_rdrand.needs_tcg());
    }

    #[test]
    fn empty_manifest_has_no_tests() {
        assert!(parse("").unwrap().is_empty());
    }

    fn error_of(text: &str) -> String {
        format!("{:#}", parse(text).unwrap_err())
    }

    const BASE: &str = "[[test]]\nname = \"t\"\nprogram = \"p\"\nexpect = \"exit 0\"\n";

    #[test]
    fn rejects_bad_manifests() {
        let cases = [
            (BASE.to_string(), "linux"),
            (format!("{BASE}linux = false\n"), "not allowed"),
            (format!("{BASE}linux = \" \"\n"), "empty string"),
            (format!("{BASE}linux = 1\n"), "`true` or a string"),
            (
                format!("{BASE}linux = true\ncpu_without = [\"rdrand,+x\"]\n"),
                "not a CPU feature name",
            ),
            (
                format!("{BASE}linux = true\nreport = \"\"\n"),
                "`report` is empty",
            ),
            (
                format!("{BASE}linux = true\ntimeout = 0\n"),
                "`timeout` is 0",
            ),
            (
                format!("{BASE}linux = true\ntimeout = -5\n"),
                "invalid value",
            ),
            (
                format!("{BASE}linux = true\nexpected = \"exit 0\"\n"),
                "unknown field",
            ),
            (
                format!("{BASE}linux = true\nargs = [\"a\\\"b\"]\n"),
                "double quote",
            ),
            (
                format!("{BASE}linux = true\nenv = [\"NOEQUALS\"]\n"),
                "KEY=VALUE",
            ),
            (
                format!("{BASE}linux = true\nenv = [\"A=b c\"]\n"),
                "whitespace",
            ),
            (
                format!("{BASE}linux = true\nenv = [\"1A=b\"]\n"),
                "not starting with a digit",
            ),
            (
                format!("{BASE}linux = true\nenv = [\"init=/bin/sh\"]\n"),
                "kernel's own",
            ),
            (
                format!("{BASE}linux = true\n{BASE}linux = true\n"),
                "unique",
            ),
            (
                "[[test]]\nname = \"../x\"\nprogram = \"p\"\nexpect = \"exit 0\"\nlinux = true\n"
                    .to_string(),
                "`name`",
            ),
            (
                "[[test]]\nname = \"t\"\nprogram = \"bin/p\"\nexpect = \"exit 0\"\nlinux = true\n"
                    .to_string(),
                "`program`",
            ),
            (
                "[[test]]\nname = \"t\"\nprogram = \"p\"\nexpect = \"exit 1000\"\nlinux = true\n"
                    .to_string(),
                "bad exit code",
            ),
            ("[[test]]\nname = \"t\"\n".to_string(), "missing field"),
            ("[[tests]]\nname = \"t\"\n".to_string(), "unknown field"),
            ("this is not toml".to_string(), "TOML"),
        ];
        for (text, needle) in cases {
            let err = error_of(&text);
            assert!(
                err.contains(needle),
                "{text:?}\n  gave: {err}\n  wanted: {needle}"
            );
        }
    }

    #[test]
    fn reports_the_line_of_a_bad_expectation() {
        let err = error_of(&format!("{BASE}linux = true\n").replace("exit 0", "exit zero"));
        assert!(err.contains("line 4"), "{err}");
    }
}
