//! Reading a child's output pipe in the background, without hanging on it.
//!
//! A pipe reaches end-of-file only when every process holding its write end
//! is gone, and a child may leave a grandchild behind that still holds it.
//! So the reader runs in a thread, and the caller waits for it only so long,
//! then takes what has arrived.

use std::io::{Read, Write};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// Output being collected from a pipe.
pub struct Collector {
    data: Arc<Mutex<Vec<u8>>>,
    done: mpsc::Receiver<()>,
}

/// Starts reading `pipe` to its end; with `tee`, also copies it to our
/// stderr as it arrives.
pub fn collect<R: Read + Send + 'static>(mut pipe: R, tee: bool) -> Collector {
    let data = Arc::new(Mutex::new(Vec::new()));
    let (tx, done) = mpsc::channel();
    let sink = Arc::clone(&data);
    thread::spawn(move || {
        let mut buf = [0u8; 4096];
        loop {
            match pipe.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    if tee {
                        let mut err = std::io::stderr();
                        let _ = err.write_all(&buf[..n]);
                        let _ = err.flush();
                    }
                    if let Ok(mut all) = sink.lock() {
                        all.extend_from_slice(&buf[..n]);
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        let _ = tx.send(());
    });
    Collector { data, done }
}

impl Collector {
    /// Waits up to `grace` for the end of the pipe, then returns what was read.
    pub fn finish(self, grace: Duration) -> Vec<u8> {
        let _ = self.done.recv_timeout(grace);
        match self.data.lock() {
            Ok(all) => all.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::process::{Command, Stdio};
    use std::time::Instant;

    use super::*;

    #[test]
    fn collects_everything() {
        let mut child = Command::new("sh")
            .args(["-c", "printf 'one\\ntwo\\n'"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let out = collect(child.stdout.take().unwrap(), false);
        child.wait().unwrap();
        assert_eq!(out.finish(Duration::from_secs(10)), b"one\ntwo\n");
    }

    #[test]
    fn does_not_wait_for_a_grandchild_holding_the_pipe() {
        let mut child = Command::new("sh")
            .args(["-c", "echo early; sleep 30 & exit 0"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let out = collect(child.stdout.take().unwrap(), false);
        child.wait().unwrap();
        let start = Instant::now();
        assert_eq!(out.finish(Duration::from_millis(300)), b"early\n");
        assert!(start.elapsed() < Duration::from_secs(5));
    }
}
