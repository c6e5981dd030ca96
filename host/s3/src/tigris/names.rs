//! Checks on names before they reach a request, so a typo fails with a
//! clear message instead of a server error, and a value can never break a
//! header (`X-Tigris-Snapshot: true; name=<label>`).

use super::error::TigrisError;
use crate::config::check_bucket_name;

/// Longest snapshot label accepted.
const MAX_LABEL: usize = 128;

/// Checks S3's bucket naming rules.
pub fn bucket(op: &'static str, name: &str) -> Result<(), TigrisError> {
    check_bucket_name(name).map_err(|why| TigrisError::invalid(op, name, why))
}

/// Checks a snapshot label: letters, digits, `-`, `_` and `.`, so it fits
/// the `name=` parameter of the snapshot header unquoted.
pub fn snapshot_label(op: &'static str, bucket: &str, label: &str) -> Result<(), TigrisError> {
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if label.is_empty() || label.len() > MAX_LABEL || !label.chars().all(ok) {
        return Err(TigrisError::invalid(
            op,
            bucket,
            format!(
                "snapshot name '{}' must be 1 to {MAX_LABEL} letters, digits, '-', '_' or '.'",
                label.escape_debug()
            ),
        ));
    }
    Ok(())
}

/// Checks a snapshot version. Tigris' versions are decimal numbers today
/// (nanoseconds since the epoch, e.g. `1751631910169675092`); letters and
/// `-_.:` are let through too, so a future format is not refused, while
/// anything that could break a header is.
pub fn snapshot_version(op: &'static str, bucket: &str, version: &str) -> Result<(), TigrisError> {
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':');
    if version.is_empty() || version.len() > MAX_LABEL || !version.chars().all(ok) {
        return Err(TigrisError::invalid(
            op,
            bucket,
            format!(
                "snapshot version '{}' is not a Tigris snapshot version (a decimal number \
                 such as 1751631910169675092); list them with list_snapshots",
                version.escape_debug()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_that_could_break_the_header_are_refused() {
        assert!(snapshot_label("t", "b", "epoch-50").is_ok());
        for bad in ["", "a;b", "a=b", "new\nline", "sp ace", &"x".repeat(129)] {
            let err = snapshot_label("t", "b", bad).unwrap_err().to_string();
            assert!(err.contains("letters, digits"), "{err}");
        }
    }

    #[test]
    fn versions_cannot_break_a_header() {
        assert!(snapshot_version("t", "b", "1751631910169675092").is_ok());
        let err = snapshot_version("t", "b", "1; name=x")
            .unwrap_err()
            .to_string();
        assert!(err.contains("list_snapshots"), "{err}");
    }
}
