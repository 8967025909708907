//! Character devices: `/dev/null`, `/dev/zero` and `/dev/console`. The
//! kernel puts their nodes (`kcore::fs::NodeKind::CharDev`) in `/dev` at
//! boot; an open file on one of them reads and writes through here, by
//! device number, with Linux's numbers and behaviour.

use crate::fs::console;
use kcore::errno::{Errno, KResult};
use kcore::fs::{NodeKind, Tree};

/// Device numbers as `st_rdev` shows them: major << 8 | minor.
pub const NULL: u32 = (1 << 8) | 3;
pub const ZERO: u32 = (1 << 8) | 5;
pub const CONSOLE: u32 = (5 << 8) | 1;

/// The nodes made at boot: name, device, permission bits (Linux's).
const NODES: [(&[u8], u32, u32); 3] = [
    (b"null", NULL, 0o666),
    (b"zero", ZERO, 0o666),
    (b"console", CONSOLE, 0o600),
];

/// Creates `/dev` and the device nodes in it. One the initramfs already
/// holds under that name is left alone (and logged).
pub fn create_nodes(tree: &mut Tree) {
    let dev = match tree.mkdir_p(b"/dev", 0o755) {
        Ok(dev) => dev,
        Err(e) => return crate::kprintln!("cannot create /dev: {}", e.name()),
    };
    for (name, rdev, mode) in NODES {
        if let Err(e) = tree.create(dev, name, NodeKind::CharDev(rdev), mode) {
            crate::kprintln!(
                "cannot create /dev/{}: {}",
                core::str::from_utf8(name).unwrap_or("?"),
                e.name()
            );
        }
    }
}

/// Whether device `rdev` has a driver here. Opening a character device
/// node made by `mknod` with any other number fails with `ENXIO`, as Linux
/// answers for a device number no driver claims.
pub fn has_driver(rdev: u32) -> bool {
    NODES.iter().any(|&(_, known, _)| known == rdev)
}

/// Reads from device `rdev`: `null` is always at its end, `zero` fills
/// the buffer with zeros, `console` waits for input.
pub fn read(rdev: u32, buf: &mut [u8]) -> KResult<usize> {
    match rdev {
        NULL => Ok(0),
        ZERO => {
            buf.fill(0);
            Ok(buf.len())
        }
        CONSOLE => console::read(buf),
        _ => Err(Errno::ENODEV),
    }
}

/// Writes to device `rdev`: `null` and `zero` swallow everything.
pub fn write(rdev: u32, buf: &[u8]) -> KResult<usize> {
    match rdev {
        NULL | ZERO => Ok(buf.len()),
        CONSOLE => {
            console::write(buf);
            Ok(buf.len())
        }
        _ => Err(Errno::ENODEV),
    }
}

/// `lseek` on device `rdev`: `null` and `zero` accept any seek and stay
/// at 0, as on Linux; the console is a tty, which cannot seek.
pub fn seek(rdev: u32) -> KResult<u64> {
    match rdev {
        NULL | ZERO => Ok(0),
        _ => Err(Errno::ESPIPE),
    }
}
