//! What can be wrong with an object, as the dynamic linker reports it. Every
//! check of the other modules ends in one of these, never in a panic: the
//! linker prints the message and exits with status 127, as glibc's does.

use core::fmt;

/// A malformed object, a relocation that cannot be applied, or a symbol
/// that cannot be found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// `len` bytes at link-time address `addr` are not all inside the object.
    OutOfObject {
        what: &'static str,
        addr: u64,
        len: u64,
    },
    /// A table's size is not a whole number of entries.
    BadTableSize { what: &'static str, size: u64 },
    /// A table's declared entry size is not the one of its format.
    BadEntrySize { what: &'static str, size: u64 },
    /// A table the dynamic section needs is missing (a string table without
    /// its size, a symbol table without a hash table, …).
    Missing(&'static str),
    /// The dynamic section has no `DT_NULL`, or a string no NUL.
    Unterminated(&'static str),
    /// A table of a kind x86_64 objects do not use (`DT_REL`, a `DT_PLTREL`
    /// other than `DT_RELA`).
    Unsupported(&'static str),
    /// A hash table whose header or chains contradict themselves.
    BadHash(&'static str),
    /// A relocation type `ld-vibix` does not implement.
    UnknownRelocation { r_type: u32, offset: u64 },
    /// A relocation's value does not fit its field (`PC32`: 32 bits, signed).
    Overflow { r_type: u32, offset: u64 },
    /// A relocation's symbol index is past the symbol table.
    BadSymbolIndex(u32),
    /// A `DT_RELR` bitmap before any address.
    BadRelr,
    /// A symbol no loaded object defines (index in the referring object).
    Undefined(u32),
    /// A `PT_LOAD` segment that cannot be mapped as it is.
    BadSegment(&'static str),
    /// A `PT_TLS` segment that cannot be placed.
    BadTls(&'static str),
    /// A file that is not an x86_64 shared object.
    BadHeader(&'static str),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Error::OutOfObject { what, addr, len } => {
                write!(f, "{what}: {len} bytes at {addr:#x} lie outside the object")
            }
            Error::BadTableSize { what, size } => {
                write!(f, "{what}: size {size} is not a whole number of entries")
            }
            Error::BadEntrySize { what, size } => write!(f, "{what}: bad entry size {size}"),
            Error::Missing(what) => write!(f, "bad dynamic section: no {what}"),
            Error::Unterminated(what) => write!(f, "{what} is not terminated"),
            Error::Unsupported(what) => write!(f, "unsupported {what}"),
            Error::BadHash(what) => write!(f, "bad hash table: {what}"),
            Error::UnknownRelocation { r_type, offset } => {
                write!(f, "unknown relocation type {r_type} at {offset:#x}")
            }
            Error::Overflow { r_type, offset } => {
                write!(
                    f,
                    "relocation type {r_type} at {offset:#x}: value out of range"
                )
            }
            Error::BadSymbolIndex(i) => write!(f, "symbol index {i} is past the symbol table"),
            Error::BadRelr => write!(f, "DT_RELR: a bitmap before any address"),
            Error::Undefined(i) => write!(f, "undefined symbol (index {i})"),
            Error::BadSegment(what) => write!(f, "bad PT_LOAD segment: {what}"),
            Error::BadTls(what) => write!(f, "bad PT_TLS segment: {what}"),
            Error::BadHeader(what) => write!(f, "bad ELF header: {what}"),
        }
    }
}
