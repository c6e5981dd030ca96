//! `du`, following GNU coreutils: post-order walk, `SIZE<TAB>PATH` lines,
//! hard links counted once, sizes rounded up to the unit.
//!
//! Disk usage is ext4's allocation (see [`crate::meta`]): whole 4 KiB
//! blocks per file, 4 KiB per directory, nothing for symlinks. On a native
//! Unix build the real block counts are used, which agree for ordinary
//! files on ext4.

use crate::io_reason;
use crate::meta::{Info, Kind};
use std::collections::HashSet;
use std::ffi::OsString;
use std::io::Write;
use std::path::Path;

#[derive(Default)]
struct Opts {
    summarize: bool,
    all: bool,
    total: bool,
    human: bool,
    apparent: bool,
    /// Unit in bytes for output; default 1024.
    unit: u64,
    max_depth: Option<usize>,
    one_fs: bool,
    files: Vec<OsString>,
}

fn usage(msg: &str) -> String {
    format!("du: {msg}\nTry 'du --help' for more information.\n")
}

fn parse(args: &[OsString]) -> Result<Opts, String> {
    let mut o = Opts {
        unit: 1024,
        ..Opts::default()
    };
    let mut i = 0;
    let mut operands_only = false;
    while i < args.len() {
        let arg = args[i].to_string_lossy().into_owned();
        i += 1;
        if operands_only || !arg.starts_with('-') || arg == "-" {
            o.files.push(args[i - 1].clone());
            continue;
        }
        let depth = |v: &str| {
            v.parse::<usize>()
                .map_err(|_| usage(&format!("invalid maximum depth '{v}'")))
        };
        if let Some(long) = arg.strip_prefix("--") {
            match long {
                "" => operands_only = true,
                "summarize" => o.summarize = true,
                "all" => o.all = true,
                "total" => o.total = true,
                "human-readable" => o.human = true,
                "apparent-size" => o.apparent = true,
                "bytes" => {
                    o.apparent = true;
                    o.unit = 1;
                }
                "one-file-system" => o.one_fs = true,
                l if l.starts_with("max-depth=") => {
                    o.max_depth = Some(depth(&l["max-depth=".len()..])?)
                }
                "max-depth" => {
                    let v = args
                        .get(i)
                        .map(|a| a.to_string_lossy().into_owned())
                        .ok_or_else(|| usage("option '--max-depth' requires an argument"))?;
                    i += 1;
                    o.max_depth = Some(depth(&v)?);
                }
                _ => return Err(usage(&format!("unrecognized option '{arg}'"))),
            }
            continue;
        }
        let letters: Vec<char> = arg[1..].chars().collect();
        let mut j = 0;
        while j < letters.len() {
            match letters[j] {
                's' => o.summarize = true,
                'a' => o.all = true,
                'c' => o.total = true,
                'h' => o.human = true,
                'k' => {
                    o.unit = 1024;
                    o.human = false;
                }
                'm' => {
                    o.unit = 1024 * 1024;
                    o.human = false;
                }
                'b' => {
                    o.apparent = true;
                    o.unit = 1;
                }
                'x' => o.one_fs = true,
                'd' => {
                    let rest: String = letters[j + 1..].iter().collect();
                    let v = if !rest.is_empty() {
                        rest
                    } else {
                        i += 1;
                        args.get(i - 1)
                            .map(|a| a.to_string_lossy().into_owned())
                            .ok_or_else(|| usage("option requires an argument -- 'd'"))?
                    };
                    o.max_depth = Some(depth(&v)?);
                    break;
                }
                c => return Err(usage(&format!("invalid option -- '{c}'"))),
            }
            j += 1;
        }
    }
    if o.summarize && o.all {
        return Err(usage("cannot both summarize and show all entries"));
    }
    if o.summarize {
        o.max_depth = Some(0);
    }
    if o.files.is_empty() {
        o.files.push(OsString::from("."));
    }
    Ok(o)
}

struct Du<'a> {
    o: &'a Opts,
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    seen: HashSet<(u64, u64)>,
    hash_all: bool,
    failed: bool,
}

