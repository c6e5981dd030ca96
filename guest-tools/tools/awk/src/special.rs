//! The special variables, which occupy the first global slots in this fixed order.
//!
//! Reads of most of them are plain slot reads; writes go through
//! [`crate::interp::Interp::special_assigned`] so the interpreter can refresh what it caches
//! (the compiled field separator, OFS bytes, the record counter, ...).

/// `NR`
pub const NR: u32 = 0;
/// `NF`
pub const NF: u32 = 1;
/// `FNR`
pub const FNR: u32 = 2;
/// `FS`
pub const FS: u32 = 3;
/// `OFS`
pub const OFS: u32 = 4;
/// `ORS`
pub const ORS: u32 = 5;
/// `RS`
pub const RS: u32 = 6;
/// `SUBSEP`
pub const SUBSEP: u32 = 7;
/// `RSTART`
pub const RSTART: u32 = 8;
/// `RLENGTH`
pub const RLENGTH: u32 = 9;
/// `FILENAME`
pub const FILENAME: u32 = 10;
/// `CONVFMT`
pub const CONVFMT: u32 = 11;
/// `OFMT`
pub const OFMT: u32 = 12;
/// `ENVIRON` (array)
pub const ENVIRON: u32 = 13;
/// `ARGC`
pub const ARGC: u32 = 14;
/// `ARGV` (array)
pub const ARGV: u32 = 15;

/// `PROCINFO` (array, gawk): only `PROCINFO["sorted_in"]` has an effect.
pub const PROCINFO: u32 = 16;

/// Names of the special variables, indexed by slot.
pub const NAMES: [&str; 17] = [
    "NR", "NF", "FNR", "FS", "OFS", "ORS", "RS", "SUBSEP", "RSTART", "RLENGTH", "FILENAME",
    "CONVFMT", "OFMT", "ENVIRON", "ARGC", "ARGV", "PROCINFO",
];

/// Number of special slots; user globals start here.
pub const COUNT: u32 = NAMES.len() as u32;

/// Whether the slot is one of the two special arrays.
pub fn is_array(slot: u32) -> bool {
    slot == ENVIRON || slot == ARGV || slot == PROCINFO
}
