//! The writing half of a merge: a plan's steps applied to ours in an order
//! that never loses data when it stops half way (creations before
//! deletions, so a file theirs moved exists at its new path before the old
//! one goes).
//!
//! 1. directories, parents first (a non-directory in the way is unlinked
//!    first);
//! 2. files and symlinks where ours has no directory;
//! 3. deletions: files and symlinks, then directories deepest first;
//! 4. directories theirs replaced by a file or symlink: emptied by 3, then
//!    removed and replaced.
//!
//! A changed file is unlinked and created anew (streamed from theirs), so
//! a hard link in ours to another path keeps the old bytes, as each path
//! of a merge is its own change. Files and directories the merge creates
//! get theirs' permission bits where ours keeps any.

use super::plan::Step;
use super::Changes;
use crate::{Errno, FileType, OpenOptions, Vfs, VfsError, VfsFile, VfsResult};

/// Bytes copied per read when streaming a file from theirs.
const CHUNK: usize = 256 * 1024;

/// Applies `steps` (sorted by path) to `ours`, reading contents from
/// `theirs`. Returns what was changed; on failure the error (naming its
/// path) with what had been changed before it.
pub(super) async fn apply(
    ours: &dyn Vfs,
    theirs: &dyn Vfs,
    steps: &[Step],
) -> Result<Changes, (VfsError, Changes)> {
    let mut apply = Apply {
        ours,
        theirs,
        done: Changes::default(),
    };
    let result = apply.run(steps).await;
    apply.done.sort();
    match result {
        Ok(()) => Ok(apply.done),
        Err(error) => Err((error, apply.done)),
    }
}

/// One application in progress.
struct Apply<'a> {
    ours: &'a dyn Vfs,
    theirs: &'a dyn Vfs,
    done: Changes,
}

impl Apply<'_> {
    /// The four phases of the module docs.
    async fn run(&mut self, steps: &[Step]) -> VfsResult<()> {
        let is_dir = |kind: Option<FileType>| kind == Some(FileType::Dir);
        for step in steps.iter().filter(|s| is_dir(s.to) && !is_dir(s.from)) {
            if let Some(kind) = step.from {
                self.unlink(&step.path, kind).await?;
            }
            self.ours.create_dir(&step.path).await?;
            self.copy_mode(&step.path).await?;
            Changes::push(&mut self.done.added, &step.path, FileType::Dir);
        }
        for step in steps.iter().filter(|s| !is_dir(s.from)) {
            if let Some(kind) = step.to.filter(|&kind| kind != FileType::Dir) {
                self.put(&step.path, step.from, kind).await?;
            }
        }
        for step in steps.iter().filter(|s| s.to.is_none()) {
            if let Some(kind) = step.from.filter(|&kind| kind != FileType::Dir) {
                self.unlink(&step.path, kind).await?;
            }
        }
        for step in steps.iter().rev().filter(|s| s.to.is_none()) {
            if is_dir(step.from) {
                self.rmdir(&step.path).await?;
            }
        }
        for step in steps.iter().filter(|s| is_dir(s.from)) {
            if let Some(kind) = step.to.filter(|&kind| kind != FileType::Dir) {
                self.rmdir(&step.path).await?;
                self.put(&step.path, None, kind).await?;
            }
        }
        Ok(())
    }

    /// Makes the file or symlink at `path` what theirs has there; ours
    /// holds an object of kind `from` there (never a directory).
    async fn put(&mut self, path: &str, from: Option<FileType>, to: FileType) -> VfsResult<()> {
        if from.is_some() {
            self.ours.remove_file(path).await?;
        }
        let created = match to {
            FileType::File => self.copy_file(path).await,
            FileType::Symlink => match self.theirs.read_link(path).await {
                Ok(target) => self.ours.symlink(&target, path).await,
                Err(e) => Err(e),
            },
            // The plan refuses devices; directories are made by `run`.
            FileType::Dir | FileType::CharDevice => Err(VfsError::new(Errno::Inval, "merge", path)),
        };
        if let Err(error) = created {
            if let Some(kind) = from {
                Changes::push(&mut self.done.deleted, path, kind);
            }
            return Err(error);
        }
        match from {
            Some(kind) if kind == to => Changes::push(&mut self.done.modified, path, to),
            Some(kind) => {
                Changes::push(&mut self.done.deleted, path, kind);
                Changes::push(&mut self.done.added, path, to);
            }
            None => Changes::push(&mut self.done.added, path, to),
        }
        Ok(())
    }

    /// Streams theirs' file at `path` into a new file in ours, with
    /// theirs' permission bits.
    async fn copy_file(&self, path: &str) -> VfsResult<()> {
        let source = self.theirs.open(path, OpenOptions::read()).await?;
        let create = OpenOptions {
            write: true,
            create_new: true,
            ..OpenOptions::default()
        };
        let target = self.ours.open(path, create).await?;
        let copied = match stream(&*source, &*target).await {
            Ok(()) => self.copy_mode(path).await,
            Err(e) => Err(e),
        };
        if let Err(error) = copied {
            // A half-written file must not pass for theirs.
            drop(target);
            return Err(match self.ours.remove_file(path).await {
                Ok(()) => error,
                Err(e) => error.with_detail(format!("the partial file remains: {e}")),
            });
        }
        Ok(())
    }

    /// Gives ours' new object at `path` theirs' permission bits; a backend
    /// that keeps none (`ENOTSUP` on either side) keeps its default.
    async fn copy_mode(&self, path: &str) -> VfsResult<()> {
        let mode = self.theirs.symlink_metadata(path).await?.mode;
        if self.ours.symlink_metadata(path).await?.mode == mode {
            return Ok(());
        }
        match self.ours.set_mode(path, mode).await {
            Err(e) if e.errno() == Errno::NotSup => Ok(()),
            result => result,
        }
    }

    /// Removes ours' non-directory at `path`.
    async fn unlink(&mut self, path: &str, kind: FileType) -> VfsResult<()> {
        self.ours.remove_file(path).await?;
        Changes::push(&mut self.done.deleted, path, kind);
        Ok(())
    }

    /// Removes ours' (by now empty) directory at `path`.
    async fn rmdir(&mut self, path: &str) -> VfsResult<()> {
        self.ours.remove_dir(path).await?;
        Changes::push(&mut self.done.deleted, path, FileType::Dir);
        Ok(())
    }
}

/// Copies `source` into `target` from offset 0 to the end, then syncs.
async fn stream(source: &dyn VfsFile, target: &dyn VfsFile) -> VfsResult<()> {
    let mut buf = vec![0; CHUNK];
    let mut offset = 0u64;
    loop {
        let n = source.read_full_at(&mut buf, offset).await?;
        let mut written = 0;
        while written < n {
            written += target
                .write_at(&buf[written..n], offset + written as u64)
                .await?;
        }
        offset += n as u64;
        if n < CHUNK {
            return target.sync().await;
        }
    }
}
