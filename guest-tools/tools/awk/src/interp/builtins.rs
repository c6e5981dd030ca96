//! Built-in functions, `getline`, and the string functions that need regexes
//! (`match`, `split`, `sub`, `gsub`).

use super::{Interp, R};
use crate::ast::{Expr, GetlineSrc, RegexArg};
use crate::fields::FieldSep;
use crate::lexer::Builtin;
use crate::special;
use crate::text::{char_count, char_len_at, char_prefix_len, chars_before, map_case};
use crate::value::Value;

impl<'p> Interp<'p> {
    /// Evaluates the built-in call shapes of [`Expr`].
    #[inline(never)]
    pub(crate) fn eval_builtin(&mut self, e: &'p Expr) -> R<Value> {
        match e {
            Expr::Builtin(b, args) => self.builtin(*b, args),
            Expr::LengthArray(v) => Ok(Value::Num(self.arr(*v)?.borrow().len() as f64)),
            Expr::MatchFn(s, re) => self.match_fn(s, re),
            Expr::Split(s, arr, sep) => self.split_fn(s, *arr, sep.as_ref()),
            Expr::Sub {
                global,
                re,
                repl,
                target,
            } => {
                let re = self.regex_ref(re)?;
                let repl = self.eval_bytes(repl)?;
                let target = match target {
                    Ok(lv) => lv,
                    Err(e) => {
                        let s = self.eval_bytes(e)?;
                        let (_, n) = substitute(re.get(), &s, &repl, *global);
                        return Ok(Value::Num(n as f64));
                    }
                };
                let place = self.place(target)?;
                if let super::expr::Place::Field(0) = place {
                    // The common `gsub(re, s)` on $0: work on the record bytes in place.
                    let (out, n) = substitute(re.get(), &self.rec.text, &repl, *global);
                    if n > 0 {
                        self.rec.text = out;
                        self.rec.reset();
                    }
                    return Ok(Value::Num(n as f64));
                }
                let cur = self.place_get(&place);
                let (out, n) = match &cur {
                    Value::Str(s) | Value::StrNum(s) => substitute(re.get(), s, &repl, *global),
                    other => {
                        let mut s = Vec::new();
                        other.push_str(&mut s, &self.convfmt);
                        substitute(re.get(), &s, &repl, *global)
                    }
                };
                if n > 0 {
                    self.place_set(place, Value::Str(crate::value::Str::from(out)))?;
                }
                Ok(Value::Num(n as f64))
            }
            Expr::Gensub {
                re,
                repl,
                how,
                target,
            } => {
                let re = self.regex_ref(re)?;
                let repl = self.eval_bytes(repl)?;
                let how_v = self.eval(how)?;
                let mut how_s = Vec::new();
                how_v.push_str(&mut how_s, &self.convfmt);
                let which = if matches!(how_s.first(), Some(b'g' | b'G')) {
                    0
                } else {
                    let n = how_v.to_num();
                    if n < 1.0 || n.is_nan() {
                        self.warn(&format!(
                            "awk: warning: gensub: third argument `{}' treated as 1",
                            String::from_utf8_lossy(&how_s)
                        ));
                        1
                    } else {
                        n as usize
                    }
                };
                let src = match target {
                    Some(t) => self.eval_bytes(t)?,
                    None => self.rec.text.clone(),
                };
                Ok(Value::Str(crate::value::Str::from(gensub(
                    re.get(),
                    &src,
                    &repl,
                    which,
                ))))
            }
            Expr::Asort { indices, src, dest } => {
                let n = self.asort(*indices, *src, *dest)?;
                Ok(Value::Num(n as f64))
            }
            Expr::Getline { src, var } => {
                let mut buf = Vec::new();
                let status = match src {
                    GetlineSrc::Main => {
                        if var.is_none() {
                            return Ok(Value::Num(if self.next_main_record()? {
                                1.0
                            } else {
                                0.0
                            }));
                        }
                        if self.next_main_into(&mut buf)? {
                            1.0
                        } else {
                            0.0
                        }
                    }
                    GetlineSrc::File(f) => {
                        let name = self.eval_bytes(f)?;
                        self.getline_file(&name, &mut buf)?
                    }
                    GetlineSrc::Cmd(c) => {
                        let cmd = self.eval_bytes(c)?;
                        self.getline_cmd(&cmd)?
                    }
                };
                if status > 0.0 {
                    match var {
                        Some(lv) => self.assign(lv, Value::strnum(&buf))?,
                        None => {
                            // `getline < file` sets $0 and NF only.
                            self.rec.set_text(&buf);
                        }
                    }
                }
                Ok(Value::Num(status))
            }
            _ => Err(self.fail("internal error: not a built-in call")),
        }
    }

