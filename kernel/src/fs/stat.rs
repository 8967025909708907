//! Filling in `struct stat` (its layout is `vibix_uapi::stat::Stat`),
//! zero-filled first so no kernel bytes leak through padding (finding S-A3).

use crate::fs::file::Target;
use kcore::fs::{Ino, NodeKind, Timestamp, Tree};

pub use vibix_uapi::stat::Stat;
use vibix_uapi::stat::{S_IFCHR, S_IFIFO};

/// The tty's device number, like Linux's ttyS0 (major 4, minor 64).
const CONSOLE_RDEV: u64 = (4 << 8) | 64;

/// The status of an open file.
pub fn of(target: &Target) -> Stat {
    let mut st = Stat {
        st_blksize: 4096,
        ..Stat::default()
    };
    match target {
        Target::Console => {
            st.st_mode = S_IFCHR | 0o620;
            st.st_rdev = CONSOLE_RDEV;
            st.st_nlink = 1;
            st.st_blksize = 1024;
        }
        Target::Pipe(_) => {
            st.st_mode = S_IFIFO | 0o600;
            st.st_nlink = 1;
        }
        &Target::Node(ino) => return crate::fs::read_tree(|t| of_node(t, ino)),
    }
    st
}

/// The status of node `ino` of `tree` (locked by the caller).
pub fn of_node(tree: &Tree, ino: Ino) -> Stat {
    let node = tree.node(ino);
    let size = match node.kind {
        NodeKind::Dir(_) => 4096,
        _ => node.size(),
    };
    let (atime, mtime, ctime) = (node.times.atime, node.times.mtime, node.times.ctime);
    let nsec = |t: Timestamp| i64::from(t.nsec);
    Stat {
        st_ino: kcore::fs::inode_number(ino),
        st_nlink: u64::from(node.nlink),
        st_mode: node.file_type().mode_bits() | (node.mode & 0o7777),
        st_rdev: match node.kind {
            NodeKind::CharDev(rdev) | NodeKind::BlockDev(rdev) => u64::from(rdev),
            _ => 0,
        },
        st_size: size as i64,
        st_blksize: 4096,
        st_blocks: size.div_ceil(512) as i64,
        st_atime: atime.sec,
        st_atime_nsec: nsec(atime),
        st_mtime: mtime.sec,
        st_mtime_nsec: nsec(mtime),
        st_ctime: ctime.sec,
        st_ctime_nsec: nsec(ctime),
        ..Stat::default()
    }
}

/// The bytes `stat` copies out.
pub fn as_bytes(st: &Stat) -> &[u8] {
    const _: () = assert!(core::mem::size_of::<Stat>() == 144);
    // SAFETY: Stat is repr(C) plain integers with no padding (144 bytes,
    // every field naturally aligned, the gap after st_gid an explicit
    // field), so every byte is initialized (zero-filled by Default where
    // unused).
    unsafe { core::slice::from_raw_parts((st as *const Stat).cast::<u8>(), 144) }
}
