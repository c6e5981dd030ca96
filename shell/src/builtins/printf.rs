//! `printf [-v var] format [arguments]`.
//!
//! A port of bash's `printf.def`: the format is reused until the
//! arguments run out, missing arguments read as empty strings or zeros,
//! and a bad number is reported while output goes on (status 1). The
//! conversions are C's, computed here: [`format`] for integers and
//! strings, [`float`] for floating point (bash's 80-bit `long double`),
//! [`escapes`] for backslash escapes, `%b` and `%q`, [`strftime`] for
//! `%(…)T`. Output is bytes, like bash's: `%c` and precisions count bytes.

mod escapes;
mod float;
mod format;
mod strftime;

use super::internal_getopt::{self, Parsed};
use super::read::is_target;
use super::test::invalid_number;
use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};
use escapes::Dialect;
use format::Spec;
use std::time::{SystemTime, UNIX_EPOCH};

const USAGE: &str = "printf [-v var] format [arguments]";

/// bash formats `%(…)T` into a buffer of this size; longer results
/// print nothing.
const TIME_BUFFER: usize = 128;

/// `printf`: formats the arguments under the format (to `var` with `-v`).
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let Parsed {
            options,
            first_operand,
        } = match internal_getopt::parse(&argv, "v:") {
            Ok(parsed) => parsed,
            Err(err) => return done(sh.option_error("printf", err, USAGE).await),
        };
        let target = options.into_iter().filter_map(|(_, v)| v).next_back();
        if let Some(name) = &target {
            if !is_target(name) {
                sh.builtin_error("printf", &format!("`{name}': not a valid identifier"))
                    .await;
                return done(internal_getopt::STATUS_USAGE);
            }
        }
        let operands = &argv[first_operand..];
        let Some(format) = operands.first() else {
            return done(sh.usage("printf", USAGE).await);
        };
        if format.is_empty() {
            // `printf -v var ""` empties `var`.
            return done(match &target {
                Some(name) => store(sh, name, Vec::new()).await,
                None => 0,
            });
        }
        let mut printer = Printer {
            args: &operands[1..],
            next: 0,
            conversion_error: false,
            messages: Vec::new(),
            out: Vec::new(),
            tz: sh.scalar("TZ"),
            started: shell_start(sh),
            assignments: Vec::new(),
            max_bytes: sh.env.limits.max_string_bytes,
        };
        let mut status = 0;
        loop {
            match printer.pass(format.as_bytes()) {
                Pass::Done => {}
                Pass::Stop(code) => {
                    status = code;
                    break;
                }
            }
            // Reuse the format while arguments remain, if it uses any.
            if printer.next == 0 || printer.next >= printer.args.len() {
                break;
            }
        }
        if printer.conversion_error && status == 0 {
            status = 1;
        }
        for message in std::mem::take(&mut printer.messages) {
            sh.builtin_error("printf", &message).await;
        }
        for (name, value) in std::mem::take(&mut printer.assignments) {
            if let Err(err) = sh.set_scalar(&name, value) {
                sh.error_line(&err.message()).await;
            }
        }
        let out = std::mem::take(&mut printer.out);
        match &target {
            Some(name) => {
                if store(sh, name, out).await != 0 {
                    return done(1);
                }
            }
            None => {
                if !sh.out("printf", &out).await? {
                    return done(1);
                }
            }
        }
        done(status)
    })
}

/// When the shell started, for `%(…)T` with `-2`.
fn shell_start(sh: &Interp) -> i64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    now - sh.env.started.elapsed().as_secs() as i64
}

/// Assigns the output to the `-v` variable (or array element); the status.
async fn store(sh: &mut Interp, name: &str, bytes: Vec<u8>) -> i32 {
    let value = String::from_utf8_lossy(&bytes).into_owned();
    let result = match name.strip_suffix(']').and_then(|n| n.split_once('[')) {
        Some((array, index)) => sh.set_element(array, index, value, false),
        None => sh.set_scalar(name, value),
    };
    match result {
        Ok(()) => 0,
        Err(err) => {
            sh.error_line(&err.message()).await;
            1
        }
    }
}

/// How a pass over the format ended.
enum Pass {
    /// The format was used up.
    Done,
    /// Output ends here with this status (`\c`, a bad conversion).
    Stop(i32),
}

