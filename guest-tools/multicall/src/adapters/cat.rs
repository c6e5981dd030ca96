//! `cat`: plain concatenation without uu_cat's option parser.
//!
//! `cat FILE…` with no option is most of the cat an agent runs, and for it
//! parsing arguments with clap and setting up uu_cat is most of the cost of
//! the command. Without options, this module copies the files itself, with
//! GNU cat's messages and status; any option goes to uu_cat unchanged.

use std::ffi::OsString;
use std::io::{self, Read, Write};

/// Runs `cat`: the fast path for operands only, uu_cat otherwise.
pub fn cat_main(args: Vec<OsString>) -> i32 {
    let has_option = args
        .iter()
        .skip(1)
        .any(|arg| arg.as_encoded_bytes().first() == Some(&b'-') && arg.len() > 1);
    if has_option {
        return super::uutils::run("cat", args, |args| uu_cat::uumain(args.into_iter()));
    }
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut status = 0;
    let operands: Vec<&OsString> = args.iter().skip(1).collect();
    let stdin_only = [OsString::from("-")];
    let operands: Vec<&OsString> = if operands.is_empty() {
        stdin_only.iter().collect()
    } else {
        operands
    };
    for operand in operands {
        let copied = if operand == "-" {
            copy(&mut io::stdin().lock(), &mut out)
        } else {
            match open(operand) {
                Ok(mut file) => copy(&mut file, &mut out),
                Err(err) => Err(Failure::Read(err)),
            }
        };
        match copied {
            Ok(()) => {}
            Err(Failure::Read(err)) => {
                let _ = out.flush();
                eprintln!("cat: {}: {}", operand.to_string_lossy(), describe(&err));
                status = 1;
            }
            // A reader that went away (`cat f | head -1`) ends cat quietly,
            // as SIGPIPE would.
            Err(Failure::Write(err)) if err.kind() == io::ErrorKind::BrokenPipe => return status,
            Err(Failure::Write(err)) => {
                eprintln!("cat: write error: {}", describe(&err));
                return 1;
            }
        }
    }
    match out.flush() {
        Ok(()) => status,
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => status,
        Err(err) => {
            eprintln!("cat: write error: {}", describe(&err));
            1
        }
    }
}

/// Which side of the copy failed.
enum Failure {
    Read(io::Error),
    Write(io::Error),
}

/// Opens `path` for reading; a directory is refused as GNU cat's read of
/// it would be.
fn open(path: &OsString) -> io::Result<std::fs::File> {
    let file = std::fs::File::open(path)?;
    if file.metadata()?.is_dir() {
        return Err(io::Error::from(io::ErrorKind::IsADirectory));
    }
    Ok(file)
}

fn copy(input: &mut impl Read, out: &mut impl Write) -> Result<(), Failure> {
    let mut buf = [0u8; 64 * 1024];
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(Failure::Read(err)),
        };
        out.write_all(&buf[..n]).map_err(Failure::Write)?;
    }
}

/// The strerror text GNU prints for `err` (without Rust's "(os error N)").
fn describe(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "No such file or directory".into(),
        io::ErrorKind::PermissionDenied => "Permission denied".into(),
        io::ErrorKind::IsADirectory => "Is a directory".into(),
        io::ErrorKind::NotADirectory => "Not a directory".into(),
        _ => {
            let text = err.to_string();
            match text.find(" (os error") {
                Some(end) => text[..end].to_string(),
                None => text,
            }
        }
    }
}
