//! The windows records are counted in, defined once: China time (UTC+8, no daylight saving), weeks
//! from Monday 00:00, calendar months. Leaderboards, challenges, reports and the growth chart all
//! count by these; the database's one translation of them (`db::periods`) is checked against this
//! module by an integration test.
//!
//! Days are numbered from 1970-01-01 in China time (the numbering challenges already store).

/// Seconds China time is ahead of UTC.
pub const CHINA_OFFSET_SECS: i64 = 8 * 3600;

/// The China-time day an instant (seconds since the Unix epoch) falls on.
pub fn china_day(unix_secs: i64) -> i32 {
    (unix_secs + CHINA_OFFSET_SECS).div_euclid(86_400) as i32
}

/// Monday-based week number of a day number: 1970-01-01 was a Thursday, so week 0 runs from Monday
/// 1969-12-29 (day -3).
pub fn week_number(day: i32) -> i32 {
    (day + 3).div_euclid(7)
}

/// A window records are totalled over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    /// Monday to Sunday.
    Week,
    /// A calendar month.
    Month,
}

impl Window {
    pub const ALL: [Window; 2] = [Window::Week, Window::Month];

    pub fn as_str(self) -> &'static str {
        match self {
            Window::Week => "week",
            Window::Month => "month",
        }
    }

    /// The first day of the window that holds `day`.
    pub fn start(self, day: i32) -> i32 {
        match self {
            Window::Week => week_number(day) * 7 - 3,
            Window::Month => {
                let (year, month, _) = civil_from_days(day);
                days_from_civil(year, month, 1)
            }
        }
    }

    /// The first day of the next window after the one that holds `day`.
    pub fn next_start(self, day: i32) -> i32 {
        match self {
            Window::Week => self.start(day) + 7,
            Window::Month => {
                let (year, month, _) = civil_from_days(day);
                if month == 12 {
                    days_from_civil(year + 1, 1, 1)
                } else {
                    days_from_civil(year, month + 1, 1)
                }
            }
        }
    }
}

/// (year, month 1–12, day 1–31) of a day number (the proleptic Gregorian calendar; H. Hinnant's
/// `civil_from_days`).
pub fn civil_from_days(day: i32) -> (i32, u32, u32) {
    let z = day as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

/// The day number of a calendar date (the inverse of `civil_from_days`).
pub fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = year as i64 - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> i32 {
        days_from_civil(y, m, d)
    }

    /// Seconds since the epoch of a China-time wall clock.
    fn china(y: i32, m: u32, d: u32, h: i64, min: i64, s: i64) -> i64 {
        day(y, m, d) as i64 * 86_400 + h * 3600 + min * 60 + s - CHINA_OFFSET_SECS
    }

    #[test]
    fn calendar_round_trips() {
        assert_eq!(day(1970, 1, 1), 0);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        for n in -800_000..800_000 {
            let (y, m, d) = civil_from_days(n);
            assert_eq!(days_from_civil(y, m, d), n);
        }
        assert_eq!(civil_from_days(day(2024, 2, 29)), (2024, 2, 29));
    }

    #[test]
    fn the_week_turns_at_monday_midnight_china_time() {
        // 2026-12-06 is a Sunday, 2026-12-07 a Monday.
        let sunday_last_second = china_day(china(2026, 12, 6, 23, 59, 59));
        let monday_first_second = china_day(china(2026, 12, 7, 0, 0, 0));
        assert_eq!(Window::Week.start(sunday_last_second), day(2026, 11, 30));
        assert_eq!(Window::Week.start(monday_first_second), day(2026, 12, 7));
        // Monday 00:00 China time is still Sunday 16:00 in UTC: the week is China's, not UTC's.
        assert_eq!(china(2026, 12, 7, 0, 0, 0).rem_euclid(86_400), 16 * 3600);
        assert_eq!(Window::Week.next_start(sunday_last_second), day(2026, 12, 7));
    }

    #[test]
    fn months_end_on_their_last_day_and_years_turn() {
        assert_eq!(Window::Month.start(china_day(china(2026, 1, 31, 23, 59, 59))), day(2026, 1, 1));
        assert_eq!(Window::Month.start(china_day(china(2026, 2, 1, 0, 0, 0))), day(2026, 2, 1));
        assert_eq!(Window::Month.next_start(day(2024, 2, 29)), day(2024, 3, 1));
        assert_eq!(Window::Month.start(day(2026, 12, 31)), day(2026, 12, 1));
        assert_eq!(Window::Month.next_start(day(2026, 12, 31)), day(2027, 1, 1));
        // A week that spans the year end starts in the old year.
        assert_eq!(Window::Week.start(day(2027, 1, 1)), day(2026, 12, 28));
    }
}