    fn builtin(&mut self, b: Builtin, args: &'p [Expr]) -> R<Value> {
        use Builtin::*;
        let num = |it: &mut Self, i: usize| -> R<f64> {
            match args.get(i) {
                Some(e) => it.eval_num(e),
                None => Ok(0.0),
            }
        };
        Ok(match b {
            Length => {
                let n = match args.first() {
                    Some(e) => self.with_str(e, char_count)?,
                    None => char_count(&self.rec.text),
                };
                Value::Num(n as f64)
            }
            Substr => {
                let s = self.eval_bytes(&args[0])?;
                let m = num(self, 1)?;
                let n = if args.len() > 2 {
                    Some(num(self, 2)?)
                } else {
                    None
                };
                Value::from_bytes(substr(&s, m, n))
            }
            Index => {
                let s = self.eval_bytes(&args[0])?;
                let t = self.eval_bytes(&args[1])?;
                // gawk: the empty string is found at position 1 of any string.
                let pos = if t.is_empty() {
                    1
                } else {
                    memchr::memmem::find(&s, &t).map_or(0, |p| chars_before(&s, p) + 1)
                };
                Value::Num(pos as f64)
            }
            Sprintf => {
                let mut out = Vec::new();
                self.sprintf_into(args, &mut out)?;
                Value::Str(crate::value::Str::from(out))
            }
            Sin => Value::Num(num(self, 0)?.sin()),
            Cos => Value::Num(num(self, 0)?.cos()),
            Atan2 => {
                let y = num(self, 0)?;
                let x = num(self, 1)?;
                Value::Num(y.atan2(x))
            }
            Exp => Value::Num(num(self, 0)?.exp()),
            Log => {
                let x = num(self, 0)?;
                if x < 0.0 {
                    self.warn(&format!(
                        "awk: warning: log: received negative argument {}",
                        crate::number::format_number_plain(x)
                    ));
                }
                Value::Num(x.ln())
            }
            Sqrt => {
                let x = num(self, 0)?;
                if x < 0.0 {
                    self.warn(&format!(
                        "awk: warning: sqrt: called with negative argument {}",
                        crate::number::format_number_plain(x)
                    ));
                }
                Value::Num(x.sqrt())
            }
            Int => Value::Num(num(self, 0)?.trunc()),
            Rand => Value::Num(self.rand()),
            Srand => {
                let prev = self.seed;
                let seed = if args.is_empty() {
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_secs() as f64)
                        .unwrap_or(0.0)
                } else {
                    num(self, 0)?.trunc()
                };
                self.srand_with(seed);
                Value::Num(prev)
            }
            Tolower | Toupper => {
                let s = self.eval_bytes(&args[0])?;
                Value::Str(crate::value::Str::from(map_case(&s, b == Toupper)))
            }
            Close => {
                let s = self.eval_bytes(&args[0])?;
                Value::Num(self.close_stream(&s))
            }
            Fflush => {
                let r = match args.first() {
                    None => self.flush_stream(None),
                    Some(e) => {
                        let s = self.eval_bytes(e)?;
                        self.flush_stream(Some(&s))
                    }
                };
                Value::Num(r)
            }
            System => {
                let s = self.eval_bytes(&args[0])?;
                Value::Num(self.system(&s))
            }
            Systime => Value::Num(now_secs() as f64),
            Strftime => {
                let fmt = match args.first() {
                    Some(e) => self.eval_bytes(e)?,
                    None => crate::time::DEFAULT_FORMAT.to_vec(),
                };
                let t = match args.get(1) {
                    Some(e) => self.eval_num(e)?,
                    None => now_secs() as f64,
                };
                if let Some(e) = args.get(2) {
                    // Local time is UTC here, so the utc flag changes nothing.
                    self.eval(e)?;
                }
                let t = if t.is_finite() { t as i64 } else { 0 };
                Value::Str(crate::value::Str::from(crate::time::strftime(&fmt, t)))
            }
            Mktime => {
                let spec = self.eval_bytes(&args[0])?;
                Value::Num(crate::time::mktime(&spec))
            }
            Split | Sub | Gsub | Match | Gensub | Asort | Asorti => {
                return Err(self.fail("internal error: built-in parsed without its special form"))
            }
        })
    }

    fn match_fn(&mut self, s: &'p Expr, re: &'p RegexArg) -> R<Value> {
        let s = self.eval_bytes(s)?;
        let re = self.regex_ref(re)?;
        let (start, len) = match re.get().find_at(&s, 0) {
            Some((b, e)) => {
                let start = chars_before(&s, b) + 1;
                (start as f64, char_count(&s[b..e]) as f64)
            }
            None => (0.0, -1.0),
        };
        self.set_var(crate::ast::Var::Global(special::RSTART), Value::Num(start))?;
        self.set_var(crate::ast::Var::Global(special::RLENGTH), Value::Num(len))?;
        Ok(Value::Num(start))
    }

    fn split_fn(
        &mut self,
        s: &'p Expr,
        arr: crate::ast::Var,
        sep: Option<&'p RegexArg>,
    ) -> R<Value> {
        let s = self.eval_bytes(s)?;
        let fs = match sep {
            None => self.fs.clone(),
            // `split(s, a, //)` splits into characters, like an empty string separator.
            Some(RegexArg::Static(re)) if re.source().is_empty() => FieldSep::Chars,
            Some(RegexArg::Static(re)) => FieldSep::Regex(re.clone()),
            Some(RegexArg::Dynamic(e)) => {
                let text = self.eval_bytes(e)?;
                if text.len() > 1 && text != b" " {
                    FieldSep::Regex(self.dynamic_regex(&text)?)
                } else {
                    FieldSep::from_fs(&text, false).map_err(|m| self.fail(m))?
                }
            }
        };
        let a = self.arr(arr)?;
        let mut a = a.borrow_mut();
        a.clear();
        let mut n = 0usize;
        let mut key = [0u8; 24];
        fs.split(&s, |b, e| {
            n += 1;
            let k = crate::number::itoa(&mut key, n as i64);
            a.set(k, Value::strnum(&s[b..e]));
        });
        Ok(Value::Num(n as f64))
    }

    /// `asort`/`asorti`: sorts values (numbers first, then strings) or indices (as
    /// strings) into `dest[1..n]` (or `src` itself); returns n.
    fn asort(
        &mut self,
        indices: bool,
        src: crate::ast::Var,
        dest: Option<crate::ast::Var>,
    ) -> R<usize> {
        let a = self.arr(src)?;
        let mut items: Vec<Value> = {
            let a = a.borrow();
            a.keys()
                .into_iter()
                .map(|k| {
                    if indices {
                        Value::Str(k)
                    } else {
                        a.get(&k).cloned().unwrap_or_default()
                    }
                })
                .collect()
        };
        let cf = self.convfmt.clone();
        let rank = |v: &Value| -> u8 {
            match v {
                Value::Uninit | Value::Num(_) => 0,
                Value::StrNum(s) if crate::number::looks_numeric(s).is_some() => 0,
                _ => 1,
            }
        };
        items.sort_by(|x, y| {
            rank(x).cmp(&rank(y)).then_with(|| {
                if rank(x) == 0 {
                    x.to_num()
                        .partial_cmp(&y.to_num())
                        .unwrap_or(std::cmp::Ordering::Equal)
                } else {
                    x.to_str(&cf).cmp(&y.to_str(&cf))
                }
            })
        });
        let target = match dest {
            Some(d) => self.arr(d)?,
            None => a,
        };
        let mut t = target.borrow_mut();
        t.clear();
        let n = items.len();
        let mut key = [0u8; 24];
        for (i, v) in items.into_iter().enumerate() {
            let k = crate::number::itoa(&mut key, i as i64 + 1);
            let v = match v {
                Value::Str(s) if indices => Value::StrNum(s),
                other => other,
            };
            t.set(k, v);
        }
        Ok(n)
    }

    /// Seeds the generator.
    pub(crate) fn srand_with(&mut self, seed: f64) {
        self.seed = seed;
        // splitmix64 of the seed, so nearby seeds give unrelated sequences.
        let mut z = (seed as i64 as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        self.rand_state = (z ^ (z >> 31)) | 1;
    }

    /// Uniform in [0, 1) (xorshift64*).
    fn rand(&mut self) -> f64 {
        let mut x = self.rand_state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rand_state = x;
        let r = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (r >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// gawk's `gensub`: replaces match number `which` (0 = every match) in `s`. In `repl`,
/// `\\N` is group N, `&` and `\\0` the whole match, `\\&` a literal `&`, and a backslash
/// before any other character is dropped.
pub(crate) fn gensub(re: &crate::ere::Regex, s: &[u8], repl: &[u8], which: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut pos = 0;
    let mut nth = 0;
    let mut last_end: Option<usize> = None;
    while pos <= s.len() {
        let Some(caps) = re.captures_at(s, pos) else {
            break;
        };
        let Some((b, e)) = caps.first().copied().flatten() else {
            break;
        };
        if b == e && last_end == Some(b) {
            if b >= s.len() {
                break;
            }
            let n = char_len_at(s, b);
            out.extend_from_slice(&s[pos..b + n]);
            pos = b + n;
            continue;
        }
        nth += 1;
        out.extend_from_slice(&s[pos..b]);
        if which == 0 || nth == which {
            push_gensub_replacement(&mut out, repl, s, &caps);
        } else {
            out.extend_from_slice(&s[b..e]);
        }
        last_end = Some(e);
        if b == e {
            if b >= s.len() {
                pos = s.len() + 1;
                break;
            }
            let n = char_len_at(s, b);
            out.extend_from_slice(&s[b..b + n]);
            pos = b + n;
        } else {
            pos = e;
        }
        if which != 0 && nth >= which {
            break;
        }
    }
    if pos <= s.len() {
        out.extend_from_slice(&s[pos..]);
    }
    out
}

fn push_gensub_replacement(
    out: &mut Vec<u8>,
    repl: &[u8],
    s: &[u8],
    caps: &[Option<(usize, usize)>],
) {
    let group = |out: &mut Vec<u8>, g: usize| {
        if let Some(Some((b, e))) = caps.get(g) {
            out.extend_from_slice(&s[*b..*e]);
        }
    };
    let mut i = 0;
    while i < repl.len() {
        match repl[i] {
            b'\\' if i + 1 < repl.len() => {
                let c = repl[i + 1];
                if c.is_ascii_digit() {
                    group(out, (c - b'0') as usize);
                } else {
                    out.push(c);
                }
                i += 2;
            }
            b'&' => {
                group(out, 0);
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
}

/// `substr(s, m[, n])` with gawk's rules: positions truncate, a start before 1 is 1.
fn substr(s: &[u8], m: f64, n: Option<f64>) -> &[u8] {
    let len = char_count(s) as f64;
    if m.is_nan() {
        return b"";
    }
    let mut start = m.trunc();
    if start < 1.0 {
        start = 1.0;
    }
    let count = match n {
        None => len - start + 1.0,
        Some(n) if n.is_nan() => return b"",
        Some(n) => n.trunc(),
    };
    if count <= 0.0 || start > len {
        return b"";
    }
    let skip = (start - 1.0) as usize;
    let take = count.min(len - start + 1.0) as usize;
    let b = char_prefix_len(s, skip);
    let e = b + char_prefix_len(&s[b..], take);
    &s[b..e]
}

/// Replaces the first (or every) match of `re` in `s`; returns the result and the count.
/// In `repl`, `&` is the matched text; `\&` is a literal `&`; before `&`, each `\\` is one
/// backslash; other backslashes are literal (gawk's rules).
pub(crate) fn substitute(
    re: &crate::ere::Regex,
    s: &[u8],
    repl: &[u8],
    global: bool,
) -> (Vec<u8>, usize) {
    // Most records do not match: return before copying anything (the caller ignores the
    // text when the count is 0).
    if re.find_at(s, 0).is_none() {
        return (Vec::new(), 0);
    }
    let mut out = Vec::with_capacity(s.len() + repl.len());
    let mut count = 0;
    let mut pos = 0;
    let mut last_end: Option<usize> = None;
    while pos <= s.len() {
        let Some((b, e)) = re.find_at(s, pos) else {
            break;
        };
        if b == e && last_end == Some(b) {
            // An empty match right after the previous match is not a new match.
            if b >= s.len() {
                break;
            }
            let n = char_len_at(s, b);
            out.extend_from_slice(&s[pos..b + n]);
            pos = b + n;
            continue;
        }
        out.extend_from_slice(&s[pos..b]);
        push_replacement(&mut out, repl, &s[b..e]);
        count += 1;
        last_end = Some(e);
        if b == e {
            if b >= s.len() {
                pos = s.len() + 1;
                break;
            }
            let n = char_len_at(s, b);
            out.extend_from_slice(&s[b..b + n]);
            pos = b + n;
        } else {
            pos = e;
        }
        if !global {
            break;
        }
    }
    if pos <= s.len() {
        out.extend_from_slice(&s[pos..]);
    }
    (out, count)
}

fn push_replacement(out: &mut Vec<u8>, repl: &[u8], matched: &[u8]) {
    let mut i = 0;
    while i < repl.len() {
        match repl[i] {
            b'\\' => {
                let mut k = 0;
                while i + k < repl.len() && repl[i + k] == b'\\' {
                    k += 1;
                }
                if i + k < repl.len() && repl[i + k] == b'&' {
                    out.extend(std::iter::repeat_n(b'\\', k / 2));
                    if k % 2 == 1 {
                        out.push(b'&');
                    } else {
                        out.extend_from_slice(matched);
                    }
                    i += k + 1;
                } else {
                    out.extend(std::iter::repeat_n(b'\\', k));
                    i += k;
                }
            }
            b'&' => {
                out.extend_from_slice(matched);
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(re: &str, repl: &str, s: &str, global: bool) -> (String, usize) {
        let re = crate::ere::Regex::new(re.as_bytes()).unwrap();
        let (o, n) = substitute(&re, s.as_bytes(), repl.as_bytes(), global);
        (String::from_utf8(o).unwrap(), n)
    }

    #[test]
    fn gsub_empty_matches() {
        assert_eq!(sub("x*", "-", "abc", true), ("-a-b-c-".into(), 4));
        assert_eq!(sub("b*", "-", "abc", true), ("-a-c-".into(), 3));
        assert_eq!(sub("$", "!", "abc", true), ("abc!".into(), 1));
        assert_eq!(sub("^", ">", "abc", true), (">abc".into(), 1));
    }

    #[test]
    fn replacement_escapes() {
        assert_eq!(sub("x", "[&]", "axb", false).0, "a[x]b");
        assert_eq!(sub("x", "[\\&]", "x", false).0, "[&]");
        assert_eq!(sub("x", "[\\\\&]", "x", false).0, "[\\x]");
        assert_eq!(sub("x", "[\\\\]", "x", false).0, "[\\\\]");
        assert_eq!(sub("o", "0", "foo boo", true), ("f00 b00".into(), 4));
    }

    #[test]
    fn substr_rules() {
        assert_eq!(substr(b"hello", 2.0, Some(3.0)), b"ell");
        assert_eq!(substr(b"hello", 0.0, None), b"hello");
        assert_eq!(substr(b"hello", -1.0, Some(3.0)), b"hel");
        assert_eq!(substr(b"hello", 1.5, None), b"hello");
        assert_eq!(substr(b"hello", 10.0, None), b"");
        assert_eq!(substr("héllo".as_bytes(), 2.0, Some(2.0)), "él".as_bytes());
    }
}
