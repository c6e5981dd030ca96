//! The table of tools: one row per command name, each with its entry point.
//!
//! This is the single place that says which commands the module provides.
//! `--list` and the `wasm-agent.tools` custom section (see [`crate::section`])
//! are both derived from [`TOOLS`], so they cannot drift apart.

use std::ffi::OsString;

use crate::adapters::{cat, cmp, cp, find, grep, sed, sort, uutils};

/// One command the module provides.
pub struct Tool {
    /// The command name, as matched against the basename of argv[0].
    pub name: &'static str,
    /// Runs the tool with `args` (args[0] is the name it was invoked as) and
    /// returns its exit status.
    pub run: fn(Vec<OsString>) -> i32,
}

/// Builds the row of a uutils coreutils utility: `uumain` from its `uu_*`
/// crate, run after the uucore setup every coreutils utility needs.
///
/// `$locale` is the name under which the utility's messages are embedded;
/// it differs from the command name for aliases (`[` is `test`).
macro_rules! uutil {
    ($name:literal, $krate:ident) => {
        uutil!($name, $krate, $name)
    };
    ($name:literal, $krate:ident, $locale:literal) => {
        Tool {
            name: $name,
            run: |args| uutils::run($locale, args, |args| $krate::uumain(args.into_iter())),
        }
    };
}

/// Builds the row of a tool whose crate already has the common entry shape.
macro_rules! tool {
    ($name:literal, $run:path) => {
        Tool {
            name: $name,
            run: $run,
        }
    };
}

/// Every tool, sorted by name (the order `--list` prints).
pub const TOOLS: &[Tool] = &[
    uutil!("[", uu_test, "test"),
    uutil!("arch", uu_arch),
    tool!("awk", wa_awk::main),
    uutil!("b2sum", uu_b2sum),
    uutil!("base32", uu_base32),
    uutil!("base64", uu_base64),
    uutil!("basename", uu_basename),
    uutil!("basenc", uu_basenc),
    tool!("cat", cat::cat_main),
    uutil!("cksum", uu_cksum),
    tool!("cmp", cmp::cmp_main),
    uutil!("comm", uu_comm),
    tool!("cp", cp::main),
    uutil!("csplit", uu_csplit),
    uutil!("cut", uu_cut),
    uutil!("date", uu_date),
    tool!("diff", wa_diff::diff_main),
    uutil!("dir", uu_dir, "ls"),
    uutil!("dircolors", uu_dircolors),
    uutil!("dirname", uu_dirname),
    tool!("du", wa_fsutils::du_main),
    uutil!("echo", uu_echo),
    tool!("egrep", grep::egrep_main),
    uutil!("expand", uu_expand),
    uutil!("expr", uu_expr),
    uutil!("factor", uu_factor),
    uutil!("false", uu_false),
    tool!("fgrep", grep::fgrep_main),
    tool!("find", find::main),
    uutil!("fmt", uu_fmt),
    uutil!("fold", uu_fold),
    tool!("grep", grep::main),
    tool!("gunzip", wa_archive::gunzip_main),
    tool!("gzip", wa_archive::gzip_main),
    uutil!("head", uu_head),
    uutil!("hostid", uu_hostid),
    uutil!("join", uu_join),
    tool!("jq", wa_jq::main),
    uutil!("link", uu_link),
    uutil!("ln", uu_ln),
    uutil!("ls", uu_ls),
    uutil!("md5sum", uu_md5sum),
    uutil!("mkdir", uu_mkdir),
    uutil!("mktemp", uu_mktemp),
    uutil!("mv", uu_mv),
    uutil!("nl", uu_nl),
    uutil!("nproc", uu_nproc),
    uutil!("numfmt", uu_numfmt),
    uutil!("od", uu_od),
    uutil!("paste", uu_paste),
    uutil!("pathchk", uu_pathchk),
    uutil!("pr", uu_pr),
    uutil!("printenv", uu_printenv),
    uutil!("printf", uu_printf),
    uutil!("ptx", uu_ptx),
    uutil!("pwd", uu_pwd),
    uutil!("readlink", uu_readlink),
    uutil!("realpath", uu_realpath),
    uutil!("rm", uu_rm),
    uutil!("rmdir", uu_rmdir),
    tool!("sed", sed::main),
    uutil!("seq", uu_seq),
    uutil!("sha1sum", uu_sha1sum),
    uutil!("sha224sum", uu_sha224sum),
    uutil!("sha256sum", uu_sha256sum),
    uutil!("sha384sum", uu_sha384sum),
    uutil!("sha512sum", uu_sha512sum),
    uutil!("shred", uu_shred),
    uutil!("shuf", uu_shuf),
    uutil!("sleep", uu_sleep),
    tool!("sort", sort::main),
    uutil!("split", uu_split),
    tool!("stat", wa_fsutils::stat_main),
    uutil!("sum", uu_sum),
    uutil!("tac", uu_tac),
    uutil!("tail", uu_tail),
    tool!("tar", wa_archive::tar_main),
    uutil!("tee", uu_tee),
    uutil!("test", uu_test),
    uutil!("touch", uu_touch),
    uutil!("tr", uu_tr),
    uutil!("true", uu_true),
    uutil!("truncate", uu_truncate),
    uutil!("tsort", uu_tsort),
    uutil!("tty", uu_tty),
    uutil!("uname", uu_uname),
    uutil!("unexpand", uu_unexpand),
    uutil!("uniq", uu_uniq),
    uutil!("unlink", uu_unlink),
    uutil!("vdir", uu_vdir, "ls"),
    uutil!("wc", uu_wc),
    uutil!("yes", uu_yes),
    tool!("zcat", wa_archive::zcat_main),
];

/// The tool called `name`, if the module has one.
pub fn find(name: &str) -> Option<&'static Tool> {
    TOOLS.iter().find(|tool| tool.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sorted_and_unique() {
        for pair in TOOLS.windows(2) {
            assert!(
                pair[0].name < pair[1].name,
                "{:?} must come before {:?}",
                pair[0].name,
                pair[1].name
            );
        }
    }

    #[test]
    fn names_are_plain_command_names() {
        for tool in TOOLS {
            assert!(!tool.name.is_empty());
            assert!(
                !tool.name.contains(['/', '\n', ' ']),
                "{:?} cannot be a command name",
                tool.name
            );
        }
    }

    #[test]
    fn find_knows_aliases_and_rejects_strangers() {
        assert_eq!(find("[").map(|t| t.name), Some("["));
        assert_eq!(find("egrep").map(|t| t.name), Some("egrep"));
        assert!(find("wasm-agent-tools").is_none());
        assert!(find("").is_none());
    }
}
