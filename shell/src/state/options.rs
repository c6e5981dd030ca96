//! Shell options: `set -e`, `set -o pipefail`, `shopt -s globstar`…

/// The options `set` and `shopt` change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `set -e`: exit when a command fails outside a condition.
    pub errexit: bool,
    /// `set -u`: expanding an unset variable is an error.
    pub nounset: bool,
    /// `set -x`: print each command to stderr before running it.
    pub xtrace: bool,
    /// `set -o pipefail`: a pipeline fails if any stage fails.
    pub pipefail: bool,
    /// `set -f`: no pathname expansion.
    pub noglob: bool,
    /// `set -C`: `>` refuses to overwrite an existing file.
    pub noclobber: bool,
    /// `set -a`: export every variable assigned.
    pub allexport: bool,
    /// `set -v`: print input lines as they are read (accepted, no effect).
    pub verbose: bool,
    /// `set -n`: read commands without running them.
    pub noexec: bool,
    /// `shopt -s globstar`: `**` matches across directories.
    pub globstar: bool,
    /// `shopt -s extglob`: `?(…)`, `*(…)`, `+(…)`, `@(…)`, `!(…)` patterns.
    pub extglob: bool,
    /// `shopt -s nullglob`: a pattern matching nothing expands to nothing.
    pub nullglob: bool,
    /// `shopt -s failglob`: a pattern matching nothing is an error.
    pub failglob: bool,
    /// `shopt -s dotglob`: patterns match names starting with `.`.
    pub dotglob: bool,
    /// `shopt -s nocaseglob`: pathname expansion ignores case.
    pub nocaseglob: bool,
    /// `shopt -s nocasematch`: `case` and `[[ == ]]` ignore case.
    pub nocasematch: bool,
    /// `shopt -s expand_aliases`: aliases are expanded (bash turns it off
    /// in non-interactive shells).
    pub expand_aliases: bool,
    /// `shopt -s lastpipe`: the last stage of a pipeline runs in this shell.
    pub lastpipe: bool,
    /// The script came from a string (`bash -c`): `$-` shows `c`.
    pub command_string: bool,
    /// `set -B` (on by default): brace expansion.
    pub braceexpand: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            errexit: false,
            nounset: false,
            xtrace: false,
            pipefail: false,
            noglob: false,
            noclobber: false,
            allexport: false,
            verbose: false,
            noexec: false,
            globstar: false,
            // Off, as in a non-interactive bash (`[[ == ]]` patterns use
            // the extended syntax regardless, as bash's do).
            extglob: false,
            nullglob: false,
            failglob: false,
            dotglob: false,
            nocaseglob: false,
            nocasematch: false,
            expand_aliases: false,
            lastpipe: false,
            command_string: true,
            braceexpand: true,
        }
    }
}

/// Access to one boolean field of [`Options`].
pub(crate) type OptionField = fn(&mut Options) -> &mut bool;

/// The `set -o NAME` options: name, single-letter flag, field access.
pub(crate) const SET_OPTIONS: &[(&str, Option<char>, OptionField)] = &[
    ("allexport", Some('a'), |o| &mut o.allexport),
    ("braceexpand", Some('B'), |o| &mut o.braceexpand),
    ("errexit", Some('e'), |o| &mut o.errexit),
    ("noclobber", Some('C'), |o| &mut o.noclobber),
    ("noexec", Some('n'), |o| &mut o.noexec),
    ("noglob", Some('f'), |o| &mut o.noglob),
    ("nounset", Some('u'), |o| &mut o.nounset),
    ("pipefail", None, |o| &mut o.pipefail),
    ("verbose", Some('v'), |o| &mut o.verbose),
    ("xtrace", Some('x'), |o| &mut o.xtrace),
];

/// The `shopt` options this shell implements.
pub(crate) const SHOPT_OPTIONS: &[(&str, OptionField)] = &[
    ("dotglob", |o| &mut o.dotglob),
    ("expand_aliases", |o| &mut o.expand_aliases),
    ("extglob", |o| &mut o.extglob),
    ("failglob", |o| &mut o.failglob),
    ("globstar", |o| &mut o.globstar),
    ("lastpipe", |o| &mut o.lastpipe),
    ("nocaseglob", |o| &mut o.nocaseglob),
    ("nocasematch", |o| &mut o.nocasematch),
    ("nullglob", |o| &mut o.nullglob),
];

impl Options {
    /// The single-letter flags that are on, as `$-` shows them, in bash's
    /// order (`h`ashall and `B`race expansion are always on; `c` for a
    /// command string).
    pub fn flags(&self) -> String {
        const ORDER: &str = "abefhkmnptuvxBCEHPT";
        let mut on = String::from("h");
        for (_, letter, field) in SET_OPTIONS {
            if let Some(letter) = letter {
                let mut copy = self.clone();
                if *field(&mut copy) {
                    on.push(*letter);
                }
            }
        }
        let mut flags: String = ORDER.chars().filter(|c| on.contains(*c)).collect();
        if self.command_string {
            flags.push('c');
        }
        flags
    }
}
