//! Asking each landed phase's kernel for its syscall table: boot it with
//! the kernel option `vibix.syscalls` (and an empty initramfs), read the
//! `vibix: syscall …` lines of its log. The kernel powers off right after
//! logging, so a boot takes well under a second.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::BootChoice;
use super::phase0::work_dir;
use super::syscalls::{self, Entry, KERNEL_OPTION};
use crate::booting::accel::AccelState;
use crate::booting::boot::{ConsoleMode, Machine};
use crate::booting::outcome::Outcome;
use crate::text::tail_lines;
use crate::{
    Ctx, booting::qemu, building::initramfs, building::kbuild, building::toolchain, phase,
};

/// The syscall reference page, as the kernels report it now.
pub fn page(ctx: &Ctx, boot: &BootChoice) -> Result<String> {
    let landed = phase::landed_numbers(&ctx.repo)?;
    let not_landed: Vec<u32> = phase::later_phases(&ctx.repo)?
        .iter()
        .filter(|p| !p.landed())
        .map(|p| p.number)
        .collect();
    toolchain::ensure(&ctx.sh, &ctx.repo, ctx.verbose)?;
    let work = work_dir(ctx).join("syscalls");
    let rootfs = work.join("rootfs");
    let initrd = work.join("empty.cpio");
    initramfs::stage(&rootfs, &[], &BTreeMap::new())?;
    initramfs::pack(&rootfs, &initrd)?;
    let qemu = qemu::ensure_installed(&ctx.sh)?;
    let mut kernels = Vec::new();
    for n in landed {
        let kernel = kbuild::build_kernel(&ctx.sh, &ctx.repo, n, ctx.verbose)?;
        let mut machine = Machine {
            qemu: qemu.clone(),
            kernel,
            initrd: initrd.clone(),
            accel: AccelState::new(boot.accel, boot.timeout)?,
            verbose: ctx.verbose,
        };
        kernels.push((n, table_of(ctx, &mut machine, n)?));
    }
    syscalls::render(&kernels, &not_landed)
}

fn table_of(ctx: &Ctx, machine: &mut Machine, n: u32) -> Result<Vec<Entry>> {
    let dir = ctx.repo.run_dir(n, "syscall-table");
    let boot = machine
        .boot(
            &dir,
            KERNEL_OPTION,
            ConsoleMode::Captured {
                stdin: b"",
                after: Duration::ZERO,
            },
        )
        .with_context(|| format!("cannot boot phase {n}'s kernel to read its syscall table"))?;
    let entries = syscalls::parse_log(&boot.kernel_log)?;
    if entries.is_empty() || matches!(boot.outcome, Outcome::Panic(_) | Outcome::Timeout(_)) {
        let tail = tail_lines(&boot.kernel_log, 10).join("\n  | ");
        bail!(
            "phase {n}'s kernel, booted with `{KERNEL_OPTION}`, did not log its syscall table \
             ({}); the kernel log ends with:\n  | {tail}\n(logs in {}/)",
            boot.outcome,
            ctx.repo.rel(&dir).display()
        );
    }
    Ok(entries)
}
