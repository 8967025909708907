//! `struct stat` exactly as Linux x86_64 lays it out (144 bytes), built
//! zero-filled so no kernel bytes leak through padding (finding S-A3).

use crate::fs::file::Target;
use kcore::fs::{Ino, NodeKind, Tree};

#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct Stat {
    pub st_dev: u64,
    pub st_ino: u64,
    pub st_nlink: u64,
    pub st_mode: u32,
    pub st_uid: u32,
    pub st_gid: u32,
    pub pad0: u32,
    pub st_rdev: u64,
    pub st_size: i64,
    pub st_blksize: i64,
    pub st_blocks: i64,
    pub st_atime: i64,
    pub st_atime_nsec: i64,
    pub st_mtime: i64,
    pub st_mtime_nsec: i64,
    pub st_ctime: i64,
    pub st_ctime_nsec: i64,
    pub reserved: [i64; 3],
}

const _: () = assert!(core::mem::size_of::<Stat>() == 144);

pub const S_IFIFO: u32 = 0o010000;
pub const S_IFCHR: u32 = 0o020000;

/// The tty's device number, like Linux's ttyS0 (major 4, minor 64).
const CONSOLE_RDEV: u64 = (4 << 8) | 64;

impl Stat {
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
            &Target::Node(ino) => return crate::fs::with_tree(|t| Stat::of_node(t, ino)),
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
        Stat {
            st_ino: kcore::fs::inode_number(ino),
            st_nlink: u64::from(node.nlink),
            st_mode: node.file_type().mode_bits() | (node.mode & 0o7777),
            st_rdev: match node.kind {
                NodeKind::CharDev(rdev) => u64::from(rdev),
                _ => 0,
            },
            st_size: size as i64,
            st_blksize: 4096,
            st_blocks: size.div_ceil(512) as i64,
            ..Stat::default()
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        // SAFETY: Stat is repr(C) plain integers with no padding (size
        // asserted above, every field naturally aligned), so every byte is
        // initialized (zero-filled by Default where unused).
        unsafe { core::slice::from_raw_parts((self as *const Stat).cast::<u8>(), 144) }
    }
}
