//! `fdcheck FD open|closed`: exits 0 if descriptor FD is in the given
//! state, 1 otherwise (used by `pipes` to see O_CLOEXEC act across execve).

#![no_std]
#![no_main]

vrt::entry!(main);

fn main(args: &vrt::Args) -> i32 {
    let (Some(fd), Some(want)) = (args.arg(1), args.arg(2)) else {
        return 2;
    };
    let fd: i32 = core::str::from_utf8(fd.to_bytes())
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(-1);
    let open = vrt::pipes::fcntl(fd, vrt::pipes::F_GETFD, 0).is_ok();
    match (want.to_bytes(), open) {
        (b"open", true) | (b"closed", false) => 0,
        _ => 1,
    }
}
