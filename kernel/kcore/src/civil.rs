//! Calendar arithmetic: days between 1970-01-01 and a date of the proleptic
//! Gregorian calendar, for turning the RTC's date into Unix time.
//! (The era-based method: 400-year eras of 146097 days.)

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: i64,
    /// 1-12
    pub month: u8,
    /// 1-31
    pub day: u8,
}

/// Days from 1970-01-01 to `date` (negative before it).
pub fn days_since_epoch(date: Date) -> i64 {
    // Count years from March, so the leap day is the last day of a year.
    let (m, d) = (i64::from(date.month), i64::from(date.day));
    let y = if m <= 2 { date.year - 1 } else { date.year };
    let era = y.div_euclid(400);
    let year_of_era = y.rem_euclid(400);
    let month_from_march = (m + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + d - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(year: i64, month: u8, day: u8) -> i64 {
        days_since_epoch(Date { year, month, day })
    }

    #[test]
    fn known_dates() {
        assert_eq!(days(1970, 1, 1), 0);
        assert_eq!(days(1970, 1, 2), 1);
        assert_eq!(days(1969, 12, 31), -1);
        // 2000-03-01 is 11017 days after the epoch (30 years, 7 leap days, Jan+Feb 2000).
        assert_eq!(days(2000, 3, 1), 30 * 365 + 7 + 31 + 29);
        // 2038-01-19 is where a signed 32-bit time_t ends: 2^31 s / 86400 s.
        assert_eq!(days(2038, 1, 19), (1i64 << 31) / 86_400);
    }

    #[test]
    fn consecutive_days_are_one_apart_across_years() {
        let mut prev = days(1999, 12, 31);
        for (y, m) in [(2000, 1), (2000, 2), (2000, 3), (2100, 2), (2100, 3)] {
            let first = days(y, m, 1);
            assert!(first > prev);
            prev = first;
        }
        // Leap rules: 2000 is leap (Feb has 29 days), 2100 is not (28).
        assert_eq!(days(2000, 3, 1) - days(2000, 2, 1), 29);
        assert_eq!(days(2100, 3, 1) - days(2100, 2, 1), 28);
        assert_eq!(days(2024, 3, 1) - days(2024, 2, 1), 29);
        assert_eq!(days(2023, 3, 1) - days(2023, 2, 1), 28);
    }
}