/// The state of one `printf`: arguments, output, diagnostics.
struct Printer<'a> {
    args: &'a [String],
    next: usize,
    conversion_error: bool,
    /// Diagnostics, written before the output as bash's unbuffered
    /// stderr does before its buffered stdout.
    messages: Vec<String>,
    out: Vec<u8>,
    tz: Option<String>,
    started: i64,
    /// `%n` assignments, made once the output is complete.
    assignments: Vec<(String, String)>,
    /// [`crate::Limits::max_string_bytes`]: the most output, and the
    /// largest width or precision.
    max_bytes: usize,
}

impl<'a> Printer<'a> {
    /// One pass over the format.
    fn pass(&mut self, format: &[u8]) -> Pass {
        let pass_start = self.out.len();
        let mut i = 0;
        while i < format.len() {
            let c = format[i];
            if c == b'\\' {
                let escape = escapes::escape(&format[i + 1..], Dialect::Format, &mut self.messages);
                self.out.extend(escape.bytes);
                i += 1 + escape.used;
                continue;
            }
            if c != b'%' {
                self.out.push(c);
                i += 1;
                continue;
            }
            let start = i;
            i += 1;
            if format.get(i) == Some(&b'%') {
                self.out.push(b'%');
                i += 1;
                continue;
            }
            let mut spec = Spec::default();
            while let Some(&flag) = format.get(i).filter(|f| b"#'-+ 0".contains(f)) {
                match flag {
                    b'#' => spec.alt = true,
                    b'-' => spec.minus = true,
                    b'+' => spec.plus = true,
                    b' ' => spec.space = true,
                    b'0' => spec.zero = true,
                    _ => {}
                }
                i += 1;
            }
            if format.get(i) == Some(&b'*') {
                i += 1;
                let width = self.int_arg();
                if width < 0 {
                    spec.minus = true;
                }
                spec.width = Some((width.unsigned_abs() as usize).min(self.max_bytes));
            } else {
                let (width, used) = digits(&format[i..]);
                spec.width = width.map(|w| w.min(self.max_bytes));
                i += used;
            }
            if format.get(i) == Some(&b'.') {
                i += 1;
                if format.get(i) == Some(&b'*') {
                    i += 1;
                    let precision = self.int_arg();
                    spec.precision = usize::try_from(precision)
                        .ok()
                        .map(|p| p.min(self.max_bytes));
                } else {
                    let negative = format.get(i) == Some(&b'-');
                    if negative {
                        i += 1;
                    }
                    let (precision, used) = digits(&format[i..]);
                    i += used;
                    spec.precision = if negative {
                        None
                    } else {
                        Some(precision.unwrap_or(0).min(self.max_bytes))
                    };
                }
            }
            while format.get(i).is_some_and(|m| b"hjlLtz".contains(m)) {
                i += 1;
            }
            let Some(&conv) = format.get(i) else {
                let text = String::from_utf8_lossy(&format[start..]);
                self.messages
                    .push(format!("`{text}': missing format character"));
                return Pass::Stop(1);
            };
            i += 1;
            match conv {
                b'c' => {
                    let byte = self.str_arg().as_bytes().first().copied().unwrap_or(0);
                    self.out.extend(spec.pad_char(byte));
                }
                b's' => {
                    let text = self.str_arg();
                    self.out.extend(spec.pad_str(text.as_bytes()));
                }
                b'b' => {
                    let text = self.str_arg();
                    let (bytes, stop) =
                        escapes::expand_argument(text.as_bytes(), &mut self.messages);
                    self.out.extend(spec.pad_str(&bytes));
                    if stop {
                        return Pass::Stop(0);
                    }
                }
                b'q' | b'Q' => {
                    let mut text = self.str_arg().to_string();
                    let mut spec = spec.clone();
                    if conv == b'Q' {
                        // `%Q`: the precision cuts the unquoted text.
                        if let Some(p) = spec.precision.take() {
                            let mut cut = p.min(text.len());
                            while !text.is_char_boundary(cut) {
                                cut -= 1;
                            }
                            text.truncate(cut);
                        }
                    }
                    self.out
                        .extend(spec.pad_str(escapes::quote(&text).as_bytes()));
                }
                b'n' => {
                    let name = self.str_arg().to_string();
                    if !name.is_empty() {
                        if !super::read::is_identifier(&name) {
                            self.messages
                                .push(format!("`{name}': not a valid identifier"));
                            return Pass::Stop(1);
                        }
                        let written = self.out.len() - pass_start;
                        self.assignments.push((name, written.to_string()));
                    }
                }
                b'(' => match self.time(format, i, &spec) {
                    Some(next) => i = next,
                    None => {
                        // Not `%(…)T`: the `%` prints as itself and the
                        // rest of the format is read again.
                        self.out.push(b'%');
                        i = start + 1;
                    }
                },
                b'd' | b'i' => {
                    let value = self.int_arg();
                    self.out.extend(format::signed(value, &spec));
                }
                b'o' | b'u' | b'x' | b'X' => {
                    let value = self.uint_arg();
                    self.out.extend(format::unsigned(value, conv, &spec));
                }
                b'e' | b'E' | b'f' | b'F' | b'g' | b'G' | b'a' | b'A' => {
                    let value = self.float_arg();
                    self.out.extend(float::format(value, conv, &spec));
                }
                other => {
                    let shown = String::from_utf8_lossy(&[other]).into_owned();
                    self.messages
                        .push(format!("`{shown}': invalid format character"));
                    return Pass::Stop(1);
                }
            }
            if self.out.len() > self.max_bytes {
                self.messages.push(format!(
                    "output exceeds {} bytes; raise Limits::max_string_bytes if this is intended",
                    self.max_bytes
                ));
                self.out.truncate(self.max_bytes);
                return Pass::Stop(1);
            }
        }
        Pass::Done
    }

