//! `gzip`, `gunzip` and `zcat`, following GNU gzip 1.12.
//!
//! Each file operand is handled on its own: errors (exit 1) and warnings
//! (exit 2, e.g. "already has .gz suffix") are reported and the next
//! operand is processed; an error outranks a warning in the exit status.

pub mod codec;

use crate::{io_reason, Status};
use codec::{DecodeError, Header};
use std::ffi::OsString;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// Parsed command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// `-d`: decompress.
    pub decompress: bool,
    /// `-c`: write to stdout, keep inputs.
    pub stdout: bool,
    /// `-f`: overwrite outputs, compress `.gz` files again.
    pub force: bool,
    /// `-k`: keep inputs.
    pub keep: bool,
    /// `-l`: list compressed files.
    pub list: bool,
    /// `-t`: test integrity.
    pub test: bool,
    /// `-v`: report each file.
    pub verbose: bool,
    /// `-q`: suppress warnings.
    pub quiet: bool,
    /// `-n`: do not store name and time (`-N` undoes it).
    pub no_name: bool,
    /// `-r`: descend into directories.
    pub recursive: bool,
    /// `-1`..`-9`; default 6.
    pub level: u32,
    /// `-S`: suffix, default `.gz`.
    pub suffix: String,
    /// File operands; empty means stdin.
    pub files: Vec<OsString>,
}

const HELP: &str = "Usage: gzip [OPTION]... [FILE]...
Compress or uncompress FILEs (by default, compress FILES in-place).

  -c, --stdout      write on standard output, keep original files unchanged
  -d, --decompress  decompress
  -f, --force       force overwrite of output file and compress links
  -h, --help        give this help
  -k, --keep        keep (don't delete) input files
  -l, --list        list compressed file contents
  -n, --no-name     do not save or restore the original name and timestamp
  -N, --name        save or restore the original name and timestamp
  -q, --quiet       suppress all warnings
  -r, --recursive   operate recursively on directories
  -S, --suffix=SUF  use suffix SUF on compressed files
  -t, --test        test compressed file integrity
  -v, --verbose     verbose mode
  -V, --version     display version number
  -1, --fast        compress faster
  -9, --best        compress better

With no FILE, or when FILE is -, read standard input.
";

/// Parses gzip's arguments (without the program name).
pub fn parse(args: &[OsString], mut o: Options) -> Result<Options, (Status, String)> {
    let bad = |msg: String| {
        (
            Status::Error,
            format!("gzip: {msg}\nTry 'gzip --help' for more information.\n"),
        )
    };
    let mut i = 0;
    let mut operands_only = false;
    while i < args.len() {
        let arg = args[i].to_string_lossy().into_owned();
        i += 1;
        if operands_only || arg == "-" || !arg.starts_with('-') {
            o.files.push(OsString::from(&arg));
            continue;
        }
        if arg == "--" {
            operands_only = true;
            continue;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (long, None),
            };
            match name {
                "stdout" | "to-stdout" => o.stdout = true,
                "decompress" | "uncompress" => o.decompress = true,
                "force" => o.force = true,
                "keep" => o.keep = true,
                "list" => o.list = true,
                "test" => o.test = true,
                "verbose" => o.verbose = true,
                "quiet" | "silent" => o.quiet = true,
                "no-name" => o.no_name = true,
                "name" => o.no_name = false,
                "recursive" => o.recursive = true,
                "fast" => o.level = 1,
                "best" => o.level = 9,
                "suffix" => {
                    o.suffix = match value {
                        Some(v) => v,
                        None if i < args.len() => {
                            i += 1;
                            args[i - 1].to_string_lossy().into_owned()
                        }
                        None => return Err(bad("option '--suffix' requires an argument".into())),
                    }
                }
                "help" => return Err((Status::Ok, HELP.to_owned())),
                "version" => return Err((Status::Ok, "gzip 1.12\n".to_owned())),
                _ => return Err(bad(format!("unrecognized option '{arg}'"))),
            }
            continue;
        }
        let flags: Vec<char> = arg[1..].chars().collect();
        let mut j = 0;
        while j < flags.len() {
            match flags[j] {
                'c' => o.stdout = true,
                'd' => o.decompress = true,
                'f' => o.force = true,
                'k' => o.keep = true,
                'l' => o.list = true,
                't' => o.test = true,
                'v' => o.verbose = true,
                'q' => o.quiet = true,
                'n' => o.no_name = true,
                'N' => o.no_name = false,
                'r' => o.recursive = true,
                c @ '1'..='9' => o.level = c as u32 - '0' as u32,
                'S' => {
                    let rest: String = flags[j + 1..].iter().collect();
                    o.suffix = if !rest.is_empty() {
                        rest
                    } else if i < args.len() {
                        i += 1;
                        args[i - 1].to_string_lossy().into_owned()
                    } else {
                        return Err(bad("option requires an argument -- 'S'".into()));
                    };
                    break;
                }
                'h' => return Err((Status::Ok, HELP.to_owned())),
                'V' => return Err((Status::Ok, "gzip 1.12\n".to_owned())),
                c => return Err(bad(format!("invalid option -- '{c}'"))),
            }
            j += 1;
        }
    }
    if o.suffix.is_empty() {
        return Err(bad("invalid suffix ''".into()));
    }
    Ok(o)
}

