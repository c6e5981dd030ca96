//! `mapfile [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd]
//! [-C callback] [-c quantum] [array]`, also called `readarray`.

use super::internal_getopt::{self, Parsed};
use super::line_reader::Source;
use super::read::is_identifier;
use super::test::legal_number;
use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};
use crate::io::StreamError;
use crate::state::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// bash's default `-c`: lines between two callbacks.
const DEFAULT_QUANTUM: u64 = 5000;

/// The options of one `mapfile`.
struct Options {
    delim: u8,
    /// Lines to store; 0 for all.
    count: u64,
    /// Index of the first line; `None` clears the array first.
    origin: Option<i64>,
    skip: u64,
    chop: bool,
    fd: u32,
    callback: Option<String>,
    quantum: u64,
}

/// `mapfile`/`readarray`: reads lines (up to `-d`, default newline) into
/// an indexed array, `MAPFILE` by default; `-t` drops the delimiters, `-n`
/// stops after that many lines, `-s` skips lines first, `-O` starts at an
/// index instead of clearing the array, `-C` evaluates a callback with the
/// index and line every `-c` lines.
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let name = argv[0].clone();
        let (options, first) = match parse_options(sh, &name, &argv).await {
            Ok(parsed) => parsed,
            Err(status) => return done(status),
        };
        let array = argv.get(first).cloned().unwrap_or_else(|| "MAPFILE".into());
        if array.is_empty() {
            sh.builtin_error(&name, "empty array variable name").await;
            return done(internal_getopt::STATUS_USAGE);
        }
        if !is_identifier(&array) {
            sh.builtin_error(&name, &format!("`{array}': not a valid identifier"))
                .await;
            return done(1);
        }
        if sh.attrs(&array).readonly {
            sh.error_line(&format!("{array}: readonly variable")).await;
            return done(1);
        }
        if sh.is_assoc(&array) {
            sh.builtin_error(&name, &format!("{array}: not an indexed array"))
                .await;
            return done(1);
        }
        // A closed or write-only descriptor reads as empty, as bash's
        // failing reads do.
        let input = sh
            .state
            .fds
            .get(options.fd)
            .and_then(|fd| fd.as_input())
            .unwrap_or_default();
        if options.origin.is_none() {
            if let Err(err) = sh.set_array(&array, Value::empty_indexed(), false) {
                sh.error_line(&err.message()).await;
                return done(1);
            }
        }
        // Reading everything anyway (no count, no callback that could
        // read the same input), the input can be read ahead.
        let mut source = if options.count == 0 && options.callback.is_none() {
            Source::bulk(input)
        } else {
            Source::new(input)
        };
        let result = fill(sh, &options, &array, &mut source).await;
        source.finish().await;
        result?;
        done(0)
    })
}

/// Parses the options; `Err` carries the status of a refused invocation.
async fn parse_options(
    sh: &mut Interp,
    name: &str,
    argv: &[String],
) -> Result<(Options, usize), i32> {
    let usage = format!(
        "{name} [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] [-c quantum] [array]"
    );
    let Parsed {
        options: flags,
        first_operand,
    } = match internal_getopt::parse(argv, "d:n:O:s:tu:C:c:") {
        Ok(parsed) => parsed,
        Err(err) => return Err(sh.option_error(name, err, &usage).await),
    };
    let mut options = Options {
        delim: b'\n',
        count: 0,
        origin: None,
        skip: 0,
        chop: false,
        fd: 0,
        callback: None,
        quantum: DEFAULT_QUANTUM,
    };
    for (flag, value) in flags {
        let value = value.unwrap_or_default();
        let number = legal_number(&value);
        let refuse = |what: &str| format!("{value}: {what}");
        let problem = match flag {
            'd' => {
                options.delim = value.bytes().next().unwrap_or(0);
                None
            }
            'n' | 's' => match number {
                Some(n) if n >= 0 => {
                    if flag == 'n' {
                        options.count = n as u64;
                    } else {
                        options.skip = n as u64;
                    }
                    None
                }
                _ => Some(refuse("invalid line count")),
            },
            'O' => match number {
                Some(n) if n >= 0 => {
                    options.origin = Some(n);
                    None
                }
                _ => Some(refuse("invalid array origin")),
            },
            'c' => match number {
                Some(n) if n > 0 => {
                    options.quantum = n as u64;
                    None
                }
                _ => Some(refuse("invalid callback quantum")),
            },
            'u' => match number.and_then(|n| u32::try_from(n).ok()) {
                Some(fd) if sh.state.fds.get(fd).is_some() => {
                    options.fd = fd;
                    None
                }
                Some(fd) => Some(format!(
                    "{fd}: invalid file descriptor: Bad file descriptor"
                )),
                None => Some(refuse("invalid file descriptor specification")),
            },
            'C' => {
                options.callback = Some(value.clone());
                None
            }
            _ => {
                options.chop = true;
                None
            }
        };
        if let Some(message) = problem {
            sh.builtin_error(name, &message).await;
            return Err(1);
        }
    }
    Ok((options, first_operand))
}

/// One line with its delimiter, if it ended with one; `None` at the end.
async fn next_line(source: &mut Source, delim: u8) -> Result<Option<Vec<u8>>, StreamError> {
    let mut line = Vec::new();
    while let Some(byte) = source.byte().await? {
        line.push(byte);
        if byte == delim {
            return Ok(Some(line));
        }
    }
    Ok((!line.is_empty()).then_some(line))
}

/// Reads the lines into `array`, running the callback on the way. Lines
/// are stored in batches (before each callback and at the end), so a
/// large file costs one copy of the array, not one per line. A read
/// error ends the input, as in bash.
async fn fill(sh: &mut Interp, options: &Options, array: &str, source: &mut Source) -> Exec<()> {
    for _ in 0..options.skip {
        if !matches!(next_line(source, options.delim).await, Ok(Some(_))) {
            return Ok(());
        }
    }
    let mut index = options.origin.unwrap_or(0);
    let mut pending = Vec::new();
    let mut stored = 0u64;
    loop {
        let Ok(Some(mut line)) = next_line(source, options.delim).await else {
            break;
        };
        if options.chop && line.last() == Some(&options.delim) {
            line.pop();
        }
        let line = String::from_utf8_lossy(&line).into_owned();
        stored += 1;
        if let Some(callback) = &options.callback {
            if stored.is_multiple_of(options.quantum) {
                store(sh, array, std::mem::take(&mut pending)).await;
                let command = format!("{callback} {index} {}", single_quote(&line));
                sh.eval_string(&command, "mapfile").await?;
            }
        }
        pending.push((index, line));
        index += 1;
        if options.count != 0 && stored >= options.count {
            break;
        }
    }
    store(sh, array, pending).await;
    Ok(())
}

/// Adds `elements` to the indexed array `array`.
async fn store(sh: &mut Interp, array: &str, elements: Vec<(i64, String)>) {
    if elements.is_empty() {
        return;
    }
    let mut map = match sh.value(array) {
        Some(Value::Indexed(map)) => (*map).clone(),
        Some(Value::Scalar(s)) => BTreeMap::from([(0, s)]),
        _ => BTreeMap::new(),
    };
    map.extend(elements);
    if let Err(err) = sh.set_array(array, Value::Indexed(Arc::new(map)), false) {
        sh.error_line(&err.message()).await;
    }
}

/// `'text'`, with embedded quotes as `'\''` (bash's `sh_single_quote`).
fn single_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}