impl Du<'_> {
    fn size_of(&self, info: &Info) -> u64 {
        if self.o.apparent {
            if info.kind == Kind::Dir && cfg!(not(unix)) {
                4096.max(info.size)
            } else {
                info.size
            }
        } else {
            info.blocks * 512
        }
    }

    fn print(&mut self, bytes: u64, path: &str) {
        let text = if self.o.human {
            human(bytes)
        } else {
            bytes.div_ceil(self.o.unit).to_string()
        };
        let _ = writeln!(self.out, "{text}\t{path}");
    }

    /// Walks `path` at `depth`; returns its total in bytes.
    fn walk(&mut self, path: &Path, shown: &str, depth: usize, dev: Option<u64>) -> u64 {
        let meta = match std::fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(e) => {
                let _ = writeln!(self.err, "du: cannot access '{shown}': {}", io_reason(&e));
                self.failed = true;
                return 0;
            }
        };
        let info = Info::from_metadata(&meta, path);
        if self.o.one_fs && dev.is_some_and(|d| d != info.dev) {
            return 0;
        }
        // Hard links count once; with several operands GNU remembers every
        // inode, so a file reached twice is counted (and shown) once.
        let remember = self.hash_all || (info.kind != Kind::Dir && info.nlink > 1);
        if remember && info.ino != 0 && !self.seen.insert((info.dev, info.ino)) {
            return 0;
        }
        let mut total = self.size_of(&info);
        if info.kind == Kind::Dir {
            let mut children: Vec<OsString> = match std::fs::read_dir(path) {
                Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.file_name())).collect(),
                Err(e) => {
                    let _ = writeln!(
                        self.err,
                        "du: cannot read directory '{shown}': {}",
                        io_reason(&e)
                    );
                    self.failed = true;
                    Vec::new()
                }
            };
            children.sort();
            for child in children {
                let child_shown = if shown.ends_with('/') {
                    format!("{shown}{}", child.to_string_lossy())
                } else {
                    format!("{shown}/{}", child.to_string_lossy())
                };
                total += self.walk(&path.join(&child), &child_shown, depth + 1, Some(info.dev));
            }
        }
        let within = self.o.max_depth.is_none_or(|m| depth <= m);
        if within && (info.kind == Kind::Dir || self.o.all || depth == 0) {
            self.print(total, shown);
        }
        total
    }
}

/// GNU `-h`: powers of 1024, rounded up, one decimal below 10.
pub fn human(bytes: u64) -> String {
    if bytes < 1024 {
        return bytes.to_string();
    }
    let units = ["K", "M", "G", "T", "P", "E"];
    let mut value = bytes as f64;
    let mut unit = 0;
    value /= 1024.0;
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value < 10.0 {
        let tenths = (value * 10.0).ceil();
        if tenths >= 100.0 {
            return format!("10{}", units[unit]);
        }
        format!("{:.1}{}", tenths / 10.0, units[unit])
    } else {
        format!("{}{}", value.ceil() as u64, units[unit])
    }
}

/// Runs `du` with `args` (`args[0]` is the program name).
pub fn run(args: &[OsString], stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    if let Some(text) = crate::about::requested("du", args.get(1..).unwrap_or_default()) {
        return match stdout.write_all(text.as_bytes()) {
            Ok(()) => 0,
            Err(e) => {
                let _ = writeln!(stderr, "du: write error: {}", io_reason(&e));
                1
            }
        };
    }
    let o = match parse(args.get(1..).unwrap_or_default()) {
        Ok(o) => o,
        Err(msg) => {
            let _ = stderr.write_all(msg.as_bytes());
            return 1;
        }
    };
    let hash_all = o.files.len() > 1;
    let mut du = Du {
        o: &o,
        out: stdout,
        err: stderr,
        seen: HashSet::new(),
        hash_all,
        failed: false,
    };
    let mut grand = 0;
    for f in &o.files {
        let shown = f.to_string_lossy().into_owned();
        grand += du.walk(Path::new(f), &shown, 0, None);
    }
    if o.total {
        du.print(grand, "total");
    }
    let _ = du.out.flush();
    i32::from(du.failed)
}

#[cfg(test)]
mod tests {
    use super::human;

    #[test]
    fn human_sizes_round_up() {
        assert_eq!(human(0), "0");
        assert_eq!(human(4096), "4.0K");
        assert_eq!(human(16384), "16K");
        assert_eq!(human(1025), "1.1K");
        assert_eq!(human(10 * 1024 - 1), "10K");
        assert_eq!(human(1536 * 1024), "1.5M");
    }
}
