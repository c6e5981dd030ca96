//! `%(format)T`: glibc's `strftime` in the C locale, over the time zone
//! named by `TZ`.
//!
//! The sandbox has no zone database: `TZ` is read as a POSIX zone
//! (`UTC`, `EST5EDT`, `UTC-2`: a name and an offset west of Greenwich;
//! daylight-saving rules are not applied), and anything else, or no `TZ`,
//! is UTC.

/// A broken-down time (`struct tm`) with its zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tm {
    year: i64,
    /// 0–11.
    month: u32,
    /// 1–31.
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    /// 0 (Sunday) – 6.
    weekday: u32,
    /// 0–365.
    yearday: u32,
    /// Seconds east of UTC.
    offset: i64,
    zone: String,
    epoch: i64,
}

/// The zone `TZ` names: its abbreviation and offset east of UTC.
fn zone(tz: Option<&str>) -> (String, i64) {
    let utc = ("UTC".to_string(), 0);
    let Some(tz) = tz.filter(|tz| !tz.is_empty() && !tz.starts_with(':')) else {
        return utc;
    };
    let name_len = if let Some(quoted) = tz.strip_prefix('<') {
        match quoted.find('>') {
            Some(end) => end + 2,
            None => return utc,
        }
    } else {
        tz.find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(tz.len())
    };
    if name_len < 3 {
        return utc;
    }
    let name = tz[..name_len].trim_matches(['<', '>']).to_string();
    let rest = &tz[name_len..];
    let (sign, rest) = match rest.strip_prefix('-') {
        Some(r) => (1, r),
        None => (-1, rest.strip_prefix('+').unwrap_or(rest)),
    };
    let end = rest
        .find(|c: char| !c.is_ascii_digit() && c != ':')
        .unwrap_or(rest.len());
    let mut parts = rest[..end].split(':').map(|p| p.parse::<i64>().ok());
    let Some(Some(hours)) = parts.next() else {
        // A name without an offset is not a valid POSIX zone.
        return utc;
    };
    let minutes = parts.next().flatten().unwrap_or(0);
    let seconds = parts.next().flatten().unwrap_or(0);
    (name, sign * (hours * 3600 + minutes * 60 + seconds))
}

/// `localtime`: the broken-down time of `epoch` in the zone of `tz`.
pub(crate) fn localtime(epoch: i64, tz: Option<&str>) -> Tm {
    let (zone, offset) = zone(tz);
    let local = epoch + offset;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let yearday = (days - days_from_civil(year, 1, 1)) as u32;
    Tm {
        year,
        month: month - 1,
        day,
        hour: (secs / 3600) as u32,
        minute: (secs / 60 % 60) as u32,
        second: (secs % 60) as u32,
        weekday: (days + 4).rem_euclid(7) as u32,
        yearday,
        offset,
        zone,
        epoch,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
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

impl Tm {
    /// The ISO 8601 week-based year and week number (`%G`, `%V`).
    fn iso_week(&self) -> (i64, u32) {
        let weekday = (self.weekday + 6) % 7; // Monday = 0
        let yearday = i64::from(self.yearday);
        let week = (yearday - i64::from(weekday) + 10) / 7;
        let weeks_in = |year: i64| {
            let jan1 = days_from_civil(year, 1, 1);
            let dec31 = days_from_civil(year, 12, 31);
            let weekday_of = |days: i64| (days + 3).rem_euclid(7); // Monday = 0
            if weekday_of(jan1) == 3 || weekday_of(dec31) == 3 {
                53
            } else {
                52
            }
        };
        if week < 1 {
            (self.year - 1, weeks_in(self.year - 1))
        } else if week > i64::from(weeks_in(self.year)) {
            (self.year + 1, 1)
        } else {
            (self.year, week as u32)
        }
    }
}

/// How one conversion pads its number by default.
enum Pad {
    Zero,
    Space,
}

/// `strftime(format, tm)`.
pub(crate) fn strftime(format: &str, tm: &Tm) -> String {
    let mut out = String::new();
    let chars: Vec<char> = format.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '%' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let mut flag = None;
        while let Some(&c) = chars
            .get(i)
            .filter(|c| matches!(c, '_' | '-' | '0' | '^' | '#'))
        {
            flag = Some(c);
            i += 1;
        }
        let mut width = None;
        while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
            width = Some(width.unwrap_or(0) * 10 + d as usize);
            i += 1;
        }
        if matches!(chars.get(i), Some('E' | 'O')) {
            i += 1;
        }
        let Some(&conv) = chars.get(i) else {
            out.extend(&chars[start..]);
            break;
        };
        i += 1;
        match convert(conv, tm) {
            Some(Field::Number(value, digits, pad)) => {
                out.push_str(&number(value, digits, pad, flag, width));
            }
            Some(Field::Text(text)) => out.push_str(&text_field(text, flag, width)),
            None => out.extend(&chars[start..i]),
        }
    }
    out
}

/// What a conversion produces.
enum Field {
    /// A number, its default digit count and padding.
    Number(i64, usize, Pad),
    /// Text.
    Text(String),
}

