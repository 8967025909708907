//! Crates that grow by phase: which of a crate's features a build of phase
//! N switches on.
//!
//! Phase N's additions to a crate that earlier phases began (the kernel,
//! `vibix_abi`; later `vibix_libc`, `ld-vibix`) are gated by the crate's
//! cargo feature `phaseN`, which implies the one before
//! (`phase2 = ["phase1"]`); the crate declares one for every phase from
//! its first on (see `book/reference/contributing.md`, "Crates that grow
//! by phase"). A build of phase N switches on `phaseN`: the kernel with
//! `--features phaseN`; a crate the std port copies into `library/`
//! through its copy's `default` features, since std's `Cargo.toml` names
//! it with fixed features. In the repository such a crate's `default` is
//! its last phase, so host tests, Miri and clippy see all of it.

use std::collections::BTreeMap;

/// The crate's `phase<N>` features: number → what each implies.
pub fn phase_features(manifest: &toml::Table) -> BTreeMap<u32, Vec<String>> {
    let Some(features) = manifest.get("features").and_then(|f| f.as_table()) else {
        return BTreeMap::new();
    };
    features
        .iter()
        .filter_map(|(name, value)| {
            let n = name.strip_prefix("phase")?.parse().ok()?;
            let implies = value
                .as_array()?
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect();
            Some((n, implies))
        })
        .collect()
}

/// Checks the rule: phase features are contiguous from the crate's first
/// phase, each implying the one before.
pub fn check_manifest(manifest: &toml::Table) -> Result<(), String> {
    let features = phase_features(manifest);
    let Some(&first) = features.keys().next() else {
        return Ok(());
    };
    for (&n, implies) in features.range(first + 1..) {
        let before = format!("phase{}", n - 1);
        if !features.contains_key(&(n - 1)) {
            return Err(format!(
                "feature `phase{n}` has no `{before}` before it: declare a feature for every \
                 phase from phase{first} on (`{before} = [\"phase{}\"]` if it adds nothing)",
                n - 2
            ));
        }
        if !implies.contains(&before) {
            return Err(format!(
                "feature `phase{n}` must imply `{before}` (`phase{n} = [\"{before}\", …]`): \
                 phases are cumulative"
            ));
        }
    }
    Ok(())
}

/// The manifest `text` of a crate copied into std's `library/`, for a build
/// of phase `n`: if the crate grows by phase, its `default` features are
/// its other defaults plus `phase<n>`, and no other phase. A crate without
/// phase features is returned as it is.
pub fn enable_in_copy(text: &str, n: u32) -> Result<String, String> {
    let table: toml::Table =
        toml::from_str(text).map_err(|e| format!("not a valid manifest: {e}"))?;
    let features = phase_features(&table);
    if features.is_empty() {
        return Ok(text.to_owned());
    }
    check_manifest(&table)?;
    if !features.contains_key(&n) {
        let declared: Vec<String> = features.keys().map(|k| format!("phase{k}")).collect();
        return Err(format!(
            "the crate grows by phase ({}) but has no feature `phase{n}`: declare one for every \
             phase from its first on",
            declared.join(", ")
        ));
    }
    let defaults: Vec<String> = table["features"]
        .get("default")
        .and_then(|d| d.as_array())
        .map(|d| {
            d.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let mut wanted: Vec<String> = defaults
        .into_iter()
        .filter(|f| {
            !f.strip_prefix("phase")
                .is_some_and(|d| d.parse::<u32>().is_ok())
        })
        .collect();
    wanted.push(format!("phase{n}"));
    let line = format!(
        "default = [{}]",
        wanted
            .iter()
            .map(|f| format!("\"{f}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    // The `default` line of `[features]`, or a new one right after the header.
    let mut out = String::new();
    let mut in_features = false;
    let mut done = false;
    for l in text.split_inclusive('\n') {
        let trimmed = l.trim();
        if trimmed.starts_with('[') {
            in_features = trimmed == "[features]";
            out.push_str(l);
            if in_features && table["features"].get("default").is_none() {
                out.push_str(&line);
                out.push('\n');
                done = true;
            }
            continue;
        }
        let is_default = in_features
            && trimmed
                .strip_prefix("default")
                .is_some_and(|r| r.trim_start().starts_with('='));
        if is_default {
            if toml::from_str::<toml::Table>(trimmed).is_err() {
                return Err("write the `default` features on one line".into());
            }
            out.push_str(&line);
            out.push('\n');
            done = true;
        } else {
            out.push_str(l);
        }
    }
    if !done {
        return Err("cannot find the `default` features in the text".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "[package]\nname = \"abi\"\n\n[features]\n\
                            default = [\"phase2\"]\nphase1 = []\nphase2 = [\"phase1\"]\n\
                            rustc-dep-of-std = [\"core\"]\n";

    #[test]
    fn a_copy_gets_exactly_its_phase() {
        let one = enable_in_copy(MANIFEST, 1).unwrap();
        assert!(one.contains("default = [\"phase1\"]\n"), "{one}");
        assert!(!one.contains("default = [\"phase2\"]"));
        let two = enable_in_copy(MANIFEST, 2).unwrap();
        assert!(two.contains("default = [\"phase2\"]\n"), "{two}");
        let err = enable_in_copy(MANIFEST, 3).unwrap_err();
        assert!(err.contains("no feature `phase3`"), "{err}");
        // Other defaults stay; a missing `default` is added.
        let other = MANIFEST.replace("[\"phase2\"]\nphase1", "[\"std\", \"phase2\"]\nphase1");
        let other = enable_in_copy(&other, 1).unwrap();
        assert!(
            other.contains("default = [\"std\", \"phase1\"]\n"),
            "{other}"
        );
        let none = MANIFEST.replace("default = [\"phase2\"]\n", "");
        let none = enable_in_copy(&none, 2).unwrap();
        assert!(
            none.contains("[features]\ndefault = [\"phase2\"]\n"),
            "{none}"
        );
        // A crate that does not grow by phase is left alone.
        let plain = "[package]\nname = \"x\"\n[features]\ndefault = []\n";
        assert_eq!(enable_in_copy(plain, 4).unwrap(), plain);
    }

    #[test]
    fn phases_are_contiguous_and_cumulative() {
        let parse = |s: &str| toml::from_str::<toml::Table>(s).unwrap();
        assert!(check_manifest(&parse(MANIFEST)).is_ok());
        let err = check_manifest(&parse("[features]\nphase1 = []\nphase2 = []\n")).unwrap_err();
        assert!(err.contains("must imply `phase1`"), "{err}");
        let err =
            check_manifest(&parse("[features]\nphase1 = []\nphase3 = [\"phase2\"]\n")).unwrap_err();
        assert!(err.contains("no `phase2` before it"), "{err}");
    }

    /// The repository's crates that grow by phase follow the rule.
    #[test]
    fn the_repository_crates_follow_the_rule() {
        let repo =
            crate::repo::Repo::find_from(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        for manifest in [
            repo.kernel_dir().join("Cargo.toml"),
            repo.phases_dir()
                .join("phase1-println/vibix_abi/Cargo.toml"),
        ] {
            let text = std::fs::read_to_string(&manifest).unwrap();
            let table: toml::Table = toml::from_str(&text).unwrap();
            check_manifest(&table).unwrap_or_else(|e| panic!("{}: {e}", manifest.display()));
            assert!(
                phase_features(&table).contains_key(&1),
                "{} grows from phase 1 on",
                manifest.display()
            );
        }
    }
}
