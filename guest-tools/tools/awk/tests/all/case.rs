//! The shape of a test case and the helpers the case tables use.

/// One awk invocation and what it must produce.
#[derive(Clone, Copy)]
pub struct Case {
    /// Unique name, `group/what`.
    pub name: &'static str,
    /// Arguments after `awk`. `$DIR` is replaced with the case's scratch directory.
    pub args: &'static [&'static str],
    /// Standard input.
    pub input: &'static str,
    /// Expected standard output (what GNU awk prints).
    pub out: &'static str,
    /// Expected exit status.
    pub status: i32,
    /// Files created in `$DIR` before the run: (name, contents).
    pub files: &'static [(&'static str, &'static str)],
    /// Implementation-defined or gawk-specific: the system awk (mawk) may differ, so the
    /// differential test skips it.
    pub idef: bool,
    /// A documented difference from gawk (see README.md): the gawk check skips it.
    pub not_gawk: bool,
    /// Compare only the exit status (stdout is partial or unspecified).
    pub status_only: bool,
}

/// A case expecting `out` and status 0.
pub const fn t(
    name: &'static str,
    args: &'static [&'static str],
    input: &'static str,
    out: &'static str,
) -> Case {
    Case {
        name,
        args,
        input,
        out,
        status: 0,
        files: &[],
        idef: false,
        not_gawk: false,
        status_only: false,
    }
}

impl Case {
    /// Expects exit status `s`.
    pub const fn status(mut self, s: i32) -> Case {
        self.status = s;
        self
    }
    /// Marks the case implementation-defined (skipped by the differential test).
    pub const fn idef(mut self) -> Case {
        self.idef = true;
        self
    }
    /// Marks a documented difference from gawk.
    pub const fn not_gawk(mut self) -> Case {
        self.not_gawk = true;
        self.idef = true;
        self
    }
    /// Creates files in the scratch directory first.
    pub const fn files(mut self, f: &'static [(&'static str, &'static str)]) -> Case {
        self.files = f;
        self
    }
    /// Only the status is checked.
    pub const fn status_only(mut self) -> Case {
        self.status_only = true;
        self
    }
}
