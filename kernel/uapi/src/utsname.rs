//! `uname`: `struct utsname`, six NUL-terminated fields of 65 bytes.

#![allow(missing_docs)]

/// The length of each field, its NUL included.
pub const UTSNAME_LENGTH: usize = 65;

/// What `uname` fills in.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Utsname {
    pub sysname: [u8; UTSNAME_LENGTH],
    pub nodename: [u8; UTSNAME_LENGTH],
    pub release: [u8; UTSNAME_LENGTH],
    pub version: [u8; UTSNAME_LENGTH],
    pub machine: [u8; UTSNAME_LENGTH],
    pub domainname: [u8; UTSNAME_LENGTH],
}
