//! `runner reloc-audit`: the relocation audit's table (the dynamic
//! relocation types, whether `ld-vibix` applies each, which objects
//! contain it) for a phase's initramfs, built first, for given files, or
//! for the host samples; exit 1 when a type is not applied. The audit
//! itself is `building::relocation_audit`.

use std::path::PathBuf;

use anyhow::{Result, bail};

use crate::Ctx;
use crate::building::{relocation_audit, relocation_samples};
use crate::cli::RelocAuditArgs;
use crate::cmd_phase;

pub fn run(ctx: &Ctx, args: &RelocAuditArgs) -> Result<std::process::ExitCode> {
    let (what, objects) = if args.samples {
        let dir = ctx.repo.target_dir().join("reloc-audit/samples");
        let dir = relocation_samples::build(&ctx.sh, &dir)?;
        let shown = ctx.repo.rel(&dir).display().to_string();
        (
            format!("the host samples ({shown})"),
            relocation_audit::audit_tree(&dir)?,
        )
    } else if !args.paths.is_empty() {
        let mut objects = Vec::new();
        for p in &args.paths {
            if p.is_dir() {
                objects.extend(relocation_audit::audit_tree(p)?);
            } else {
                let bytes = std::fs::read(p)
                    .map_err(|e| anyhow::anyhow!("reading {}: {e}", p.display()))?;
                objects.push(relocation_audit::read(&p.display().to_string(), &bytes)?);
            }
        }
        ("the given files".to_string(), objects)
    } else {
        let n = args.phase;
        if n < relocation_audit::FIRST_PHASE {
            bail!(
                "phase {n} has no dynamic linker: the audit starts at phase {}",
                relocation_audit::FIRST_PHASE
            );
        }
        let built = cmd_phase::build_unaudited(ctx, n)?;
        let rootfs: PathBuf = built.rootfs;
        (
            format!("phase {n}'s initramfs"),
            relocation_audit::audit_tree(&rootfs)?,
        )
    };
    println!("Dynamic relocations in {what}:\n");
    print!("{}", relocation_audit::table(&objects));
    match relocation_audit::check(&objects) {
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
