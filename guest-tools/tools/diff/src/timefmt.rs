//! File times in context and unified headers.
//!
//! GNU diff prints `%Y-%m-%d %H:%M:%S.%N %z` (unified, and context outside
//! the C locale) or `%a %b %e %T %Y` (context in the C locale) in the local
//! time zone. The zone comes from `TZ`: a POSIX string with a fixed offset
//! (`UTC0`, `EST5`, `<+0530>-5:30`), or a zone file (`Europe/Paris`,
//! `:/path`, or `/etc/localtime` when `TZ` is unset) when one can be read.
//! Daylight-saving rules written in `TZ` itself are not applied (the
//! standard offset is used); zone files carry their own transitions. Under
//! WASI there are usually no zone files, so times are in UTC unless `TZ`
//! gives a fixed offset.

use std::ffi::OsStr;

/// Which of GNU's two header time layouts to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeStyle {
    /// `2024-01-15 12:00:00.000000000 +0000`
    Iso,
    /// `Mon Jan 15 12:00:00 2024`
    Ctime,
}

/// A time zone: a fixed offset, or transitions read from a zone file.
#[derive(Debug, Clone, Default)]
pub struct TimeZone {
    /// Offset east of UTC, in seconds, when no transition applies.
    base: i64,
    /// `(transition time, offset from then on)`, sorted.
    transitions: Vec<(i64, i64)>,
}

impl TimeZone {
    /// UTC.
    pub fn utc() -> Self {
        TimeZone::default()
    }

    /// The zone a `TZ` value selects (`None`: unset).
    pub fn from_tz(tz: Option<&OsStr>) -> Self {
        let Some(tz) = tz else {
            return read_zone_file("/etc/localtime").unwrap_or_default();
        };
        let tz = tz.to_string_lossy();
        if let Some(name) = tz.strip_prefix(':') {
            return zone_by_name(name).unwrap_or_default();
        }
        if let Some(offset) = posix_offset(&tz) {
            return TimeZone {
                base: offset,
                transitions: Vec::new(),
            };
        }
        zone_by_name(&tz).unwrap_or_default()
    }

    /// Offset east of UTC at `secs` (seconds since the epoch).
    pub fn offset_at(&self, secs: i64) -> i64 {
        let n = self.transitions.partition_point(|&(t, _)| t <= secs);
        if n == 0 {
            self.base
        } else {
            self.transitions[n - 1].1
        }
    }
}