/// Defaults for `gzip`; `gunzip` and `zcat` preset `decompress`/`stdout`.
pub fn defaults() -> Options {
    Options {
        decompress: false,
        stdout: false,
        force: false,
        keep: false,
        list: false,
        test: false,
        verbose: false,
        quiet: false,
        no_name: false,
        recursive: false,
        level: 6,
        suffix: ".gz".to_owned(),
        files: Vec::new(),
    }
}

/// Runs gzip on parsed options with the given standard streams.
pub fn run(
    o: &Options,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Status {
    let mut g = Gzip {
        o,
        stdout,
        stderr,
        status: Status::Ok,
        totals: (0, 0, 0),
        listed: 0,
    };
    let files: Vec<OsString> = if o.files.is_empty() {
        vec![OsString::from("-")]
    } else {
        o.files.clone()
    };
    for f in &files {
        if f == "-" {
            g.stdin(stdin);
        } else {
            g.file(Path::new(f));
        }
    }
    if o.list && g.listed > 1 {
        let (c, u, p) = g.totals;
        let line = format!("{c:>19} {u:>19} {:5.1}% (totals)\n", codec::ratio(u, p));
        let _ = g.stdout.write_all(line.as_bytes());
    }
    let _ = g.stdout.flush();
    g.status
}

struct Gzip<'a> {
    o: &'a Options,
    stdout: &'a mut dyn Write,
    stderr: &'a mut dyn Write,
    status: Status,
    /// `-l` totals: compressed, uncompressed, payload.
    totals: (u64, u64, u64),
    listed: usize,
}