    /// `%(fmt)T` whose `(` is at `open - 1`: prints the time and returns
    /// where the format goes on; `None` if no `)T` closes it.
    fn time(&mut self, format: &[u8], open: usize, spec: &Spec) -> Option<usize> {
        let mut depth = 1;
        let mut close = open;
        while close < format.len() {
            match format[close] {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            close += 1;
        }
        let after = format.get(close + 1).copied();
        if close >= format.len() || after != Some(b'T') {
            let shown = after.map_or(String::new(), |b| {
                String::from_utf8_lossy(&[b]).into_owned()
            });
            self.messages.push(format!(
                "warning: `{shown}': invalid time format specification"
            ));
            return None;
        }
        let mut time_format = String::from_utf8_lossy(&format[open..close]).into_owned();
        if time_format.is_empty() {
            time_format = "%X".into();
        }
        let secs = if self.next < self.args.len() {
            self.int_arg()
        } else {
            -1
        };
        let secs = match secs {
            -1 => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64),
            -2 => self.started,
            secs => secs,
        };
        let tm = strftime::localtime(secs, self.tz.as_deref());
        let mut text = strftime::strftime(&time_format, &tm);
        if text.len() >= TIME_BUFFER {
            text.clear();
        }
        self.out.extend(spec.pad_str(text.as_bytes()));
        Some(close + 2)
    }

