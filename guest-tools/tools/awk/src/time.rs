//! `systime`, `strftime` and `mktime` (gawk extensions), in UTC.
//!
//! The sandbox has no time-zone database and WASI reports no local zone, so local time is
//! UTC; `%Z` prints `UTC` and `%z` `+0000`.

/// A broken-down UTC time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tm {
    /// Full year.
    pub year: i64,
    /// 1..=12
    pub month: u32,
    /// 1..=31
    pub day: u32,
    /// 0..=23
    pub hour: u32,
    /// 0..=59
    pub min: u32,
    /// 0..=60
    pub sec: u32,
    /// 0 = Sunday
    pub wday: u32,
    /// 0..=365
    pub yday: u32,
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Breaks a Unix time into UTC fields.
pub fn gmtime(t: i64) -> Tm {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    let jan1 = days_from_civil(y, 1, 1);
    Tm {
        year: y,
        month: m as u32,
        day: d as u32,
        hour: (secs / 3600) as u32,
        min: (secs % 3600 / 60) as u32,
        sec: (secs % 60) as u32,
        wday: (days + 4).rem_euclid(7) as u32,
        yday: (days - jan1) as u32,
    }
}

/// `mktime("YYYY MM DD HH MM SS [DST]")`: seconds since the epoch, -1 if malformed.
/// Out-of-range fields are normalised (month 13 is January of the next year).
pub fn mktime(spec: &[u8]) -> f64 {
    let text = String::from_utf8_lossy(spec);
    let parts: Vec<i64> = match text.split_whitespace().map(|p| p.parse::<i64>()).collect() {
        Ok(v) => v,
        Err(_) => return -1.0,
    };
    if parts.len() < 6 || parts.len() > 7 {
        return -1.0;
    }
    let (y, mo) = (parts[0], parts[1] - 1);
    let y = y + mo.div_euclid(12);
    let mo = mo.rem_euclid(12) + 1;
    let days = days_from_civil(y, mo, 1) + parts[2] - 1;
    (days * 86_400 + parts[3] * 3600 + parts[4] * 60 + parts[5]) as f64
}

