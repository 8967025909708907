//! What a result was measured on: the host's CPU, cores and memory, its
//! load, QEMU's version and the date (UTC), read from `/proc` and
//! `qemu-system-x86_64 --version`.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// The machine and the moment of a run.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MachineInfo {
    pub cpu: String,
    pub cores: usize,
    pub memory_gib: u64,
    /// `/proc/loadavg`'s 1, 5 and 15 minute averages before the run.
    pub load_before: String,
    pub qemu: String,
    /// `YYYY-MM-DD`, UTC.
    pub date: String,
}

impl MachineInfo {
    pub fn read(qemu: &Path) -> MachineInfo {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_else(|| "unknown".into());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let kib: u64 = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0);
        let qemu_version = std::process::Command::new(qemu)
            .arg("--version")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| s.lines().next().map(str::to_owned))
            .unwrap_or_else(|| "unknown".into());
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        MachineInfo {
            cpu,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            memory_gib: (kib + (1 << 19)) >> 20,
            load_before: load_average(),
            qemu: qemu_version,
            date: date_of(secs),
        }
    }
}

/// `/proc/loadavg`'s first three fields.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// `YYYY-MM-DD` of `secs` after the epoch (UTC), by the proleptic
/// Gregorian calendar: count 400-year eras from 0000-03-01, so that the leap
/// day ends each year.
pub fn date_of(secs: u64) -> String {
    let days = (secs / 86_400) as i64 + 719_468; // days from 0000-03-01
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(date_of(0), "1970-01-01");
        assert_eq!(date_of(951_782_400), "2000-02-29");
        assert_eq!(date_of(1_735_689_600), "2025-01-01");
        assert_eq!(date_of(1_709_208_000), "2024-02-29");
        assert_eq!(date_of(1_767_225_599), "2025-12-31");
    }
}
