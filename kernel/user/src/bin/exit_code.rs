//! `exit_code N`: exits with status N (decimal, 0 to 255).
//!
//! Checks that the kernel passes argv and reports the exit status to the
//! parent (the runner) intact: `exit_code 42` must end with status 42, and
//! `exit_code 255` with 255, the largest status that survives.

#![no_std]
#![no_main]

vrt::entry!(main);

/// The status for a missing or malformed argument (like a shell's usage error).
const USAGE_STATUS: i32 = 2;

fn main(args: &vrt::Args) -> i32 {
    let Some(status) = args.arg(1).and_then(parse_status) else {
        vrt::eprintln!("usage: exit_code N   (N: a decimal number from 0 to 255)");
        return USAGE_STATUS;
    };
    vrt::println!("exit_code: exiting with status {status}");
    status
}

/// Parses `text` as a decimal number from 0 to 255.
fn parse_status(text: &core::ffi::CStr) -> Option<i32> {
    let status: u8 = text.to_str().ok()?.parse().ok()?;
    Some(i32::from(status))
}
