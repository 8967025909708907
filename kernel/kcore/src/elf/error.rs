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
    /// Neither `ET_EXEC` nor `ET_DYN`: a relocatable object or a core dump.
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
    /// `PT_INTERP`'s size is below 2 or above `PATH_MAX` (Linux: `ENOEXEC`).
    InterpSize,
    /// `PT_INTERP`'s bytes are not all inside the file (Linux's read of
    /// them comes back short: `EIO`).
    InterpOutsideFile,
    /// `PT_INTERP`'s last byte is not a NUL (Linux: `ENOEXEC`).
    InterpNotTerminated,
    /// An `ET_DYN` object's segments do not fit in user memory at the
    /// address chosen for them.
    PlacementOutsideUser,
}

impl ElfError {
    /// The error `execve` reports for this problem.
    ///
    /// `ENOEXEC` ("Exec format error") for most, as Linux's
    /// `load_elf_binary`; [`ElfError::SegmentOutsideUser`] and
    /// [`ElfError::PlacementOutsideUser`] are `ENOMEM` (the file is well
    /// formed, but it asks for memory this address space does not have),
    /// and [`ElfError::InterpOutsideFile`] is `EIO`, Linux's answer to the
    /// short read of the path.
    pub fn errno(&self) -> Errno {
        match self {
            ElfError::SegmentOutsideUser | ElfError::PlacementOutsideUser => Errno::ENOMEM,
            ElfError::InterpOutsideFile => Errno::EIO,
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
            ElfError::NotExecutable => "not an executable (ET_EXEC or ET_DYN)",
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
            ElfError::InterpSize => {
                "interpreter path (PT_INTERP) shorter than 2 or longer than PATH_MAX"
            }
            ElfError::InterpOutsideFile => {
                "interpreter path (PT_INTERP) extends past the end of the file"
            }
            ElfError::InterpNotTerminated => "interpreter path (PT_INTERP) is not NUL-terminated",
            ElfError::PlacementOutsideUser => {
                "position-independent object does not fit at its load address"
            }
        };
        f.write_str(text)
    }
}