impl Gzip<'_> {
    fn error(&mut self, msg: String) {
        let _ = writeln!(self.stderr, "gzip: {msg}");
        self.status = self.status.max(Status::Error);
    }

    fn warn(&mut self, msg: String) {
        if !self.o.quiet {
            let _ = writeln!(self.stderr, "gzip: {msg}");
        }
        self.status = self.status.max(Status::Warning);
    }

    fn stdin(&mut self, stdin: &mut dyn Read) {
        let o = self.o;
        if o.decompress || o.list || o.test {
            let mut data = Vec::new();
            if let Err(e) = stdin.read_to_end(&mut data) {
                return self.error(format!("stdin: {}", io_reason(&e)));
            }
            if o.list {
                return self.list_one("", &data);
            }
            let mut sink = io::sink();
            let out: &mut dyn Write = if o.test { &mut sink } else { self.stdout };
            let r = codec::decompress(&data, out);
            self.report_decode("stdin", r);
        } else {
            let header = Header::default();
            if let Err(e) = codec::compress(stdin, self.stdout, o.level, &header) {
                self.error(format!("stdin: {}", io_reason(&e)));
            }
        }
    }

    fn report_decode(&mut self, name: &str, r: Result<codec::Decoded, DecodeError>) -> bool {
        match r {
            Ok(d) => {
                if d.trailing_garbage {
                    self.warn(format!(
                        "{name}: decompression OK, trailing garbage ignored"
                    ));
                }
                true
            }
            Err(DecodeError::NotGzip) => {
                self.error(format!("{name}: not in gzip format"));
                false
            }
            Err(DecodeError::UnexpectedEof) => {
                self.error(format!("{name}: unexpected end of file"));
                false
            }
            Err(DecodeError::Invalid(why)) => {
                self.error(format!("{name}: {why}"));
                false
            }
            Err(DecodeError::Write(kind, text)) => {
                if kind != io::ErrorKind::BrokenPipe {
                    self.error(format!("stdout: {text}"));
                }
                false
            }
        }
    }

    fn file(&mut self, path: &Path) {
        let name = path.display().to_string();
        let o = self.o;
        let meta = match fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound && (o.decompress || o.list || o.test) => {
                // GNU tries NAME.gz when decompressing a name that does not exist.
                let alt = PathBuf::from(format!("{name}{}", o.suffix));
                if alt.exists() {
                    return self.file(&alt);
                }
                return self.error(format!("{name}: {}", io_reason(&e)));
            }
            Err(e) => return self.error(format!("{name}: {}", io_reason(&e))),
        };
        if meta.is_dir() {
            if o.recursive {
                return self.dir(path);
            }
            return self.warn(format!("{name} is a directory -- ignored"));
        }
        if o.list || o.test || o.decompress {
            self.decompress_file(path, &name, &meta);
        } else {
            self.compress_file(path, &name, &meta);
        }
    }

    fn dir(&mut self, path: &Path) {
        let mut entries: Vec<PathBuf> = match fs::read_dir(path) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => return self.error(format!("{}: {}", path.display(), io_reason(&e))),
        };
        entries.sort();
        for e in entries {
            let is_dir = fs::symlink_metadata(&e)
                .map(|m| m.is_dir())
                .unwrap_or(false);
            // Recursing, GNU skips files it would refuse anyway without a word.
            let skip = !is_dir
                && !self.o.decompress
                && !self.o.list
                && e.to_string_lossy().ends_with(&self.o.suffix);
            if !skip {
                self.file(&e);
            }
        }
    }

    fn compress_file(&mut self, path: &Path, name: &str, meta: &fs::Metadata) {
        let o = self.o;
        if name.ends_with(&o.suffix) && !o.force && !o.stdout {
            return self.warn(format!(
                "{name} already has {} suffix -- unchanged",
                o.suffix
            ));
        }
        let mut input = match fs::File::open(path) {
            Ok(f) => f,
            Err(e) => return self.error(format!("{name}: {}", io_reason(&e))),
        };
        let header = if o.no_name {
            Header::default()
        } else {
            let base = path
                .file_name()
                .map(|n| n.to_string_lossy().as_bytes().to_vec());
            let mtime = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
            Header {
                name: base,
                mtime: mtime.map_or(0, |d| d.as_secs() as u32),
            }
        };
        if o.stdout {
            if let Err(e) = codec::compress(&mut input, self.stdout, o.level, &header) {
                self.error(format!("{name}: {}", io_reason(&e)));
            }
            return;
        }
        let out = PathBuf::from(format!("{name}{}", o.suffix));
        let mut buf = Vec::new();
        let (read, _) = match codec::compress(&mut input, &mut buf, o.level, &header) {
            Ok(n) => n,
            Err(e) => return self.error(format!("{name}: {}", io_reason(&e))),
        };
        if !self.write_output(&out, &buf, meta) {
            return;
        }
        if o.verbose {
            let payload = (buf.len() - codec::header_len(&buf).unwrap_or(10) - 8) as u64;
            let msg = format!(
                "{name}:\t{:5.1}% -- replaced with {}\n",
                codec::ratio(read, payload),
                out.display()
            );
            let _ = self.stderr.write_all(msg.as_bytes());
        }
        self.remove_input(path, name);
    }

    fn decompress_file(&mut self, path: &Path, name: &str, meta: &fs::Metadata) {
        let o = self.o;
        let out = if o.stdout || o.test || o.list {
            None
        } else {
            Some(output_name(name, &o.suffix))
        };
        if let Some(None) = out {
            return self.warn(format!("{name}: unknown suffix -- ignored"));
        }
        let data = match fs::read(path) {
            Ok(d) => d,
            Err(e) => return self.error(format!("{name}: {}", io_reason(&e))),
        };
        if o.list {
            let shown = output_name(name, &o.suffix).unwrap_or_else(|| name.to_owned());
            return self.list_one(&shown, &data);
        }
        if o.test {
            let r = codec::decompress(&data, &mut io::sink());
            if self.report_decode(name, r) && o.verbose {
                let _ = writeln!(self.stderr, "{name}:\t OK");
            }
            return;
        }
        let Some(Some(out)) = out else {
            let r = codec::decompress(&data, self.stdout);
            self.report_decode(name, r);
            return;
        };
        let mut buf = Vec::new();
        let r = codec::decompress(&data, &mut buf);
        if !self.report_decode(name, r) {
            return;
        }
        if !self.write_output(Path::new(&out), &buf, meta) {
            return;
        }
        if o.verbose {
            let payload = codec::list_sizes(&data).map_or(0, |s| s.1);
            let msg = format!(
                "{name}:\t{:5.1}% -- replaced with {out}\n",
                codec::ratio(buf.len() as u64, payload)
            );
            let _ = self.stderr.write_all(msg.as_bytes());
        }
        self.remove_input(path, name);
    }

    fn list_one(&mut self, shown: &str, data: &[u8]) {
        if self.listed == 0 {
            let _ = self
                .stdout
                .write_all(b"         compressed        uncompressed  ratio uncompressed_name\n");
        }
        let Some((uncompressed, payload)) = codec::list_sizes(data) else {
            let what = if shown.is_empty() {
                "stdin".to_owned()
            } else {
                format!("{shown}{}", self.o.suffix)
            };
            return self.error(format!("{what}: not in gzip format"));
        };
        self.listed += 1;
        let c = data.len() as u64;
        self.totals = (
            self.totals.0 + c,
            self.totals.1 + uncompressed,
            self.totals.2 + payload,
        );
        let line = format!(
            "{c:>19} {uncompressed:>19} {:5.1}% {shown}\n",
            codec::ratio(uncompressed, payload)
        );
        let _ = self.stdout.write_all(line.as_bytes());
    }

    /// Writes `data` to `out` unless it exists (without `-f`), copying the
    /// input's permissions and modification time as GNU does.
    fn write_output(&mut self, out: &Path, data: &[u8], meta: &fs::Metadata) -> bool {
        if fs::symlink_metadata(out).is_ok() {
            if !self.o.force {
                self.warn(format!(
                    "{} already exists;\tnot overwritten",
                    out.display()
                ));
                return false;
            }
            let _ = fs::remove_file(out);
        }
        let written = fs::File::create(out).and_then(|mut f| {
            f.write_all(data)?;
            if let Ok(t) = meta.modified() {
                let _ = f.set_modified(t);
            }
            Ok(())
        });
        if let Err(e) = written {
            self.error(format!("{}: {}", out.display(), io_reason(&e)));
            return false;
        }
        let _ = fs::set_permissions(out, meta.permissions());
        true
    }

    fn remove_input(&mut self, path: &Path, name: &str) {
        if !self.o.keep {
            if let Err(e) = fs::remove_file(path) {
                self.error(format!("{name}: {}", io_reason(&e)));
            }
        }
    }
}