    /// The next argument as a string (empty when none is left).
    fn str_arg(&mut self) -> &'a str {
        match self.args.get(self.next) {
            Some(arg) => {
                self.next += 1;
                arg
            }
            None => "",
        }
    }

    /// The next argument, if any, consumed.
    fn take(&mut self) -> Option<String> {
        let arg = self.args.get(self.next)?.clone();
        self.next += 1;
        Some(arg)
    }

    /// `'c` or `"c`: the code of the character after the quote.
    fn char_code(arg: &str) -> Option<i64> {
        let rest = arg.strip_prefix(['\'', '"'])?;
        Some(rest.chars().next().map_or(0, |c| i64::from(u32::from(c))))
    }

    /// A bad or partly numeric argument: reported, the status becomes 1.
    fn invalid(&mut self, arg: &str) {
        self.messages.push(invalid_number(arg));
        self.conversion_error = true;
    }

    fn out_of_range(&mut self, arg: &str) {
        self.messages
            .push(format!("warning: {arg}: Numerical result out of range"));
    }

    /// The next argument as a signed integer (`strtoimax`, base 0).
    fn int_arg(&mut self) -> i64 {
        let Some(arg) = self.take() else {
            return 0;
        };
        if let Some(code) = Printer::char_code(&arg) {
            return code;
        }
        let parsed = strtoint(&arg);
        let (value, range) = if parsed.negative {
            match 0i64.checked_sub_unsigned(parsed.magnitude) {
                Some(v) if !parsed.overflow => (v, false),
                _ => (i64::MIN, true),
            }
        } else {
            match i64::try_from(parsed.magnitude) {
                Ok(v) if !parsed.overflow => (v, false),
                _ => (i64::MAX, true),
            }
        };
        if parsed.end < arg.len() {
            self.invalid(&arg);
        } else if range {
            self.out_of_range(&arg);
        }
        value
    }

    /// The next argument as an unsigned integer (`strtoumax`, base 0: a
    /// negative number wraps around).
    fn uint_arg(&mut self) -> u64 {
        let Some(arg) = self.take() else {
            return 0;
        };
        if let Some(code) = Printer::char_code(&arg) {
            return code as u64;
        }
        let parsed = strtoint(&arg);
        let value = if parsed.overflow {
            u64::MAX
        } else if parsed.negative {
            parsed.magnitude.wrapping_neg()
        } else {
            parsed.magnitude
        };
        if parsed.end < arg.len() {
            self.invalid(&arg);
        } else if parsed.overflow {
            self.out_of_range(&arg);
        }
        value
    }

    /// The next argument as a floating-point number (`strtold`).
    fn float_arg(&mut self) -> float::Float {
        let Some(arg) = self.take() else {
            return float::Float::from_int(0);
        };
        if let Some(code) = Printer::char_code(&arg) {
            return float::Float::from_int(code);
        }
        let (value, used, range) = float::parse(&arg);
        if used < arg.len() {
            self.invalid(&arg);
        } else if range {
            self.out_of_range(&arg);
        }
        value
    }
}

/// A width or precision written in the format: its value and length.
fn digits(text: &[u8]) -> (Option<usize>, usize) {
    let used = text.iter().take_while(|b| b.is_ascii_digit()).count();
    if used == 0 {
        return (None, 0);
    }
    let value = text[..used].iter().fold(0usize, |v, &d| {
        v.saturating_mul(10).saturating_add(usize::from(d - b'0'))
    });
    (Some(value), used)
}

/// What `strtoimax`/`strtoumax` read.
struct Parsed64 {
    negative: bool,
    magnitude: u64,
    overflow: bool,
    /// Bytes used (the whole text for a valid number).
    end: usize,
}

/// C's `strtoumax(text, &end, 0)`: blanks, a sign, then `0x` hex, `0`
/// octal or decimal digits.
fn strtoint(text: &str) -> Parsed64 {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
        i += 1;
    }
    let negative = bytes.get(i) == Some(&b'-');
    if matches!(bytes.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    let hex = matches!(bytes.get(i..i + 2), Some(b"0x" | b"0X"))
        && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
    let (base, mut j) = if hex {
        (16, i + 2)
    } else if bytes.get(i) == Some(&b'0') {
        (8, i)
    } else {
        (10, i)
    };
    let start = j;
    let mut magnitude = 0u64;
    let mut overflow = false;
    while let Some(d) = bytes.get(j).and_then(|&b| (b as char).to_digit(base)) {
        match magnitude
            .checked_mul(u64::from(base))
            .and_then(|m| m.checked_add(u64::from(d)))
        {
            Some(m) => magnitude = m,
            None => overflow = true,
        }
        j += 1;
    }
    Parsed64 {
        negative,
        magnitude,
        overflow,
        // No digits: nothing was converted.
        end: if j == start { 0 } else { j },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_parse_like_strtoimax() {
        let parse = |s: &str| {
            let p = strtoint(s);
            (p.negative, p.magnitude, p.overflow, p.end)
        };
        assert_eq!(parse("010"), (false, 8, false, 3));
        assert_eq!(parse("0x10"), (false, 16, false, 4));
        assert_eq!(parse("-0x10"), (true, 16, false, 5));
        assert_eq!(parse(" +7"), (false, 7, false, 3));
        assert_eq!(parse("0x"), (false, 0, false, 1));
        assert_eq!(parse("08"), (false, 0, false, 1));
        assert_eq!(parse("12abc"), (false, 12, false, 2));
        assert_eq!(parse("abc"), (false, 0, false, 0));
        assert!(parse("99999999999999999999").2);
    }
}
