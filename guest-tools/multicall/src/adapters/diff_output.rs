//! Comparing two inputs in the format `diff`'s options ask for, and the
//! fixes applied to diffutils 0.6's output where it departs from GNU diff:
//!
//! - normal format: a one-line range is printed `8a9`, not `8a9,9`;
//! - context format: the header times read like GNU's
//!   (`Mon Jan 15 12:00:00 2024`), not in the unified format's style;
//! - side by side: whether the inputs differ is decided here, the
//!   formatter itself always reporting "no difference".

use diffutilslib::params::{Format, Params};
use diffutilslib::{context_diff, ed_diff, normal_diff, side_by_side_diff, unified_diff};

use super::diffutils::TROUBLE;

/// What comparing two inputs gave.
pub struct Comparison {
    /// The text to print: the differences in the chosen format, or the
    /// "Files ... differ" line of `--brief`.
    pub output: Vec<u8>,
    /// The inputs differ (exit status 1).
    pub differ: bool,
}

/// Compares `from` and `to` (the contents of `params.from` and `params.to`)
/// in the format `params` asks for. Errors are reported here; `Err` holds
/// the exit status.
pub fn compare(params: &Params, from: &[u8], to: &[u8]) -> Result<Comparison, i32> {
    if params.brief {
        let differ = from != to;
        let output = if differ {
            format!(
                "Files {} and {} differ\n",
                params.from.to_string_lossy(),
                params.to.to_string_lossy()
            )
            .into_bytes()
        } else {
            Vec::new()
        };
        return Ok(Comparison { output, differ });
    }
    let output = match params.format {
        Format::Normal => single_line_ranges(&normal_diff(from, to, params)),
        Format::Unified => unified_diff(from, to, params),
        Format::Context => ctime_headers(context_diff(from, to, params)),
        Format::Ed => ed_diff(from, to, params).map_err(|err| {
            eprintln!("{err}");
            TROUBLE
        })?,
        Format::SideBySide => {
            // The side-by-side formatter writes to the writer it is given
            // and always returns nothing, so whether the inputs differ
            // must be decided here (upstream's binary exits 0 for any -y).
            let mut output = Vec::new();
            side_by_side_diff(from, to, &mut output, params);
            return Ok(Comparison {
                output,
                differ: from != to,
            });
        }
    };
    Ok(Comparison {
        differ: !output.is_empty(),
        output,
    })
}

/// Normal-format output with every `N,N` range written `N`, as GNU does.
///
/// Only command lines are touched: every other line of the normal format
/// starts with `<`, `>`, `---` or `\\`.
fn single_line_ranges(output: &[u8]) -> Vec<u8> {
    let mut fixed = Vec::with_capacity(output.len());
    for line in output.split_inclusive(|&byte| byte == b'\n') {
        let is_command = line.first().is_some_and(u8::is_ascii_digit);
        match std::str::from_utf8(line) {
            Ok(command) if is_command => fixed.extend(collapse_ranges(command).as_bytes()),
            _ => fixed.extend_from_slice(line),
        }
    }
    fixed
}

/// A command line such as `8a9,9\n` with equal range ends collapsed.
fn collapse_ranges(command: &str) -> String {
    let Some(at) = command.find(['a', 'c', 'd']) else {
        return command.to_string();
    };
    let collapse = |range: &str| match range.split_once(',') {
        Some((first, last)) if first == last => first.to_string(),
        _ => range.to_string(),
    };
    let (left, rest) = command.split_at(at);
    let (letter, right) = rest.split_at(1);
    let (right, newline) = match right.strip_suffix('\n') {
        Some(right) => (right, "\n"),
        None => (right, ""),
    };
    format!("{}{letter}{}{newline}", collapse(left), collapse(right))
}

/// Context-format output whose two header lines carry GNU's time format.
fn ctime_headers(output: Vec<u8>) -> Vec<u8> {
    let mut lines = output.split_inclusive(|&byte| byte == b'\n');
    let mut fixed = Vec::with_capacity(output.len());
    for (marker, line) in [("*** ", lines.next()), ("--- ", lines.next())] {
        let Some(line) = line else { break };
        match std::str::from_utf8(line)
            .ok()
            .and_then(|text| ctime_header(text, marker))
        {
            Some(header) => fixed.extend(header.as_bytes()),
            None => fixed.extend_from_slice(line),
        }
    }
    for line in lines {
        fixed.extend_from_slice(line);
    }
    fixed
}

/// `*** name\t2024-01-15 12:00:00.000000000 +0000\n` as
/// `*** name\tMon Jan 15 12:00:00 2024\n`, or `None` if it is not such a
/// line.
fn ctime_header(line: &str, marker: &str) -> Option<String> {
    let body = line.strip_prefix(marker)?.strip_suffix('\n')?;
    let (name, time) = body.rsplit_once('\t')?;
    let time = chrono::DateTime::parse_from_str(time, "%Y-%m-%d %H:%M:%S%.9f %z").ok()?;
    Some(format!(
        "{marker}{name}\t{}\n",
        time.format("%a %b %e %H:%M:%S %Y")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_ranges_lose_their_second_half() {
        let upstream = b"8a9,9\n> inserted\n5,5d4\n< gone\n2,3c2,3\n< a\n";
        assert_eq!(
            single_line_ranges(upstream),
            b"8a9\n> inserted\n5d4\n< gone\n2,3c2,3\n< a\n"
        );
    }

    #[test]
    fn content_lines_are_never_rewritten() {
        let upstream = b"1c1\n< 3,3d3\n---\n> 4,4a4\n";
        assert_eq!(single_line_ranges(upstream), upstream);
    }

    #[test]
    fn context_headers_use_ctime() {
        let upstream = b"*** a.txt\t2024-01-05 12:00:00.000000000 +0000\n\
            --- b.txt\t2024-01-15 08:09:10.500000000 +0000\n***************\n";
        assert_eq!(
            String::from_utf8(ctime_headers(upstream.to_vec())).unwrap(),
            "*** a.txt\tFri Jan  5 12:00:00 2024\n\
             --- b.txt\tMon Jan 15 08:09:10 2024\n***************\n"
        );
    }

    #[test]
    fn unexpected_headers_are_kept() {
        let upstream = b"*** a.txt\tyesterday\n--- b\n";
        assert_eq!(ctime_headers(upstream.to_vec()), upstream);
    }
}
