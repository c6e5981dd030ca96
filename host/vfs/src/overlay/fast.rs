//! The fast path of an overlay that nothing has changed yet: the merged
//! view is exactly the lower layer, so a read can go straight to it.

use super::Inner;
use crate::{Errno, VfsResult};
use std::future::Future;
use std::sync::atomic::Ordering;

impl Inner {
    /// Records that a change is about to reach the upper layer or the
    /// marks. Called before the change, so no reader can take the fast
    /// path and miss it.
    pub(super) fn mark_modified(&self) {
        self.modified.store(true, Ordering::SeqCst);
    }

    /// Runs `read` on the lower layer if the overlay is still unmodified
    /// and returns its answer, or `None` to take the merged path: when
    /// modified, or when the lower layer refused a path (`EACCES`, `EPERM`
    /// or `EXDEV` from a host directory's confinement), which the merged
    /// resolution answers by its own symlink rules.
    pub(super) async fn fast<T>(
        &self,
        read: impl Future<Output = VfsResult<T>>,
    ) -> Option<VfsResult<T>> {
        if self.modified.load(Ordering::SeqCst) {
            return None;
        }
        let result = read.await;
        match &result {
            Err(e) if matches!(e.errno(), Errno::Acces | Errno::Perm | Errno::XDev) => None,
            _ => Some(result),
        }
    }
}
