//! Turning the program text into a jaq filter: the definitions and native
//! filters in scope, the global variables (`$ENV`, `$ARGS`, `--arg`s), and
//! compile errors in jq's words.

use crate::cli::Options;
use crate::input::Position;
use crate::value::{self, Map, Val};
use jaq_core::box_iter::box_once;
use jaq_core::load::{self, Arena, File, Loader};
use jaq_core::native::{bome, run, v, Filter, Fun};
use jaq_core::{compile::Undefined, data, DataT, Lut, RunPtr};
use jaq_std::input::{self, Inputs};
use std::cell::RefCell;
use std::io::Write;

/// The compiled program.
pub type Compiled = jaq_core::Filter<DataKind>;

/// Marker type tying our value type and run-time data together for jaq.
pub struct DataKind;

impl DataT for DataKind {
    type V<'a> = Val;
    type Data<'a> = &'a Data<'a>;
}

/// What native filters can reach while the program runs.
pub struct Data<'a> {
    /// jaq's look-up table of compiled definitions.
    pub lut: &'a Lut<DataKind>,
    /// The shared input stream, for `input`/`inputs`.
    pub inputs: Inputs<'a, Val>,
    /// Where the input stream is, for `input_filename`/`input_line_number`.
    pub position: &'a Position,
    /// Where `debug`, `stderr` and `halt_error` write.
    pub stderr: &'a RefCell<&'a mut dyn Write>,
}

impl<'a> data::HasLut<'a, DataKind> for &'a Data<'a> {
    fn lut(&self) -> &'a Lut<DataKind> {
        self.lut
    }
}

impl<'a> input::HasInputs<'a, Val> for &'a Data<'a> {
    fn inputs(&self) -> Inputs<'a, Val> {
        self.inputs
    }
}

/// jq builtins that jaq lacks or defines differently, written in jq.
const COMPAT_DEFS: &str = include_str!("compat.jq");

/// jaq definitions we replace (by a native filter or by `compat.jq`).
/// (jaq defines `nan` and `infinite` as `0/0` and `1/0`, which are errors
/// in jq and so in our value type.)
const REPLACED: &[&str] = &[
    "halt_error",
    "debug_empty",
    "stderr_empty",
    "nan",
    "infinite",
];

fn defs() -> impl Iterator<Item = load::parse::Def<&'static str>> {
    let compat = load::parse(COMPAT_DEFS, |p| p.defs()).expect("compat.jq parses");
    jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(value::defs())
        .filter(|d| !REPLACED.contains(&d.name))
        .chain(compat)
}

fn funs() -> impl Iterator<Item = Fun<DataKind>> {
    let std = jaq_std::funs::<DataKind>().filter(|(name, ..)| !REPLACED.contains(name));
    let inputs = input::funs::<DataKind>()
        .into_vec()
        .into_iter()
        .map(run::<DataKind>);
    jaq_core::funs::<DataKind>()
        .chain(std)
        .chain(value::funs())
        .chain(inputs)
        .chain(natives().into_vec().into_iter().map(run::<DataKind>))
}

fn write_stderr(data: &Data, bytes: &[u8]) {
    let _ = data.stderr.borrow_mut().write_all(bytes);
}

/// Native filters that need our run-time data.
fn natives() -> Box<[Filter<RunPtr<DataKind>>]> {
    Box::new([
        ("debug_empty", v(0), |cv| {
            let line = format!("[\"DEBUG:\",{}]\n", cv.1);
            write_stderr(cv.0.data(), line.as_bytes());
            Box::new(core::iter::empty())
        }),
        // jq 1.7: the input, raw if a string, compact otherwise, no newline.
        ("stderr_empty", v(0), |cv| {
            match &cv.1 {
                Val::TStr(s) | Val::BStr(s) => write_stderr(cv.0.data(), s),
                other => write_stderr(cv.0.data(), &other.to_json()),
            }
            Box::new(core::iter::empty())
        }),
        // jq 1.7: a string raw, anything else as JSON with a newline.
        ("halt_error_print", v(0), |cv| {
            match &cv.1 {
                Val::TStr(s) | Val::BStr(s) => write_stderr(cv.0.data(), s),
                other => {
                    let mut text = other.to_json();
                    text.push(b'\n');
                    write_stderr(cv.0.data(), &text)
                }
            }
            Box::new(core::iter::empty())
        }),
        ("nan", v(0), |_| bome(Ok(Val::from(f64::NAN)))),
        ("infinite", v(0), |_| bome(Ok(Val::from(f64::INFINITY)))),
        ("encode_base32", v(0), |cv| {
            let r =
                cv.1.try_as_bytes_owned()
                    .map(|b| Val::from(crate::base32::encode(&b)));
            bome(r)
        }),
        ("decode_base32", v(0), |cv| {
            let r = cv.1.try_as_bytes_owned().and_then(|b| {
                crate::base32::decode(&b)
                    .map(|d| Val::from(String::from_utf8_lossy(&d).into_owned()))
                    .ok_or_else(|| {
                        jaq_core::Error::str(format!("{} is not valid base32 data", cv.1))
                    })
            });
            bome(r)
        }),
        ("input_filename", v(0), |cv| {
            let name = cv.0.data().position.filename();
            box_once(Ok(name.map_or(Val::Null, Val::from)))
        }),
        ("input_line_number", v(0), |cv| {
            bome(Ok(Val::from(cv.0.data().position.line())))
        }),
    ])
}

