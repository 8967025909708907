//! Progress lines for long steps, on stderr: `building kernel (phase 0)… 12.3 s`.
//!
//! A step prints its label when it starts and its time when it ends, on the
//! same line. A step whose tool prints on the terminal meanwhile (verbose
//! mode) uses a block instead: the label on one line, the tool's output, then
//! `label: 12.3 s`.

use std::io::Write;
use std::time::{Duration, Instant};

/// One running step.
pub struct Progress {
    label: String,
    start: Instant,
    block: bool,
    open: bool,
}

impl Progress {
    /// Starts a one-line step.
    pub fn start(label: impl Into<String>) -> Progress {
        Progress::begin(label.into(), false)
    }

    /// A one-line step, or a block one if `block`.
    pub fn new(label: impl Into<String>, block: bool) -> Progress {
        Progress::begin(label.into(), block)
    }

    fn begin(label: String, block: bool) -> Progress {
        let mut err = std::io::stderr().lock();
        if block {
            let _ = writeln!(err, "{label}…");
        } else {
            let _ = write!(err, "{label}… ");
        }
        let _ = err.flush();
        Progress {
            label,
            start: Instant::now(),
            block,
            open: true,
        }
    }

    /// Ends the step successfully.
    pub fn done(self) -> Duration {
        self.finish("")
    }

    /// Ends the step successfully, with a note after the time.
    pub fn done_with(self, note: &str) -> Duration {
        self.finish(&format!(" ({note})"))
    }

    /// Ends the step as failed.
    pub fn fail(self) -> Duration {
        self.finish(" — failed")
    }

    fn finish(mut self, suffix: &str) -> Duration {
        let elapsed = self.start.elapsed();
        self.open = false;
        let time = format_secs(elapsed);
        if self.block {
            eprintln!("{}: {time}{suffix}", self.label);
        } else {
            eprintln!("{time}{suffix}");
        }
        elapsed
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        // An early return (an error) left the line open: close it.
        if self.open {
            eprintln!("{} — stopped", format_secs(self.start.elapsed()));
        }
    }
}

/// `12.3 s`.
pub fn format_secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// `0.08s`, for boot times.
pub fn format_boot(d: Duration) -> String {
    format!("{:.2}s", d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_times() {
        assert_eq!(format_secs(Duration::from_millis(12_345)), "12.3 s");
        assert_eq!(format_secs(Duration::ZERO), "0.0 s");
        assert_eq!(format_boot(Duration::from_millis(80)), "0.08s");
        assert_eq!(format_boot(Duration::from_millis(1234)), "1.23s");
    }
}
