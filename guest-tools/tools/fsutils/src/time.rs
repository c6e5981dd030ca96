//! Timestamps as GNU `stat` prints them, in UTC (WASI has no time zones).

/// `2024-01-02 03:04:05.000000000 +0000` for (seconds, nanoseconds).
pub fn format_time((secs, nanos): (i64, u32)) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{nanos:09} +0000",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_utc() {
        assert_eq!(
            super::format_time((0, 0)),
            "1970-01-01 00:00:00.000000000 +0000"
        );
        assert_eq!(
            super::format_time((1_704_164_645, 12)),
            "2024-01-02 03:04:05.000000012 +0000"
        );
        assert_eq!(
            super::format_time((-1, 0)),
            "1969-12-31 23:59:59.000000000 +0000"
        );
    }
}