/// The decompressed name for `name`, or `None` for an unknown suffix.
pub fn output_name(name: &str, suffix: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    for (suf, repl) in [(".tgz", ".tar"), (".taz", ".tar")] {
        if lower.ends_with(suf) && name.len() > suf.len() {
            return Some(format!("{}{repl}", &name[..name.len() - suf.len()]));
        }
    }
    let base_len = Path::new(name).file_name().map_or(name.len(), |b| b.len());
    for suf in [suffix, ".gz", "-gz", ".z", "-z", "_z"] {
        if lower.ends_with(&suf.to_ascii_lowercase()) && base_len > suf.len() {
            return Some(name[..name.len() - suf.len()].to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<OsString> {
        a.iter().map(OsString::from).collect()
    }

    #[test]
    fn bundled_flags_and_levels() {
        let o = parse(&args(&["-dc9", "x.gz", "-"]), defaults()).unwrap();
        assert!(o.decompress && o.stdout);
        assert_eq!(o.level, 9);
        assert_eq!(o.files, args(&["x.gz", "-"]));
        assert!(parse(&args(&["-Z"]), defaults()).is_err());
    }

    #[test]
    fn suffixes() {
        assert_eq!(output_name("a.gz", ".gz").as_deref(), Some("a"));
        assert_eq!(output_name("a.tgz", ".gz").as_deref(), Some("a.tar"));
        assert_eq!(output_name("dir/A.GZ", ".gz").as_deref(), Some("dir/A"));
        assert_eq!(output_name("a", ".gz"), None);
        assert_eq!(output_name(".gz", ".gz"), None);
    }
}
