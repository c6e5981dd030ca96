//! `tar`, following GNU tar 1.34 for `-c`, `-x` and `-t`.
//!
//! Archives are built and read in memory (sandbox files are small), which
//! makes gzip detection on read trivial: like GNU tar, `-z` is optional when
//! reading. Exit status 2 after any error, with GNU's closing message.

mod create;
pub mod exclude;
mod extract;
pub mod opts;
mod sys;
mod unpack;

use crate::io_reason;
use exclude::Exclude;
use opts::{Mode, Options};
use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use tar::{EntryType, Header};

/// State of one tar run.
struct Tar<'a> {
    o: &'a Options,
    /// `--exclude` and `--exclude-from` patterns.
    exclude: Exclude,
    stdout: &'a mut dyn Write,
    stderr: &'a mut dyn Write,
    failed: bool,
    /// A fatal message that ends the run (GNU: "Error is not recoverable").
    fatal_usage: Option<String>,
}

impl Tar<'_> {
    fn error(&mut self, msg: String) {
        let _ = writeln!(self.stderr, "tar: {msg}");
        self.failed = true;
    }

    fn note(&mut self, msg: &str) {
        let _ = writeln!(self.stderr, "tar: {msg}");
    }

    /// `path` relative to `-C`.
    fn resolve(&self, path: &Path) -> PathBuf {
        match &self.o.directory {
            Some(dir) if path.is_relative() => Path::new(dir).join(path),
            _ => path.to_path_buf(),
        }
    }

    /// `-v` output: the name (to stderr when the archive goes to stdout);
    /// `-vv` a long listing.
    fn verbose_entry(&mut self, name: &str, header: &Header, link: Option<&str>) {
        if self.o.verbose == 0 {
            return;
        }
        let to_stderr = self.o.mode == Some(Mode::Create)
            && self.o.file.as_deref().unwrap_or("-") == "-"
            || self.o.to_stdout;
        if self.o.verbose >= 2 {
            self.long_listing(name, header, link, !to_stderr);
        } else if to_stderr {
            let _ = writeln!(self.stderr, "{name}");
        } else {
            let _ = writeln!(self.stdout, "{name}");
        }
    }

    /// `drwxr-xr-x root/root         0 2024-01-02 03:04 name`
    fn long_listing(&mut self, name: &str, header: &Header, link: Option<&str>, stdout: bool) {
        let line = long_line(name, header, link);
        let out: &mut dyn Write = if stdout { self.stdout } else { self.stderr };
        let _ = writeln!(out, "{line}");
    }
}

/// One line of `tar -tv`.
pub fn long_line(name: &str, header: &Header, link: Option<&str>) -> String {
    let ty = header.entry_type();
    let type_char = match ty {
        EntryType::Directory => 'd',
        EntryType::Symlink => 'l',
        EntryType::Char => 'c',
        EntryType::Block => 'b',
        EntryType::Fifo => 'p',
        EntryType::Link => 'h',
        _ => '-',
    };
    let mode = header.mode().unwrap_or(0);
    let mut perms: Vec<char> = "rwxrwxrwx"
        .chars()
        .enumerate()
        .map(|(i, c)| if mode & (0o400 >> i) != 0 { c } else { '-' })
        .collect();
    // setuid, setgid and sticky show in the execute slots, as in `ls -l`.
    for (bit, slot, letter) in [(0o4000, 2, 's'), (0o2000, 5, 's'), (0o1000, 8, 't')] {
        if mode & bit != 0 {
            let executable = perms[slot] != '-';
            perms[slot] = if executable {
                letter
            } else {
                letter.to_ascii_uppercase()
            };
        }
    }
    let perms: String = perms.into_iter().collect();
    let user = header
        .username()
        .ok()
        .flatten()
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| header.uid().unwrap_or(0).to_string());
    let group = header
        .groupname()
        .ok()
        .flatten()
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| header.gid().unwrap_or(0).to_string());
    let size = header.size().unwrap_or(0).to_string();
    let owner = format!("{user}/{group}");
    // GNU pads owner and size to a combined width of 19.
    let pad = 19usize.saturating_sub(owner.len() + size.len()).max(1);
    let date = format_time(header.mtime().unwrap_or(0) as i64);
    let mut line = format!(
        "{type_char}{perms} {owner}{}{size} {date} {name}",
        " ".repeat(pad)
    );
    match (ty, link) {
        (EntryType::Symlink, Some(l)) => line.push_str(&format!(" -> {l}")),
        (EntryType::Link, Some(l)) => line.push_str(&format!(" link to {l}")),
        _ => {}
    }
    line
}

