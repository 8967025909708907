//! vibix: anonymous pipes (`std::io::pipe`, and `Stdio::piped` for a
//! child): `pipe2` with both ends close-on-exec, so a child gets only the
//! ends the parent hands it on purpose.

use crate::io;
use crate::os::fd::FromRawFd;
use crate::sys::cvt_abi;
use crate::sys::fd::FileDesc;

pub type Pipe = FileDesc;

/// `(read end, write end)`.
pub fn pipe() -> io::Result<(Pipe, Pipe)> {
    let (r, w) = cvt_abi(vibix_abi::fd::pipe())?;
    // SAFETY: the kernel just created both descriptors; they are ours alone.
    Ok(unsafe { (FileDesc::from_raw_fd(r), FileDesc::from_raw_fd(w)) })
}
