//! `bash` and `sh`: a child shell, as running the real binary would
//! start one (`bash -c 'script' name args`, `bash script.sh args`, or a
//! script on stdin).

use super::set::apply_flags;
use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};
use crate::state::Options;

/// Options of the bash command line that take no action here.
const IGNORED: &[&str] = &[
    "--norc",
    "--noprofile",
    "--posix",
    "--login",
    "-l",
    "-i",
    "-s",
    "--noediting",
];

/// `bash [-euxo …] [-c script [name [args…]] | file [args…]]`.
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let shell_name = argv[0].clone();
        let mut args: Vec<String> = argv[1..]
            .iter()
            .filter(|a| !IGNORED.contains(&a.as_str()))
            .cloned()
            .collect();
        let mut command_string = None;
        if let Some(pos) = args.iter().position(|a| {
            a == "-c"
                || (a.starts_with('-')
                    && a.len() > 2
                    && a[1..].contains('c')
                    && !a.starts_with("--"))
        }) {
            // `-c` may be bundled (`-ec`); the script is the next argument
            // after all option words.
            let flags = args.remove(pos);
            let rest: String = flags[1..].chars().filter(|&c| c != 'c').collect();
            if !rest.is_empty() {
                args.insert(pos, format!("-{rest}"));
            }
            command_string = Some(());
        }
        let mut options = Options::default();
        let first = match apply_flags(&mut options, &args) {
            Ok((first, _)) => first,
            Err(message) => {
                sh.builtin_error(&shell_name, &message).await;
                return done(2);
            }
        };
        let mut rest = args[first..].iter().cloned();
        let (source, arg0, positional, what) = if command_string.is_some() {
            let Some(script) = rest.next() else {
                sh.builtin_error(&shell_name, "-c: option requires an argument")
                    .await;
                return done(2);
            };
            let arg0 = rest.next().unwrap_or_else(|| shell_name.clone());
            (script, arg0, rest.collect::<Vec<_>>(), "-c".to_string())
        } else if let Some(file) = rest.next() {
            let path = sh.absolute_path(&file);
            match sh.env.fs.read_file(&path).await {
                Ok(bytes) => (
                    String::from_utf8_lossy(&bytes).into_owned(),
                    file.clone(),
                    rest.collect(),
                    file,
                ),
                Err(err) => {
                    sh.builtin_error(&shell_name, &format!("{file}: {}", err.errno()))
                        .await;
                    return done(127);
                }
            }
        } else {
            // The script comes from standard input.
            let input = sh.state.fds.stdin();
            let bytes = input.read_to_end().await.unwrap_or_default();
            (
                String::from_utf8_lossy(&bytes).into_owned(),
                shell_name.clone(),
                Vec::new(),
                "stdin".to_string(),
            )
        };
        let mut child = sh.child_shell(arg0, positional);
        child.state.options = options;
        let status = Interp::run_script_source(&mut child, &source, &what).await;
        done(status)
    })
}
