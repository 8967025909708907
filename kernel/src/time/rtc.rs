//! The CMOS real-time clock: read once at boot for the wall-clock time.
//! QEMU's RTC runs in UTC, which is what `CLOCK_REALTIME` wants.

use x86_64::instructions::port::Port;

fn cmos(reg: u8) -> u8 {
    // SAFETY: CMOS index/data ports; selecting and reading a register has
    // no effect beyond the RTC (bit 7 of the index keeps NMIs enabled).
    unsafe {
        Port::<u8>::new(0x70).write(reg);
        Port::<u8>::new(0x71).read()
    }
}

fn read_raw() -> [u8; 6] {
    // Wait out an update in progress (it lasts under 2 ms), then read
    // seconds..year.
    while cmos(0x0a) & 0x80 != 0 {}
    [0x00, 0x02, 0x04, 0x07, 0x08, 0x09].map(cmos)
}

/// Seconds since 1970-01-01 UTC, or `None` without an RTC (QEMU's microvm
/// has none unless started with `rtc=on`): an absent device reads as 0xff.
pub fn read_unix_seconds() -> Option<u64> {
    if cmos(0x0a) == 0xff && cmos(0x0b) == 0xff {
        return None;
    }
    // Read until two reads agree, so no field changed in between.
    let mut raw = read_raw();
    loop {
        let again = read_raw();
        if again == raw {
            break;
        }
        raw = again;
    }
    let status_b = cmos(0x0b);
    let binary = status_b & 0x04 != 0;
    let hour24 = status_b & 0x02 != 0;
    let decode = |v: u8| {
        if binary {
            v
        } else {
            (v & 0x0f) + (v >> 4) * 10
        }
    };
    let [sec, min, hour, day, month, year] = raw;
    let mut h = decode(hour & 0x7f);
    if !hour24 && hour & 0x80 != 0 {
        h = (h % 12) + 12; // PM
    }
    let date = kcore::civil::Date {
        year: 2000 + i64::from(decode(year)),
        month: decode(month),
        day: decode(day),
    };
    let days = kcore::civil::days_since_epoch(date);
    Some(
        (days as u64) * 86_400
            + u64::from(h) * 3600
            + u64::from(decode(min)) * 60
            + u64::from(decode(sec)),
    )
}
