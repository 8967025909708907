//! `devices`: the device nodes the kernel makes at boot, and who a process
//! is.
//!
//! `/dev` holds `console`, `null` and `zero`, character devices with
//! Linux's numbers and modes; writing to `/dev/console` reaches the console
//! like stdout does; and every process is root (user and group 0). The
//! host's `/dev/console` and user are its own, so this is not compared with
//! Linux (`fsmatrix` compares `/dev/null` and `/dev/zero`).

#![no_std]
#![no_main]

use vrt::dirent::{self, DT_CHR};
use vrt::errno::Errno;
use vrt::fs::{self, O_DIRECTORY, O_RDONLY, O_WRONLY, SEEK_SET};
use vrt::fsops;
use vrt::io;
use vrt::stat::S_IFCHR;
use vrt::{check, check_eq, check_ok, cred};

vrt::entry!(main);

fn main(_args: &vrt::Args) -> i32 {
    let fd = check_ok!(fs::open(c"/dev/console", O_WRONLY, 0), "open /dev/console");
    let line = b"this line went through /dev/console\n";
    check_eq!(io::write(fd, line), Ok(line.len()), "write a line to it");
    let st = check_ok!(fs::fstat(fd), "fstat it");
    check_eq!(st.file_type(), S_IFCHR, "a character device");
    check_eq!(st.st_rdev, (5 << 8) | 1, "device 5:1");
    check_eq!(st.permissions(), 0o600, "mode 0600");
    check_eq!(
        fs::lseek(fd, 0, SEEK_SET),
        Err(Errno::ESPIPE),
        "lseek on it -> ESPIPE"
    );
    check_eq!(
        fsops::fsync(fd),
        Err(Errno::EINVAL),
        "fsync on it -> EINVAL"
    );
    check_ok!(fs::close(fd), "close");

    for (path, rdev) in [(c"/dev/null", (1 << 8) | 3), (c"/dev/zero", (1 << 8) | 5)] {
        let st = check_ok!(fsops::stat(path), "stat {path:?}");
        check_eq!(
            (st.file_type(), st.st_rdev, st.permissions()),
            (S_IFCHR, rdev, 0o666),
            "{path:?}: a character device, {}:{}, mode 0666",
            rdev >> 8,
            rdev & 0xff
        );
    }

    let dev = check_ok!(fs::open(c"/dev", O_RDONLY | O_DIRECTORY, 0), "open /dev");
    let mut buf = [0u8; 512];
    let n = check_ok!(dirent::getdents64(dev, &mut buf), "list /dev");
    let mut found = [false; 3];
    for rec in dirent::records(&buf[..n]) {
        for (i, name) in [&b"console"[..], b"null", b"zero"].into_iter().enumerate() {
            if rec.name == name && rec.d_type == DT_CHR {
                found[i] = true;
            }
        }
    }
    check_eq!(
        found,
        [true; 3],
        "/dev lists console, null and zero as DT_CHR"
    );
    check_ok!(fs::close(dev), "close");

    check_eq!(
        (
            cred::getuid(),
            cred::geteuid(),
            cred::getgid(),
            cred::getegid()
        ),
        (0, 0, 0, 0),
        "uid, euid, gid, egid are all 0: root"
    );
    check!(true, "done");
    vrt::check::all_passed();
    0
}
