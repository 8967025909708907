//! vibix: the arguments are the strings `_start` found on the initial stack
//! (`vibix_abi::start`).

pub use super::common::Args;
use crate::ffi::OsString;

/// The program's arguments, copied out of the initial stack.
pub fn args() -> Args {
    let args = match vibix_abi::start::recorded() {
        Some(stack) => stack
            .args()
            .map(|arg| bytes_to_os(arg.to_bytes()))
            .collect(),
        None => Vec::new(),
    };
    Args::new(args)
}

fn bytes_to_os(bytes: &[u8]) -> OsString {
    // SAFETY: on vibix an `OsString` is any sequence of bytes.
    unsafe { OsString::from_encoded_bytes_unchecked(bytes.to_vec()) }
}
