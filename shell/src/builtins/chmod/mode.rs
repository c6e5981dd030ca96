//! GNU chmod's mode language: parsing `755`, `u+x,go-w`, `a=rX`, `g=u`…
//! and applying it to a file's old mode, as gnulib's `modechange.c` does.

const SUID: u32 = 0o4000;
const SGID: u32 = 0o2000;
const SVTX: u32 = 0o1000;
const READ: u32 = 0o444;
const WRITE: u32 = 0o222;
const EXEC: u32 = 0o111;
/// Every bit chmod can change.
const ALL: u32 = 0o7777;

/// What one clause sets, adds or removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Value {
    /// Fixed bits (`r`, `w`, `x`, `s`, `t`, or an octal number).
    Bits(u32),
    /// `X`: these bits, plus execute for everyone if the file is a
    /// directory or already executable by someone.
    BitsAndX(u32),
    /// `u`, `g` or `o`: that class's current bits, copied to the others.
    Copy(u32),
}

/// One operation of a mode: `who` `op` `value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Change {
    op: u8,
    /// Bits of the classes named before the operator; 0 when none were
    /// named, which means "all, except what the umask masks".
    affected: u32,
    /// Bits the text named explicitly: directories keep their set-id bits
    /// unless a mode mentions them.
    mentioned: u32,
    value: Value,
}

/// A parsed mode: the changes, applied in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Mode {
    changes: Vec<Change>,
}

impl Mode {
    /// Parses a mode; `None` when GNU chmod would say `invalid mode`.
    pub(super) fn parse(text: &str) -> Option<Mode> {
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            return parse_octal(text);
        }
        let mut changes = Vec::new();
        for clause in text.split(',') {
            parse_clause(clause, &mut changes)?;
        }
        Some(Mode { changes })
    }

    /// True if some clause names no class, so the umask limits it (and
    /// chmod reports when the result differs from what was asked).
    pub(super) fn uses_umask(&self) -> bool {
        self.changes.iter().any(|c| c.affected == 0)
    }

    /// The new mode of a file whose mode is `old`.
    pub(super) fn apply(&self, old: u32, dir: bool, umask: u32) -> u32 {
        let mut mode = old & ALL;
        for change in &self.changes {
            let omit = if dir {
                (SUID | SGID) & !change.mentioned
            } else {
                0
            };
            let mut value = match change.value {
                Value::Bits(bits) => bits,
                Value::BitsAndX(bits) if dir || mode & EXEC != 0 => bits | EXEC,
                Value::BitsAndX(bits) => bits,
                Value::Copy(class) => spread(mode & class),
            };
            let limit = if change.affected == 0 {
                !umask
            } else {
                change.affected
            };
            value &= limit & !omit;
            mode = match change.op {
                b'+' => mode | value,
                b'-' => mode & !value,
                _ => {
                    let kept = if change.affected == 0 {
                        0
                    } else {
                        !change.affected
                    } | omit;
                    (mode & kept) | value
                }
            };
        }
        mode & ALL
    }
}

/// An octal mode: `=` of every bit, keeping a directory's set-id bits
/// unless five digits were given (GNU's rule).
fn parse_octal(text: &str) -> Option<Mode> {
    let value = u32::from_str_radix(text, 8).ok().filter(|v| *v <= ALL)?;
    let mentioned = if text.len() < 5 {
        (value & (SUID | SGID)) | SVTX | 0o777
    } else {
        ALL
    };
    Some(Mode {
        changes: vec![Change {
            op: b'=',
            affected: ALL,
            mentioned,
            value: Value::Bits(value),
        }],
    })
}

/// `[ugoa]*([-+=]([rwxXst]*|[ugo]))+` or `[-+=][0-7]+`.
fn parse_clause(clause: &str, changes: &mut Vec<Change>) -> Option<()> {
    let bytes = clause.as_bytes();
    let mut i = 0;
    let mut affected = 0;
    while let Some(&b) = bytes.get(i) {
        affected |= match b {
            b'u' => SUID | 0o700,
            b'g' => SGID | 0o070,
            b'o' => SVTX | 0o007,
            b'a' => ALL,
            _ => break,
        };
        i += 1;
    }
    if i == bytes.len() {
        return None;
    }
    while let Some(&op) = bytes.get(i) {
        if !matches!(op, b'+' | b'-' | b'=') {
            return None;
        }
        i += 1;
        let start = i;
        while i < bytes.len() && !matches!(bytes[i], b'+' | b'-' | b'=') {
            i += 1;
        }
        let value = parse_value(&clause[start..i], affected)?;
        changes.push(Change {
            op,
            affected,
            mentioned: affected,
            value,
        });
    }
    Some(())
}

