//! `runner reloc-audit`: the relocation audit's table (the dynamic
//! relocation types, whether `ld-vibix` applies each, which objects
//! contain it) for a phase's initramfs, built first, for given files, or
//! for the host samples; exit 1 when a type is not applied. With
//! `--update-book`, the table also replaces the one between its marker
//! comments in the phase's chapter. The audit itself is
//! `building::relocation_audit`.

use anyhow::{Context, Result, anyhow, bail};

use crate::Ctx;
use crate::building::{relocation_audit, relocation_samples};
use crate::cli::RelocAuditArgs;
use crate::cmd_phase;

/// The chapter whose tables `--update-book` rewrites.
const CHAPTER: &str = "phase5-dynlink.md";

pub fn run(ctx: &Ctx, args: &RelocAuditArgs) -> Result<std::process::ExitCode> {
    let (what, key, objects) = if args.samples {
        let dir = ctx.repo.target_dir().join("reloc-audit/samples");
        let samples = relocation_samples::build(&ctx.sh, &dir)?;
        let what = format!(
            "the host samples ({}), built with {}",
            ctx.repo.rel(&samples.dir).display(),
            samples.tools.join("; ")
        );
        let objects = relocation_audit::audit_tree(&samples.dir)?;
        (what, "samples".to_string(), objects)
    } else if !args.paths.is_empty() {
        let mut objects = Vec::new();
        for p in &args.paths {
            if p.is_dir() {
                objects.extend(relocation_audit::audit_tree(p)?);
            } else {
                let bytes =
                    std::fs::read(p).map_err(|e| anyhow!("reading {}: {e}", p.display()))?;
                objects.push(relocation_audit::read(&p.display().to_string(), &bytes)?);
            }
        }
        ("the given files".to_string(), String::new(), objects)
    } else {
        let n = args.phase;
        if n < relocation_audit::FIRST_PHASE {
            bail!(
                "phase {n} has no dynamic linker: the audit starts at phase {}",
                relocation_audit::FIRST_PHASE
            );
        }
        let built = cmd_phase::build_unaudited(ctx, n)?;
        let objects = relocation_audit::audit_tree(&built.rootfs)?;
        (
            format!("phase {n}'s initramfs"),
            format!("phase {n}"),
            objects,
        )
    };
    let table = relocation_audit::table(&objects);
    println!("Dynamic relocations in {what}:\n");
    print!("{table}");
    let verdict = relocation_audit::check(&objects);
    if args.update_book {
        let section = format!("Dynamic relocations in {what}:\n\n{table}");
        let changed = update_chapter(ctx, &key, &section)?;
        println!(
            "\nbook/{CHAPTER}: {}",
            if changed { "updated" } else { "up to date" }
        );
    }
    match verdict {
        Ok(summary) => {
            println!("\n{summary}");
            Ok(std::process::ExitCode::SUCCESS)
        }
        Err(e) => {
            crate::print_error(&e);
            Ok(std::process::ExitCode::FAILURE)
        }
    }
}

/// The marker comments around the table `key` (`phase 5`, `samples`).
fn markers(key: &str) -> (String, String) {
    let flag = format!("--{key}");
    (
        format!(
            "<!-- reloc-audit {key}: begin (generated: cargo runner reloc-audit {flag} --update-book) -->"
        ),
        format!("<!-- reloc-audit {key}: end -->"),
    )
}

/// Replaces the chapter's table `key` with `section`; true if it changed.
fn update_chapter(ctx: &Ctx, key: &str, section: &str) -> Result<bool> {
    let page = std::fs::read_to_string(ctx.repo.root().join("book").join(CHAPTER))
        .with_context(|| format!("cannot read book/{CHAPTER}"))?;
    let new = splice(&page, key, section)?;
    crate::book::generated::write(ctx, CHAPTER, &new)
}

/// `page` with the text between `key`'s markers replaced by `section`.
fn splice(page: &str, key: &str, section: &str) -> Result<String> {
    let (begin, end) = markers(key);
    let (Some(b), Some(e)) = (page.find(&begin), page.find(&end)) else {
        bail!("book/{CHAPTER} lacks the marker lines `{begin}` and `{end}`");
    };
    if e < b {
        bail!("book/{CHAPTER}: the end marker of `{key}` comes before its begin marker");
    }
    Ok(format!(
        "{}{begin}\n\n{}\n\n{}",
        &page[..b],
        section.trim_end(),
        &page[e..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_between_the_markers_of_its_key() {
        let (b5, e5) = markers("phase 5");
        let (bs, es) = markers("samples");
        assert!(b5.contains("reloc-audit --phase 5 --update-book"));
        assert!(bs.contains("reloc-audit --samples --update-book"));
        let page = format!("# P\n\n{b5}\nold\n{e5}\n\n{bs}\nold\n{es}\n");
        let new = splice(&page, "phase 5", "new table\n").unwrap();
        assert_eq!(
            new,
            format!("# P\n\n{b5}\n\nnew table\n\n{e5}\n\n{bs}\nold\n{es}\n")
        );
        assert_eq!(splice(&new, "phase 5", "new table").unwrap(), new);
        assert!(splice("# none", "samples", "x").is_err());
    }
}
