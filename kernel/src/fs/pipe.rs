//! Pipes: a 64 KiB byte queue between a read end and a write end. A reader
//! sleeps while the pipe is empty and writers remain; reading an empty pipe
//! with no writers is end-of-file. A writer sleeps while the pipe is full;
//! writing with no readers left is EPIPE plus SIGPIPE. A write of up to
//! `PIPE_BUF` bytes is atomic (it waits for room for all of it). `O_NONBLOCK` turns
//! both sleeps into EAGAIN. The ends count themselves: dropping the last
//! open file of an end (close, exit, exec) wakes the other side.

use crate::proc::waitq::WaitQueue;
use alloc::collections::VecDeque;
use alloc::sync::Arc;
use kcore::errno::{Errno, KResult};
use spin::Mutex;

pub const CAPACITY: usize = 64 * 1024;
/// Writes of at most this many bytes are atomic, as POSIX promises: they go
/// in whole or wait for room, never interleaved with another writer's data.
pub const PIPE_BUF: usize = 4096;

struct Buffer {
    bytes: VecDeque<u8>,
    readers: usize,
    writers: usize,
}

pub struct Pipe {
    buffer: Mutex<Buffer>,
    /// Readers wait here for data (or for the last writer to go).
    readable: WaitQueue,
    /// Writers wait here for room (or for the last reader to go).
    writable: WaitQueue,
}

/// One end of a pipe, held by an open-file description.
pub struct PipeEnd {
    pipe: Arc<Pipe>,
    pub is_writer: bool,
}

/// A new pipe: (read end, write end).
pub fn new() -> (PipeEnd, PipeEnd) {
    let pipe = Arc::new(Pipe {
        buffer: Mutex::new(Buffer {
            bytes: VecDeque::new(),
            readers: 1,
            writers: 1,
        }),
        readable: WaitQueue::new(),
        writable: WaitQueue::new(),
    });
    (
        PipeEnd {
            pipe: pipe.clone(),
            is_writer: false,
        },
        PipeEnd {
            pipe,
            is_writer: true,
        },
    )
}

impl PipeEnd {
    /// Names the pipe (both ends give the same number while it exists):
    /// what `flock` locks.
    pub fn pipe_id(&self) -> usize {
        Arc::as_ptr(&self.pipe) as usize
    }

    /// Readiness for `poll`.
    pub fn poll(&self) -> i16 {
        use crate::fs::file::{POLLERR, POLLHUP, POLLIN, POLLOUT};
        let b = self.pipe.buffer.lock();
        if self.is_writer {
            if b.readers == 0 {
                POLLOUT | POLLERR
            } else if b.bytes.len() < CAPACITY {
                POLLOUT
            } else {
                0
            }
        } else {
            let data = if b.bytes.is_empty() { 0 } else { POLLIN };
            data | if b.writers == 0 { POLLHUP } else { 0 }
        }
    }

    pub fn read(&self, buf: &mut [u8], nonblock: bool) -> KResult<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            {
                let mut b = self.pipe.buffer.lock();
                if !b.bytes.is_empty() {
                    let n = buf.len().min(b.bytes.len());
                    // Slice copies (memcpy), then the bytes leave the
                    // front at once: not a byte-by-byte drain.
                    let (front, back) = b.bytes.as_slices();
                    let k = n.min(front.len());
                    buf[..k].copy_from_slice(&front[..k]);
                    buf[k..n].copy_from_slice(&back[..n - k]);
                    b.bytes.drain(..n);
                    drop(b);
                    self.pipe.writable.wake_all();
                    crate::fs::file::POLL_WAIT.wake_all();
                    return Ok(n);
                }
                if b.writers == 0 {
                    return Ok(0);
                }
            }
            if nonblock {
                return Err(Errno::EAGAIN);
            }
            self.pipe.readable.sleep()?;
        }
    }

    /// Writes all of `buf` unless interrupted or non-blocking (then it
    /// reports what it wrote, or EAGAIN/EINTR if nothing). Up to
    /// [`PIPE_BUF`] bytes go in at once or not at all.
    pub fn write(&self, buf: &[u8], nonblock: bool) -> KResult<usize> {
        let atomic = buf.len() <= PIPE_BUF;
        let mut done = 0;
        while done < buf.len() {
            {
                let mut b = self.pipe.buffer.lock();
                if b.readers == 0 {
                    drop(b);
                    let _ = crate::proc::signal::send_thread(
                        None,
                        crate::proc::current_tid(),
                        kcore::signal::SIGPIPE,
                        crate::proc::signal::Origin::user(crate::proc::current_pid()),
                    );
                    return Err(Errno::EPIPE);
                }
                let room = CAPACITY - b.bytes.len();
                if room >= if atomic { buf.len() } else { 1 } {
                    let n = room.min(buf.len() - done);
                    b.bytes.extend(&buf[done..done + n]);
                    done += n;
                    drop(b);
                    self.pipe.readable.wake_all();
                    crate::fs::file::POLL_WAIT.wake_all();
                    continue;
                }
            }
            let stop = if nonblock {
                Err(Errno::EAGAIN)
            } else {
                self.pipe.writable.sleep()
            };
            if let Err(e) = stop {
                return if done > 0 { Ok(done) } else { Err(e) };
            }
        }
        Ok(done)
    }
}

impl Drop for PipeEnd {
    fn drop(&mut self) {
        let mut b = self.pipe.buffer.lock();
        if self.is_writer {
            b.writers -= 1;
        } else {
            b.readers -= 1;
        }
        drop(b);
        self.pipe.readable.wake_all();
        self.pipe.writable.wake_all();
        crate::fs::file::POLL_WAIT.wake_all();
    }
}