fn parse_value(perms: &str, affected: u32) -> Option<Value> {
    match perms {
        "u" => return Some(Value::Copy(0o700)),
        "g" => return Some(Value::Copy(0o070)),
        "o" => return Some(Value::Copy(0o007)),
        _ => {}
    }
    if !perms.is_empty() && perms.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        // `+755`: octal after an operator, only without classes.
        if affected != 0 {
            return None;
        }
        let value = u32::from_str_radix(perms, 8).ok().filter(|v| *v <= ALL)?;
        return Some(Value::Bits(value));
    }
    let mut bits = 0;
    let mut if_any_x = false;
    for b in perms.bytes() {
        bits |= match b {
            b'r' => READ,
            b'w' => WRITE,
            b'x' => EXEC,
            b'X' => {
                if_any_x = true;
                0
            }
            b's' => SUID | SGID,
            b't' => SVTX,
            _ => return None,
        };
    }
    Some(if if_any_x {
        Value::BitsAndX(bits)
    } else {
        Value::Bits(bits)
    })
}

/// The bits of one class copied to all three (`g=u`).
fn spread(bits: u32) -> u32 {
    let mut out = 0;
    if bits & READ != 0 {
        out |= READ;
    }
    if bits & WRITE != 0 {
        out |= WRITE;
    }
    if bits & EXEC != 0 {
        out |= EXEC;
    }
    out
}

/// `rwxr-xr-x`, with `s`/`S` and `t`/`T` for the special bits, as
/// `ls -l` and `chmod -v` show a mode.
pub(super) fn symbolic(mode: u32) -> String {
    let mut out = String::with_capacity(9);
    for (shift, special, on, off) in [
        (6, SUID, 's', 'S'),
        (3, SGID, 's', 'S'),
        (0, SVTX, 't', 'T'),
    ] {
        let bits = (mode >> shift) & 7;
        out.push(if bits & 4 != 0 { 'r' } else { '-' });
        out.push(if bits & 2 != 0 { 'w' } else { '-' });
        out.push(match (bits & 1 != 0, mode & special != 0) {
            (true, true) => on,
            (false, true) => off,
            (true, false) => 'x',
            (false, false) => '-',
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(mode: &str, old: u32, dir: bool, umask: u32) -> u32 {
        Mode::parse(mode).expect(mode).apply(old, dir, umask)
    }

    #[test]
    fn accepts_what_gnu_accepts() {
        for ok in [
            "755", "0644", "+x", "u+x", "go-w", "a=rX,u+s", "+t", "g=u", "u+x-w", "=", "u=",
            "+755", "04755",
        ] {
            assert!(Mode::parse(ok).is_some(), "{ok}");
        }
        for bad in [
            "", "x", "8", "9", "u+q", "uu", "+xu", "999999", "u+755", "u", ",", "77777",
        ] {
            assert!(Mode::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn symbolic_changes_match_gnu_chmod() {
        // Each line was checked with GNU chmod 9.1 (umask 022 unless given).
        assert_eq!(apply("755", 0o644, false, 0o022), 0o755);
        assert_eq!(apply("u-x", 0o755, false, 0o022), 0o655);
        assert_eq!(apply("=x", 0o655, false, 0o022), 0o111);
        assert_eq!(apply("+w", 0o111, false, 0o022), 0o311);
        assert_eq!(apply("go-rx", 0o755, true, 0o022), 0o700);
        assert_eq!(apply("u=rwx,g=u,o=", 0o600, false, 0o022), 0o770);
        assert_eq!(apply("a+X", 0o770, false, 0o022), 0o771);
        assert_eq!(apply("a+X", 0o644, false, 0o022), 0o644);
        assert_eq!(apply("a+X", 0o700, true, 0o022), 0o711);
        assert_eq!(apply("04755", 0o771, false, 0o022), 0o4755);
        assert_eq!(apply("+t", 0o770, true, 0o022), 0o1770);
        assert_eq!(apply("+w", 0o4755, false, 0o077), 0o4755);
        assert_eq!(apply("-w", 0o666, false, 0o022), 0o466);
    }

    #[test]
    fn directories_keep_set_id_bits_unless_mentioned() {
        assert_eq!(apply("755", 0o2755, true, 0o022), 0o2755);
        assert_eq!(apply("00755", 0o2755, true, 0o022), 0o755);
        assert_eq!(apply("755", 0o2755, false, 0o022), 0o755);
        assert_eq!(apply("g-s", 0o2755, true, 0o022), 0o755);
    }

    #[test]
    fn shows_modes_like_ls() {
        assert_eq!(symbolic(0o755), "rwxr-xr-x");
        assert_eq!(symbolic(0o4755), "rwsr-xr-x");
        assert_eq!(symbolic(0o1770), "rwxrwx--T");
        assert_eq!(symbolic(0o2644), "rw-r-Sr--");
    }
}