fn convert(conv: char, tm: &Tm) -> Option<Field> {
    use Field::{Number, Text};
    let hour12 = if tm.hour.is_multiple_of(12) {
        12
    } else {
        tm.hour % 12
    };
    let two = |v: u32| Number(i64::from(v), 2, Pad::Zero);
    Some(match conv {
        'a' => Text(DAYS[tm.weekday as usize][..3].to_string()),
        'A' => Text(DAYS[tm.weekday as usize].to_string()),
        'b' | 'h' => Text(MONTHS[tm.month as usize][..3].to_string()),
        'B' => Text(MONTHS[tm.month as usize].to_string()),
        'c' => Text(strftime("%a %b %e %H:%M:%S %Y", tm)),
        'C' => Number(tm.year.div_euclid(100), 2, Pad::Zero),
        'd' => two(tm.day),
        'D' | 'x' => Text(strftime("%m/%d/%y", tm)),
        'e' => Number(i64::from(tm.day), 2, Pad::Space),
        'F' => Text(strftime("%Y-%m-%d", tm)),
        'G' => Number(tm.iso_week().0, 1, Pad::Zero),
        'g' => Number(tm.iso_week().0.rem_euclid(100), 2, Pad::Zero),
        'H' => two(tm.hour),
        'I' => two(hour12),
        'j' => Number(i64::from(tm.yearday) + 1, 3, Pad::Zero),
        'k' => Number(i64::from(tm.hour), 2, Pad::Space),
        'l' => Number(i64::from(hour12), 2, Pad::Space),
        'm' => two(tm.month + 1),
        'M' => two(tm.minute),
        'n' => Text("\n".into()),
        'p' => Text(if tm.hour < 12 { "AM" } else { "PM" }.into()),
        'P' => Text(if tm.hour < 12 { "am" } else { "pm" }.into()),
        'r' => Text(strftime("%I:%M:%S %p", tm)),
        'R' => Text(strftime("%H:%M", tm)),
        's' => Number(tm.epoch, 1, Pad::Zero),
        'S' => two(tm.second),
        't' => Text("\t".into()),
        'T' | 'X' => Text(strftime("%H:%M:%S", tm)),
        'u' => Number(
            i64::from(if tm.weekday == 0 { 7 } else { tm.weekday }),
            1,
            Pad::Zero,
        ),
        'U' => two((tm.yearday + 7 - tm.weekday) / 7),
        'V' => two(tm.iso_week().1),
        'w' => Number(i64::from(tm.weekday), 1, Pad::Zero),
        'W' => two((tm.yearday + 7 - (tm.weekday + 6) % 7) / 7),
        'y' => two(tm.year.rem_euclid(100) as u32),
        'Y' => Number(tm.year, 1, Pad::Zero),
        'z' => {
            let sign = if tm.offset < 0 { '-' } else { '+' };
            let minutes = tm.offset.abs() / 60;
            Text(format!("{sign}{:02}{:02}", minutes / 60, minutes % 60))
        }
        'Z' => Text(tm.zone.clone()),
        '%' => Text("%".into()),
        _ => return None,
    })
}

/// A number under a `strftime` flag and width.
fn number(value: i64, digits: usize, pad: Pad, flag: Option<char>, width: Option<usize>) -> String {
    let magnitude = value.unsigned_abs().to_string();
    let sign = if value < 0 { "-" } else { "" };
    let pad = match flag {
        Some('-') => return format!("{sign}{magnitude}"),
        Some('_') => Pad::Space,
        Some('0') => Pad::Zero,
        _ => pad,
    };
    let width = width.unwrap_or(digits);
    let fill = width.saturating_sub(sign.len() + magnitude.len());
    match pad {
        Pad::Zero => format!("{sign}{}{magnitude}", "0".repeat(fill)),
        Pad::Space => format!("{}{sign}{magnitude}", " ".repeat(fill)),
    }
}

/// Text under a `strftime` flag and width (`^` upper-cases, `#` swaps
/// case).
fn text_field(text: String, flag: Option<char>, width: Option<usize>) -> String {
    let text = match flag {
        Some('^') => text.to_uppercase(),
        Some('#') => {
            if text.chars().any(|c| c.is_lowercase()) {
                text.to_uppercase()
            } else {
                text.to_lowercase()
            }
        }
        _ => text,
    };
    let fill = width.unwrap_or(0).saturating_sub(text.chars().count());
    let pad = if flag == Some('0') { "0" } else { " " };
    format!("{}{text}", pad.repeat(fill))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_weeks() {
        let tm = localtime(1_700_000_000, None);
        assert_eq!(
            strftime("%a %A %b %B %c|%C %d %D %e|%F %G %g %H %I %j", &tm),
            "Tue Tuesday Nov November Tue Nov 14 22:13:20 2023|20 14 11/14/23 14|2023-11-14 2023 23 22 10 318"
        );
        assert_eq!(
            strftime("%k|%l|%m %M %p %P %r %R %s %S %T %u %U %V %w %W %x %X %y %Y %z %Z %%", &tm),
            "22|10|11 13 PM pm 10:13:20 PM 22:13 1700000000 20 22:13:20 2 46 46 2 46 11/14/23 22:13:20 23 2023 +0000 UTC %"
        );
        assert_eq!(
            strftime("%F %T", &localtime(0, None)),
            "1970-01-01 00:00:00"
        );
        assert_eq!(
            strftime("%G-%V", &localtime(1_104_537_600, None)),
            "2004-53"
        );
    }

    #[test]
    fn flags_widths_and_unknown_conversions() {
        let tm = localtime(1_700_000_000, None);
        assert_eq!(
            strftime("%-d|%_H|%05d|%^a|%#Z|%10B|%-10B|%Ey %Od %Q %", &tm),
            "14|22|00014|TUE|utc|  November|  November|23 14 %Q %"
        );
    }

    #[test]
    fn posix_zones() {
        let tm = localtime(1_700_000_000, Some("EST5EDT"));
        assert_eq!(strftime("%H %Z %z", &tm), "17 EST -0500");
        let tm = localtime(1_700_000_000, Some("UTC-2"));
        assert_eq!(strftime("%H %Z %z", &tm), "00 UTC +0200");
        let tm = localtime(1_700_000_000, Some("Europe/Paris"));
        assert_eq!(strftime("%H %Z", &tm), "22 UTC");
    }
}
