//! Why an executable was refused.

use core::fmt;

use crate::errno::Errno;

/// A reason [`plan`](super::plan) refused an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElfError {
    /// The image ends inside the ELF header.
    Truncated,
    /// The image does not start with the ELF identification
    /// (`\x7fELF`, then a known ELF version).
    BadMagic,
    /// A 32-bit (or unknown class) ELF file.
    NotElf64,
    /// A big-endian (or unknown byte order) ELF file.
    NotLittleEndian,
    /// Built for another machine than x86_64.
    NotX86_64,
    /// Not a static executable (`e_type != ET_EXEC`): a shared object,
    /// position-independent executable, relocatable object or core dump.
    NotExecutable,
    /// The program header table is malformed: wrong entry size, too many
    /// entries, or not inside the file.
    BadPhdr,
    /// Nothing to load: no `PT_LOAD` segment with a non-zero size.
    NoLoadSegments,
    /// A segment's file bytes extend past the end of the image.
    SegmentOutsideFile,
    /// A segment has more bytes in the file than in memory.
    FileszExceedsMemsz,
    /// A segment lies (partly) outside `[USER_MIN, SEGMENTS_END)`: below
    /// the lowest user address, or on or above the main stack.
    SegmentOutsideUser,
    /// Two segments would share a page.
    SegmentsOverlap,
    /// A segment asks to be both writable and executable.
    WriteAndExecute,
    /// A segment's address and file offset differ modulo the page size, so
    /// its file pages cannot be mapped at its address.
    BadAlignment,
    /// The entry point is not inside an executable segment.
    EntryNotExecutable,
    /// A malformed `PT_TLS` segment (or more than one).
    BadTls,
    /// The program wants a dynamic loader (`PT_INTERP`); vibix does not
    /// support dynamic linking yet.
    Interp,
}

impl ElfError {
    /// The error `execve` reports for this problem.
    ///
    /// `ENOEXEC` ("Exec format error") for all of them, except
    /// [`ElfError::SegmentOutsideUser`], which is `ENOMEM`: the file is well
    /// formed, but it asks for memory this address space does not have.
    pub fn errno(&self) -> Errno {
        match self {
            ElfError::SegmentOutsideUser => Errno::ENOMEM,
            _ => Errno::ENOEXEC,
        }
    }
}

impl fmt::Display for ElfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            ElfError::Truncated => "file too short for an ELF header",
            ElfError::BadMagic => "not an ELF file",
            ElfError::NotElf64 => "not a 64-bit ELF file",
            ElfError::NotLittleEndian => "not a little-endian ELF file",
            ElfError::NotX86_64 => "not built for x86_64",
            ElfError::NotExecutable => "not a static executable (ET_EXEC)",
            ElfError::BadPhdr => "malformed program header table",
            ElfError::NoLoadSegments => "no loadable segments",
            ElfError::SegmentOutsideFile => "segment extends past the end of the file",
            ElfError::FileszExceedsMemsz => "segment is larger in the file than in memory",
            ElfError::SegmentOutsideUser => "segment outside the user address range",
            ElfError::SegmentsOverlap => "segments share a page",
            ElfError::WriteAndExecute => "segment is both writable and executable",
            ElfError::BadAlignment => {
                "segment address and file offset disagree modulo the page size"
            }
            ElfError::EntryNotExecutable => "entry point is not in an executable segment",
            ElfError::BadTls => "malformed TLS segment",
            ElfError::Interp => "dynamically linked (PT_INTERP), not supported",
        };
        f.write_str(text)
    }
}