/// Global variables in the order [`var_values`] supplies them.
fn var_names(opts: &Options) -> Vec<String> {
    let mut names = vec!["$ENV".to_owned(), "$ARGS".to_owned()];
    names.extend(opts.named.iter().map(|(n, _)| format!("${n}")));
    names
}

/// Values of the global variables: `$ENV`, `$ARGS` and the named arguments.
pub fn var_values(opts: &Options) -> Vec<Val> {
    let env: Map = std::env::vars()
        .map(|(k, v)| (Val::from(k), Val::from(v)))
        .collect();
    let named: Map = opts
        .named
        .iter()
        .map(|(k, v)| (Val::from(k.clone()), v.clone()))
        .collect();
    let positional: Val = opts.positional.iter().cloned().collect();
    let args: Map = [
        (Val::from("positional".to_owned()), positional),
        (Val::from("named".to_owned()), Val::obj(named)),
    ]
    .into_iter()
    .collect();
    let mut vals = vec![Val::obj(env), Val::obj(args)];
    vals.extend(opts.named.iter().map(|(_, v)| v.clone()));
    vals
}

/// Compiles `opts.filter`, or returns jq's compile error text.
pub fn compile(opts: &Options) -> Result<Compiled, String> {
    let code = opts.filter.as_str();
    let arena = Arena::default();
    let loader = Loader::new(defs());
    let modules = loader
        .load(&arena, File { code, path: () })
        .map_err(|errs| load_errors(code, errs))?;
    let names = var_names(opts);
    jaq_core::Compiler::default()
        .with_funs(funs())
        .with_global_vars(names.iter().map(|s| s.as_str()))
        .compile(modules)
        .map_err(|errs| {
            let msgs = errs
                .into_iter()
                .flat_map(|(_, errs)| errs)
                .map(|(found, undefined)| {
                    let what = match undefined {
                        Undefined::Filter(arity) => format!("{found}/{arity}"),
                        _ => found.to_string(),
                    };
                    (
                        format!("{what} is not defined"),
                        load::span(code, found).start,
                    )
                });
            report(code, msgs.collect())
        })
}

fn load_errors(code: &str, errs: load::Errors<&str, ()>) -> String {
    let mut msgs = Vec::new();
    for (_, err) in errs {
        match err {
            load::Error::Io(es) => {
                for (path, e) in es {
                    msgs.push((
                        format!("could not load module {path}: {e}"),
                        load::span(code, path).start,
                    ))
                }
            }
            load::Error::Lex(es) => {
                for (expect, found) in es {
                    let what = if found.is_empty() {
                        "end of input".into()
                    } else {
                        format!("{:?}", first_char(found))
                    };
                    let msg = format!(
                        "syntax error, unexpected {what}, expecting {}",
                        expect.as_str()
                    );
                    msgs.push((msg, load::span(code, found).start));
                }
            }
            load::Error::Parse(es) => {
                for (expect, found) in es {
                    let what = if found.is_empty() {
                        "end of input".into()
                    } else {
                        format!("'{found}'")
                    };
                    let msg = format!(
                        "syntax error, unexpected {what}, expecting {}",
                        expect.as_str()
                    );
                    msgs.push((msg, load::span(code, found).start));
                }
            }
        }
    }
    report(code, msgs)
}

fn first_char(s: &str) -> String {
    s.chars().next().map(String::from).unwrap_or_default()
}

/// `jq: error: MSG at <top-level>, line N:` + the line + `jq: 1 compile error`.
fn report(code: &str, msgs: Vec<(String, usize)>) -> String {
    let mut out = String::new();
    for (msg, at) in &msgs {
        let at = (*at).min(code.len());
        let line_no = 1 + code[..at].matches('\n').count();
        let line = code.lines().nth(line_no - 1).unwrap_or("");
        out.push_str(&format!(
            "jq: error: {msg} at <top-level>, line {line_no}:\n{line}\n"
        ));
    }
    let n = msgs.len().max(1);
    out.push_str(&format!(
        "jq: {n} compile error{}\n",
        if n == 1 { "" } else { "s" }
    ));
    out
}