/// Formats a file time for a header.
pub fn format(secs: i64, nanos: u32, style: TimeStyle, zone: &TimeZone) -> String {
    let offset = zone.offset_at(secs);
    let local = secs + offset;
    let days = local.div_euclid(86_400);
    let rem = local.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let (hh, mm, ss) = (rem / 3600, rem % 3600 / 60, rem % 60);
    match style {
        TimeStyle::Iso => {
            let sign = if offset < 0 { '-' } else { '+' };
            let off = offset.abs();
            format!(
                "{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}.{nanos:09} {sign}{:02}{:02}",
                off / 3600,
                off % 3600 / 60
            )
        }
        TimeStyle::Ctime => {
            const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            let weekday = DAYS[days.rem_euclid(7) as usize];
            let month = MONTHS[m as usize - 1];
            format!("{weekday} {month} {d:>2} {hh:02}:{mm:02}:{ss:02} {y}")
        }
    }
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

/// The standard-time offset (east of UTC) of a POSIX `TZ` string such as
/// `UTC0`, `EST5EDT` or `<+0530>-5:30`; `None` if it is not one.
fn posix_offset(tz: &str) -> Option<i64> {
    let rest = if let Some(quoted) = tz.strip_prefix('<') {
        &quoted[quoted.find('>')? + 1..]
    } else {
        let name_len = tz.bytes().take_while(u8::is_ascii_alphabetic).count();
        if name_len < 3 {
            return None;
        }
        &tz[name_len..]
    };
    if rest.is_empty() {
        // A bare name: UTC and GMT are known; others are zone files.
        return matches!(tz, "UTC" | "GMT" | "UCT" | "Zulu").then_some(0);
    }
    let (sign, digits) = match rest.as_bytes()[0] {
        b'-' => (1, &rest[1..]),
        b'+' => (-1, &rest[1..]),
        _ => (-1, rest),
    };
    let end = digits
        .bytes()
        .position(|b| !(b.is_ascii_digit() || b == b':'))
        .unwrap_or(digits.len());
    let mut parts = digits[..end].split(':');
    let hours: i64 = parts.next()?.parse().ok()?;
    let minutes: i64 = parts.next().map_or(Ok(0), str::parse).ok()?;
    let seconds: i64 = parts.next().map_or(Ok(0), str::parse).ok()?;
    if hours > 24 || minutes > 59 || seconds > 59 {
        return None;
    }
    Some(sign * (hours * 3600 + minutes * 60 + seconds))
}

fn zone_by_name(name: &str) -> Option<TimeZone> {
    if name.starts_with('/') {
        return read_zone_file(name);
    }
    if name.split('/').any(|part| part == "..") {
        return None;
    }
    let dir = std::env::var("TZDIR").unwrap_or_else(|_| "/usr/share/zoneinfo".to_owned());
    read_zone_file(&format!("{dir}/{name}"))
}

/// Reads the transitions of a TZif file (version 2 or later: the 64-bit
/// block; version 1: the 32-bit one).
fn read_zone_file(path: &str) -> Option<TimeZone> {
    let data = std::fs::read(path).ok()?;
    let (header, body) = tzif_header(&data)?;
    if header.version >= b'2' {
        let skip = header.size(4);
        let (h2, body2) = tzif_header(body.get(skip..)?)?;
        return tzif_block(&h2, body2, 8);
    }
    tzif_block(&header, body, 4)
}

struct TzifHeader {
    version: u8,
    isutcnt: usize,
    isstdcnt: usize,
    leapcnt: usize,
    timecnt: usize,
    typecnt: usize,
    charcnt: usize,
}

impl TzifHeader {
    /// Size of the data block with `time_size`-byte times.
    fn size(&self, time_size: usize) -> usize {
        self.timecnt * time_size
            + self.timecnt
            + self.typecnt * 6
            + self.charcnt
            + self.leapcnt * (time_size + 4)
            + self.isstdcnt
            + self.isutcnt
    }
}

fn tzif_header(data: &[u8]) -> Option<(TzifHeader, &[u8])> {
    if data.len() < 44 || &data[..4] != b"TZif" {
        return None;
    }
    let count =
        |i: usize| u32::from_be_bytes(data[20 + 4 * i..24 + 4 * i].try_into().unwrap()) as usize;
    Some((
        TzifHeader {
            version: data[4],
            isutcnt: count(0),
            isstdcnt: count(1),
            leapcnt: count(2),
            timecnt: count(3),
            typecnt: count(4),
            charcnt: count(5),
        },
        &data[44..],
    ))
}

fn tzif_block(h: &TzifHeader, body: &[u8], time_size: usize) -> Option<TimeZone> {
    let times = body.get(..h.timecnt * time_size)?;
    let indices = body.get(h.timecnt * time_size..h.timecnt * (time_size + 1))?;
    let types_at = h.timecnt * (time_size + 1);
    let types = body.get(types_at..types_at + h.typecnt * 6)?;
    let offset_of = |t: usize| -> Option<i64> {
        let e = types.get(t * 6..t * 6 + 4)?;
        Some(i64::from(i32::from_be_bytes(e.try_into().ok()?)))
    };
    let mut transitions = Vec::with_capacity(h.timecnt);
    for k in 0..h.timecnt {
        let raw = &times[k * time_size..(k + 1) * time_size];
        let t = if time_size == 8 {
            i64::from_be_bytes(raw.try_into().ok()?)
        } else {
            i64::from(i32::from_be_bytes(raw.try_into().ok()?))
        };
        transitions.push((t, offset_of(usize::from(indices[k]))?));
    }
    Some(TimeZone {
        base: offset_of(0).unwrap_or(0),
        transitions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_both_styles_in_utc() {
        let utc = TimeZone::utc();
        let t = 1_705_320_000; // 2024-01-15 12:00:00 UTC, a Monday
        assert_eq!(
            format(t, 0, TimeStyle::Iso, &utc),
            "2024-01-15 12:00:00.000000000 +0000"
        );
        assert_eq!(
            format(t, 0, TimeStyle::Ctime, &utc),
            "Mon Jan 15 12:00:00 2024"
        );
        assert_eq!(
            format(0, 5, TimeStyle::Ctime, &utc),
            "Thu Jan  1 00:00:00 1970"
        );
        assert_eq!(
            format(-1, 0, TimeStyle::Iso, &utc),
            "1969-12-31 23:59:59.000000000 +0000"
        );
    }

    #[test]
    fn posix_tz_strings_give_fixed_offsets() {
        assert_eq!(posix_offset("UTC0"), Some(0));
        assert_eq!(posix_offset("EST5EDT"), Some(-5 * 3600));
        assert_eq!(posix_offset("<+0530>-5:30"), Some(5 * 3600 + 30 * 60));
        assert_eq!(posix_offset("UTC"), Some(0));
        assert_eq!(posix_offset("Europe/Paris"), None);
        let zone = TimeZone::from_tz(Some(OsStr::new("JST-9")));
        assert_eq!(
            format(0, 0, TimeStyle::Iso, &zone),
            "1970-01-01 09:00:00.000000000 +0900"
        );
    }
}
