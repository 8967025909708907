//! `getrandom`: fills buffers with bytes that differ call to call, accepts
//! GRND_NONBLOCK (finding U-A3), and rejects unknown or contradictory flags
//! (finding S-A1').

#![no_std]
#![no_main]

use vrt::errno::Errno;
use vrt::syscall::syscall3;
use vrt::{check, check_eq};

vrt::entry!(main);

const GETRANDOM: usize = vrt::nr::GETRANDOM;
const GRND_NONBLOCK: usize = vrt::uapi::random::GRND_NONBLOCK as usize;
const GRND_RANDOM: usize = vrt::uapi::random::GRND_RANDOM as usize;
const GRND_INSECURE: usize = vrt::uapi::random::GRND_INSECURE as usize;

fn getrandom(buf: *mut u8, len: usize, flags: usize) -> Result<usize, Errno> {
    // SAFETY: the kernel writes at most `len` bytes at `buf`, or fails.
    Errno::from_ret(unsafe { syscall3(GETRANDOM, buf as usize, len, flags) })
}

fn main(_args: &vrt::Args) -> i32 {
    let (mut a, mut b) = ([0u8; 64], [0u8; 64]);
    check_eq!(
        getrandom(a.as_mut_ptr(), a.len(), 0),
        Ok(64),
        "getrandom(64, 0) fills 64 bytes"
    );
    check_eq!(
        getrandom(b.as_mut_ptr(), b.len(), GRND_NONBLOCK),
        Ok(64),
        "GRND_NONBLOCK fills 64 bytes"
    );
    check!(a != b, "two calls give different bytes");
    check!(a.iter().any(|&x| x != 0), "the bytes are not all zero");
    check_eq!(
        getrandom(a.as_mut_ptr(), 0, 0),
        Ok(0),
        "a zero-length request returns 0"
    );
    check_eq!(
        getrandom(a.as_mut_ptr(), 8, 8),
        Err(Errno::EINVAL),
        "an unknown flag -> EINVAL"
    );
    check_eq!(
        getrandom(a.as_mut_ptr(), 8, GRND_RANDOM | GRND_INSECURE),
        Err(Errno::EINVAL),
        "GRND_RANDOM|GRND_INSECURE -> EINVAL"
    );
    check_eq!(
        getrandom(core::ptr::null_mut(), 8, 0),
        Err(Errno::EFAULT),
        "a NULL buffer -> EFAULT"
    );
    let mut big = [0u8; 3000];
    check_eq!(
        getrandom(big.as_mut_ptr(), big.len(), 0),
        Ok(3000),
        "a 3000-byte request is filled"
    );
    vrt::check::all_passed();
    0
}
