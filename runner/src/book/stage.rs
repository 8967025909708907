//! A bootable phase for the book: the phase's kernel, and an initramfs with
//! the phase's root files and the book's programs in `/bin`, under
//! `target/book-blocks/phase<N>/`. The staged tree is also where the same
//! programs run on the Linux host.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Result;

use super::phase0;
use crate::phase::{self, Phase};
use crate::progress::Progress;
use crate::{Ctx, building::initramfs, building::kbuild, building::toolchain};

/// What a boot needs.
pub struct Staged {
    pub kernel: PathBuf,
    pub initrd: PathBuf,
    pub rootfs: PathBuf,
}

/// Builds phase `n`'s kernel and packs `programs` with the phase's files.
pub fn stage(ctx: &Ctx, n: u32, programs: &BTreeMap<String, PathBuf>) -> Result<Staged> {
    let phases = phase::select(&ctx.repo, n)?;
    toolchain::ensure(&ctx.sh, &ctx.repo, ctx.verbose)?;
    let kernel = kbuild::build_kernel(&ctx.sh, &ctx.repo, n, ctx.verbose)?;
    let work = phase0::work_dir(ctx).join(format!("phase{n}"));
    let rootfs = work.join("rootfs");
    let initrd = work.join("initramfs.cpio");
    let progress = Progress::start(format!("packing the book's initramfs (phase {n})"));
    let overlays: Vec<PathBuf> = phases.iter().map(Phase::rootfs_overlay).collect();
    initramfs::stage(&rootfs, &overlays, programs)?;
    initramfs::pack(&rootfs, &initrd)?;
    progress.done();
    Ok(Staged {
        kernel,
        initrd,
        rootfs,
    })
}