/// `YYYY-MM-DD HH:MM` in UTC (the sandbox has no time zone database).
pub fn format_time(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60
    )
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The exclusion patterns of `--exclude` and the files of
/// `--exclude-from` (read relative to the starting directory, as GNU reads
/// them while parsing options); the error names the unreadable file.
fn load_excludes(o: &Options) -> Result<Exclude, String> {
    let mut exclude = Exclude::default();
    for pattern in &o.exclude {
        exclude.add(pattern);
    }
    for file in &o.exclude_from {
        match std::fs::read(file) {
            Ok(bytes) => exclude.add_lines(&String::from_utf8_lossy(&bytes)),
            Err(e) => return Err(format!("{file}: Cannot open: {}", io_reason(&e))),
        }
    }
    Ok(exclude)
}

/// Runs tar with `args` (`args[0]` is the program name) on the given streams.
pub fn run(
    args: &[OsString],
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let o = match opts::parse(args.get(1..).unwrap_or_default()) {
        Ok(o) => o,
        Err(msg) if msg.is_empty() => {
            let _ = stdout.write_all(b"Usage: tar [OPTION...] [FILE]...\n  -c  create  -x  extract  -t  list\n  -f ARCHIVE  -z gzip  -v verbose  -C DIR  -O to stdout  --strip-components=N  -k keep old files\n  --exclude=PATTERN  -X, --exclude-from=FILE\n");
            return 0;
        }
        Err(msg) => {
            let _ = stderr.write_all(msg.as_bytes());
            return 2;
        }
    };
    let exclude = match load_excludes(&o) {
        Ok(e) => e,
        Err(msg) => {
            let _ = writeln!(stderr, "tar: {msg}");
            let _ = writeln!(stderr, "tar: Error is not recoverable: exiting now");
            return 2;
        }
    };
    let archive = o.file.clone().unwrap_or_else(|| "-".to_owned());
    let mut t = Tar {
        o: &o,
        exclude,
        stdout,
        stderr,
        failed: false,
        fatal_usage: None,
    };
    match o.mode {
        Some(Mode::Create) => {
            let mut data = t.create();
            if let Some(msg) = t.fatal_usage.take() {
                let _ = t.stderr.write_all(opts::usage(&msg).as_bytes());
                return 2;
            }
            if o.gzip {
                let mut gz = Vec::new();
                let header = crate::gzip::codec::Header::default();
                if crate::gzip::codec::compress(&mut &data[..], &mut gz, 6, &header).is_ok() {
                    data = gz;
                }
            }
            let written = if archive == "-" {
                t.stdout.write_all(&data)
            } else {
                std::fs::write(&archive, &data)
            };
            if let Err(e) = written {
                t.error(format!("{archive}: Cannot write: {}", io_reason(&e)));
            }
        }
        Some(mode) => {
            let mut data = Vec::new();
            let read = if archive == "-" {
                stdin.read_to_end(&mut data).map(drop)
            } else {
                std::fs::File::open(&archive)
                    .and_then(|mut f| f.read_to_end(&mut data))
                    .map(drop)
            };
            if let Err(e) = read {
                t.error(format!("{archive}: Cannot open: {}", io_reason(&e)));
                t.note("Error is not recoverable: exiting now");
                return 2;
            }
            if data.starts_with(&[0x1f, 0x8b]) {
                let mut plain = Vec::new();
                if let Err(e) = crate::gzip::codec::decompress(&data, &mut plain) {
                    t.note(&format!("{archive}: gzip: {e:?}"));
                    t.note("Error is not recoverable: exiting now");
                    return 2;
                }
                data = plain;
            } else if o.gzip && !data.is_empty() {
                t.note("gzip: stdin: not in gzip format");
                t.note("Child returned status 1");
                t.note("Error is not recoverable: exiting now");
                return 2;
            }
            t.read_archive(&data, mode == Mode::Extract);
        }
        None => unreachable!("parse requires a mode"),
    }
    let _ = t.stdout.flush();
    if let Some(msg) = t.fatal_usage.take() {
        t.note(&msg);
        return 2;
    }
    if t.failed {
        t.note("Exiting with failure status due to previous errors");
        return 2;
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_show_types_and_special_bits() {
        let mut h = Header::new_gnu();
        h.set_entry_type(EntryType::Link);
        h.set_mode(0o4755);
        h.set_size(0);
        h.set_mtime(0);
        h.set_uid(0);
        h.set_gid(0);
        assert_eq!(
            long_line("b", &h, Some("a")),
            "hrwsr-xr-x 0/0               0 1970-01-01 00:00 b link to a"
        );
        h.set_entry_type(EntryType::Directory);
        h.set_mode(0o1777);
        assert!(long_line("d/", &h, None).starts_with("drwxrwxrwt "));
        h.set_mode(0o3644);
        assert!(long_line("d/", &h, None).starts_with("drw-r-Sr-T "));
    }

    #[test]
    fn dates_are_civil_utc() {
        assert_eq!(format_time(0), "1970-01-01 00:00");
        assert_eq!(format_time(1_704_164_645), "2024-01-02 03:04");
        assert_eq!(format_time(951_782_400), "2000-02-29 00:00");
    }
}