const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// ISO 8601 week-based year and week number.
fn iso_week(tm: &Tm) -> (i64, u32) {
    let wday = (tm.wday + 6) % 7; // Monday = 0
    let yday = tm.yday as i64;
    let mut year = tm.year;
    let mut week = (yday - wday as i64 + 10) / 7;
    if week < 1 {
        year -= 1;
        let prev_len = if is_leap(year) { 366 } else { 365 };
        week = (yday + prev_len - wday as i64 + 10) / 7;
    } else {
        let len = if is_leap(year) { 366 } else { 365 };
        if week == 53 && yday - wday as i64 + 3 >= len {
            year += 1;
            week = 1;
        }
    }
    (year, week as u32)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Formats `t` (Unix seconds) with a strftime format, in UTC.
pub fn strftime(fmt: &[u8], t: i64) -> Vec<u8> {
    let tm = gmtime(t);
    let mut out = Vec::new();
    let mut i = 0;
    while i < fmt.len() {
        let c = fmt[i];
        i += 1;
        if c != b'%' || i >= fmt.len() {
            out.push(c);
            continue;
        }
        // Skip the E and O modifiers.
        let mut conv = fmt[i];
        i += 1;
        if (conv == b'E' || conv == b'O') && i < fmt.len() {
            conv = fmt[i];
            i += 1;
        }
        let s: String = match conv {
            b'a' => DAYS[tm.wday as usize][..3].to_string(),
            b'A' => DAYS[tm.wday as usize].to_string(),
            b'b' | b'h' => MONTHS[tm.month as usize - 1][..3].to_string(),
            b'B' => MONTHS[tm.month as usize - 1].to_string(),
            b'c' => format!(
                "{} {} {:2} {:02}:{:02}:{:02} {}",
                &DAYS[tm.wday as usize][..3],
                &MONTHS[tm.month as usize - 1][..3],
                tm.day,
                tm.hour,
                tm.min,
                tm.sec,
                tm.year
            ),
            b'C' => format!("{:02}", tm.year.div_euclid(100)),
            b'd' => format!("{:02}", tm.day),
            b'D' | b'x' => format!(
                "{:02}/{:02}/{:02}",
                tm.month,
                tm.day,
                tm.year.rem_euclid(100)
            ),
            b'e' => format!("{:2}", tm.day),
            b'F' => format!("{}-{:02}-{:02}", tm.year, tm.month, tm.day),
            b'g' => format!("{:02}", iso_week(&tm).0.rem_euclid(100)),
            b'G' => iso_week(&tm).0.to_string(),
            b'H' => format!("{:02}", tm.hour),
            b'I' => format!("{:02}", (tm.hour + 11) % 12 + 1),
            b'j' => format!("{:03}", tm.yday + 1),
            b'k' => format!("{:2}", tm.hour),
            b'l' => format!("{:2}", (tm.hour + 11) % 12 + 1),
            b'm' => format!("{:02}", tm.month),
            b'M' => format!("{:02}", tm.min),
            b'n' => "\n".into(),
            b'p' => (if tm.hour < 12 { "AM" } else { "PM" }).into(),
            b'r' => format!(
                "{:02}:{:02}:{:02} {}",
                (tm.hour + 11) % 12 + 1,
                tm.min,
                tm.sec,
                if tm.hour < 12 { "AM" } else { "PM" }
            ),
            b'R' => format!("{:02}:{:02}", tm.hour, tm.min),
            b's' => t.to_string(),
            b'S' => format!("{:02}", tm.sec),
            b't' => "\t".into(),
            b'T' | b'X' => format!("{:02}:{:02}:{:02}", tm.hour, tm.min, tm.sec),
            b'u' => ((tm.wday + 6) % 7 + 1).to_string(),
            b'U' => format!("{:02}", (tm.yday + 7 - tm.wday) / 7),
            b'V' => format!("{:02}", iso_week(&tm).1),
            b'w' => tm.wday.to_string(),
            b'W' => format!("{:02}", (tm.yday + 7 - (tm.wday + 6) % 7) / 7),
            b'y' => format!("{:02}", tm.year.rem_euclid(100)),
            b'Y' => tm.year.to_string(),
            b'z' => "+0000".into(),
            b'Z' => "UTC".into(),
            b'%' => "%".into(),
            other => format!("%{}", other as char),
        };
        out.extend_from_slice(s.as_bytes());
    }
    out
}

/// gawk's default strftime format.
pub const DEFAULT_FORMAT: &[u8] = b"%a %b %e %H:%M:%S %Z %Y";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        let tm = gmtime(1_700_000_000);
        assert_eq!(
            (tm.year, tm.month, tm.day, tm.hour, tm.min, tm.sec),
            (2023, 11, 14, 22, 13, 20)
        );
        assert_eq!(tm.wday, 2);
        assert_eq!(mktime(b"2023 11 14 22 13 20"), 1_700_000_000.0);
        assert_eq!(mktime(b"2023 13 1 0 0 0"), mktime(b"2024 1 1 0 0 0"));
        assert_eq!(mktime(b"garbage"), -1.0);
    }

    #[test]
    fn formats() {
        let f = |s: &str| String::from_utf8(strftime(s.as_bytes(), 1_700_000_000)).unwrap();
        assert_eq!(f("%Y-%m-%d %H:%M:%S"), "2023-11-14 22:13:20");
        assert_eq!(
            f("%a %b %e %j %u %V %G %I%p %%"),
            "Tue Nov 14 318 2 46 2023 10PM %"
        );
        assert_eq!(
            String::from_utf8(strftime(DEFAULT_FORMAT, 0)).unwrap(),
            "Thu Jan  1 00:00:00 UTC 1970"
        );
    }
}
