//! [`ContentId`]: what a backend knows about a file's contents without
//! reading them.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

/// Identifies the contents of a regular file without its bytes, for
/// [`Vfs::content_id`](crate::Vfs::content_id).
///
/// Two ids compare equal only when the contents are certainly equal: the
/// same shared buffer, or the same tag in the same scheme. Unequal ids say
/// nothing (an S3 multipart upload and a single PUT of the same bytes have
/// different ETags), so a caller then compares bytes.
#[derive(Clone)]
pub struct ContentId(Repr);

#[derive(Clone)]
enum Repr {
    /// A buffer shared between trees; holding it keeps its address from
    /// being reused, so address equality is identity.
    Shared(Arc<dyn Any + Send + Sync>),
    /// A backend's fingerprint, namespaced so that ids of unrelated
    /// backends never compare equal by accident.
    Tag {
        scheme: &'static str,
        value: Box<str>,
    },
}

impl ContentId {
    /// The id of a buffer that several trees share (copy-on-write
    /// contents): equal when both ids hold the very same allocation.
    pub fn shared<T: Any + Send + Sync>(buffer: Arc<T>) -> ContentId {
        ContentId(Repr::Shared(buffer))
    }

    /// A fingerprint such as an S3 ETag. `scheme` names what `value` is
    /// (e.g. `"s3-etag"`); only ids of the same scheme and value are equal,
    /// so the backend must pick a scheme in which equal values imply equal
    /// bytes.
    pub fn tag(scheme: &'static str, value: impl Into<Box<str>>) -> ContentId {
        ContentId(Repr::Tag {
            scheme,
            value: value.into(),
        })
    }
}

impl PartialEq for ContentId {
    fn eq(&self, other: &ContentId) -> bool {
        match (&self.0, &other.0) {
            (Repr::Shared(a), Repr::Shared(b)) => {
                // Compare data addresses only: the vtable pointers of two
                // `dyn Any` to one allocation may differ across codegen units.
                std::ptr::eq(Arc::as_ptr(a).cast::<u8>(), Arc::as_ptr(b).cast::<u8>())
            }
            (
                Repr::Tag { scheme, value },
                Repr::Tag {
                    scheme: other_scheme,
                    value: other_value,
                },
            ) => scheme == other_scheme && value == other_value,
            _ => false,
        }
    }
}

impl Eq for ContentId {}

impl fmt::Debug for ContentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Shared(buffer) => {
                write!(
                    f,
                    "ContentId::Shared({:p})",
                    Arc::as_ptr(buffer).cast::<u8>()
                )
            }
            Repr::Tag { scheme, value } => write!(f, "ContentId::Tag({scheme}:{value})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_ids_are_equal_only_for_one_allocation() {
        let a = Arc::new(b"same".to_vec());
        let b = Arc::new(b"same".to_vec());
        assert_eq!(ContentId::shared(a.clone()), ContentId::shared(a));
        assert_ne!(
            ContentId::shared(b.clone()),
            ContentId::shared(Arc::new(b"same".to_vec()))
        );
        assert_ne!(ContentId::shared(b), ContentId::tag("s3-etag", "x"));
    }

    #[test]
    fn tags_need_the_same_scheme_and_value() {
        assert_eq!(
            ContentId::tag("s3-etag", "abc"),
            ContentId::tag("s3-etag", "abc")
        );
        assert_ne!(
            ContentId::tag("s3-etag", "abc"),
            ContentId::tag("other", "abc")
        );
        assert_ne!(
            ContentId::tag("s3-etag", "abc"),
            ContentId::tag("s3-etag", "abd")
        );
    }
}
