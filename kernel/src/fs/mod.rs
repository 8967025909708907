//! Files: the in-memory tree (`kcore::fs::Tree`) unpacked from the
//! initramfs, open-file descriptions, per-process descriptor tables, and the
//! console device.

pub mod console;
pub mod fdtable;
pub mod file;
pub mod pipe;
pub mod stat;

use kcore::fs::Tree;
use spin::{Mutex, Once};

static TREE: Once<Mutex<Tree>> = Once::new();

/// Unpacks the initramfs (a cpio `newc` archive) into the file tree.
pub fn init(initramfs: &[u8]) {
    let tree = match Tree::from_cpio(initramfs) {
        Ok(tree) => tree,
        Err(e) => panic!("the initramfs is not a valid cpio newc archive: {e:?}"),
    };
    TREE.call_once(|| Mutex::new(tree));
}

/// Runs `f` with the file tree locked.
pub fn with_tree<R>(f: impl FnOnce(&mut Tree) -> R) -> R {
    f(&mut TREE.get().expect("fs::init ran at boot").lock())
}
