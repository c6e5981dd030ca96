//! The option table: every short and long option GNU diff 3.8 knows, and
//! the key each reports to the parser in `mod.rs`.

use super::getopt::{Arg, Long};

/// What an option means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Key {
    Digit(u8),
    Text,
    SpaceChange,
    TrailingSpace,
    BlankLines,
    ContextN,
    UnifiedN,
    Context,
    Unified,
    Minimal,
    Ifdef,
    Ed,
    TabExpansion,
    ForwardEd,
    FunctionLine,
    NoOp,
    SpeedLargeFiles,
    IgnoreCase,
    IgnoreMatching,
    Paginate,
    Label,
    Rcs,
    NewFile,
    ShowCFunction,
    UnidirectionalNewFile,
    Brief,
    Recursive,
    ReportIdentical,
    StartingFile,
    ExpandTabs,
    InitialTab,
    Version,
    AllSpace,
    Exclude,
    ExcludeFrom,
    SideBySide,
    Width,
    FromFile,
    Help,
    HorizonLines,
    IgnoreFileNameCase,
    NoIgnoreFileNameCase,
    LeftColumn,
    LineFormat,
    NoDereference,
    Normal,
    SdiffMergeAssist,
    StripTrailingCr,
    SuppressBlankEmpty,
    SuppressCommonLines,
    Tabsize,
    ToFile,
    /// `--unchanged-group-format` (0), old (1), new (2), changed (3).
    GroupFormat(u8),
    /// `--unchanged-line-format` (0), old (1), new (2).
    LineFormatOf(u8),
    Color,
    Palette,
}

pub(super) fn short(c: u8) -> Option<(Arg, Key)> {
    use Key::*;
    let no = |k| Some((Arg::No, k));
    let req = |k| Some((Arg::Required, k));
    match c {
        b'0'..=b'9' => no(Digit(c - b'0')),
        b'a' => no(Text),
        b'b' => no(SpaceChange),
        b'B' => no(BlankLines),
        b'c' => no(Context),
        b'C' => req(ContextN),
        b'd' => no(Minimal),
        b'D' => req(Ifdef),
        b'e' => no(Ed),
        b'E' => no(TabExpansion),
        b'f' => no(ForwardEd),
        b'F' => req(FunctionLine),
        b'h' => no(NoOp),
        b'H' => no(SpeedLargeFiles),
        b'i' => no(IgnoreCase),
        b'I' => req(IgnoreMatching),
        b'l' => no(Paginate),
        b'L' => req(Label),
        b'n' => no(Rcs),
        b'N' => no(NewFile),
        b'p' => no(ShowCFunction),
        b'P' => no(UnidirectionalNewFile),
        b'q' => no(Brief),
        b'r' => no(Recursive),
        b's' => no(ReportIdentical),
        b'S' => req(StartingFile),
        b't' => no(ExpandTabs),
        b'T' => no(InitialTab),
        b'u' => no(Unified),
        b'U' => req(UnifiedN),
        b'v' => no(Version),
        b'w' => no(AllSpace),
        b'W' => req(Width),
        b'x' => req(Exclude),
        b'X' => req(ExcludeFrom),
        b'y' => no(SideBySide),
        b'Z' => no(TrailingSpace),
        _ => None,
    }
}

macro_rules! long {
    ($($name:literal $arg:ident $key:ident),* $(,)?) => {
        &[$(Long { name: $name, arg: Arg::$arg, key: key!($key) }),*]
    };
}

/// Long option keys; the format options carry which format they set.
macro_rules! key {
    (UnchangedGroupFormat) => {
        Key::GroupFormat(0)
    };
    (OldGroupFormat) => {
        Key::GroupFormat(1)
    };
    (NewGroupFormat) => {
        Key::GroupFormat(2)
    };
    (ChangedGroupFormat) => {
        Key::GroupFormat(3)
    };
    (UnchangedLineFormat) => {
        Key::LineFormatOf(0)
    };
    (OldLineFormat) => {
        Key::LineFormatOf(1)
    };
    (NewLineFormat) => {
        Key::LineFormatOf(2)
    };
    ($key:ident) => {
        Key::$key
    };
}

pub(super) const LONG: &[Long<Key>] = long![
    "binary" No NoOp,
    "brief" No Brief,
    "changed-group-format" Required ChangedGroupFormat,
    "color" Optional Color,
    "context" Optional ContextN,
    "ed" No Ed,
    "exclude" Required Exclude,
    "exclude-from" Required ExcludeFrom,
    "expand-tabs" No ExpandTabs,
    "forward-ed" No ForwardEd,
    "from-file" Required FromFile,
    "help" No Help,
    "horizon-lines" Required HorizonLines,
    "ifdef" Required Ifdef,
    "ignore-all-space" No AllSpace,
    "ignore-blank-lines" No BlankLines,
    "ignore-case" No IgnoreCase,
    "ignore-file-name-case" No IgnoreFileNameCase,
    "ignore-matching-lines" Required IgnoreMatching,
    "ignore-space-change" No SpaceChange,
    "ignore-tab-expansion" No TabExpansion,
    "ignore-trailing-space" No TrailingSpace,
    "inhibit-hunk-merge" No NoOp,
    "initial-tab" No InitialTab,
    "label" Required Label,
    "left-column" No LeftColumn,
    "line-format" Required LineFormat,
    "minimal" No Minimal,
    "new-file" No NewFile,
    "new-group-format" Required NewGroupFormat,
    "new-line-format" Required NewLineFormat,
    "no-dereference" No NoDereference,
    "no-ignore-file-name-case" No NoIgnoreFileNameCase,
    "normal" No Normal,
    "old-group-format" Required OldGroupFormat,
    "old-line-format" Required OldLineFormat,
    "paginate" No Paginate,
    "palette" Required Palette,
    "rcs" No Rcs,
    "recursive" No Recursive,
    "report-identical-files" No ReportIdentical,
    "sdiff-merge-assist" No SdiffMergeAssist,
    "show-c-function" No ShowCFunction,
    "show-function-line" Required FunctionLine,
    "side-by-side" No SideBySide,
    "speed-large-files" No SpeedLargeFiles,
    "starting-file" Required StartingFile,
    "strip-trailing-cr" No StripTrailingCr,
    "suppress-blank-empty" No SuppressBlankEmpty,
    "suppress-common-lines" No SuppressCommonLines,
    "tabsize" Required Tabsize,
    "text" No Text,
    "to-file" Required ToFile,
    "unchanged-group-format" Required UnchangedGroupFormat,
    "unchanged-line-format" Required UnchangedLineFormat,
    "unidirectional-new-file" No UnidirectionalNewFile,
    "unified" Optional UnifiedN,
    "version" No Version,
    "width" Required Width,
];
