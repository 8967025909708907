//! `uname`: every field is a NUL-terminated string and every byte after
//! its NUL is zero, in a buffer that held 0xAA before the call: the kernel
//! zero-fills the structure before it fills it in, so none of its memory
//! reaches the process through the padding (finding S-A3). Prints only what
//! is the same on vibix and Linux (not the names themselves).

#![no_std]
#![no_main]

use vrt::errno::Errno;
use vrt::syscall::syscall1;
use vrt::uapi::utsname::{UTSNAME_LENGTH, Utsname};
use vrt::{check, check_eq};

vrt::entry!(main);

fn main(_args: &vrt::Args) -> i32 {
    let mut buf = [0xAAu8; size_of::<Utsname>() + 16];
    // SAFETY: the kernel writes one struct utsname at the start of `buf`.
    let r = unsafe { syscall1(vrt::nr::UNAME, buf.as_mut_ptr() as usize) };
    check_eq!(Errno::from_ret(r), Ok(0), "uname succeeds");
    check!(
        buf[size_of::<Utsname>()..].iter().all(|&b| b == 0xAA),
        "nothing past the structure changed"
    );
    let names = [
        "sysname",
        "nodename",
        "release",
        "version",
        "machine",
        "domainname",
    ];
    for (i, name) in names.iter().enumerate() {
        let field = &buf[i * UTSNAME_LENGTH..(i + 1) * UTSNAME_LENGTH];
        let Some(nul) = field.iter().position(|&b| b == 0) else {
            vrt::check::fail(
                format_args!("{name} is NUL-terminated"),
                format_args!("no NUL"),
            )
        };
        check!(
            field[nul..].iter().all(|&b| b == 0),
            "{name}: every byte after its NUL is zero"
        );
        check!(
            field[..nul]
                .iter()
                .all(|&b| b.is_ascii_graphic() || b == b' '),
            "{name}: printable text"
        );
    }
    check!(buf[0] != 0, "sysname is not empty");
    let machine = &buf[4 * UTSNAME_LENGTH..4 * UTSNAME_LENGTH + 7];
    check_eq!(machine, b"x86_64\0", "machine is x86_64");
    vrt::check::all_passed();
    0
}
