//! The guest's file descriptors.

use super::errno::Errno;
use crate::io::{FileStream, Input, Output};
use std::sync::Arc;
use wasm_agent_vfs::{DirEntry, VfsFile};

/// Most descriptors a guest may hold open at once (`EMFILE` beyond).
pub(crate) const MAX_FDS: usize = 1024;

/// An open regular file with its cursor.
pub(crate) struct OpenFile {
    pub(crate) file: Arc<dyn VfsFile>,
    pub(crate) pos: u64,
    pub(crate) read: bool,
    pub(crate) write: bool,
    pub(crate) append: bool,
}

/// An open directory: its normalised path and, while a listing is in
/// progress, the entries it returns (taken when the guest asks from cookie
/// 0, so a listing is consistent even if the directory changes meanwhile).
pub(crate) struct OpenDir {
    pub(crate) path: String,
    /// The name the guest sees for a preopened directory.
    pub(crate) preopen: Option<String>,
    pub(crate) listing: Option<Arc<Vec<DirEntry>>>,
}

/// What a descriptor refers to.
pub(crate) enum Entry {
    /// A stream given by the caller (stdin, or any readable descriptor):
    /// its clones elsewhere share its position.
    Input(Input),
    /// A stream given by the caller (stdout, stderr…).
    Output(Output),
    File(OpenFile),
    Dir(OpenDir),
    /// Another descriptor under a second number: what opening
    /// `/dev/stdout` or `/dev/fd/N` gives. Never points at an alias.
    Alias(u32),
}

impl Entry {
    /// The descriptor for a caller-supplied stdin.
    pub(crate) fn from_input(input: Input) -> Entry {
        Entry::Input(input)
    }

    /// The descriptor for a caller-supplied stdout or stderr.
    pub(crate) fn from_output(output: Output) -> Entry {
        Entry::Output(output)
    }

    /// The file stream behind a caller-supplied descriptor, if it is a file.
    pub(crate) fn file_stream(&self) -> Option<&FileStream> {
        match self {
            Entry::Input(Input::File(stream)) | Entry::Output(Output::File(stream)) => Some(stream),
            _ => None,
        }
    }
}

/// Descriptor number → entry. New descriptors take the lowest free number,
/// as POSIX requires of `open`.
#[derive(Default)]
pub(crate) struct FdTable {
    entries: Vec<Option<Entry>>,
}

impl FdTable {
    /// Installs `entry` at the lowest free descriptor.
    pub(crate) fn insert(&mut self, entry: Entry) -> Result<u32, Errno> {
        if let Some(free) = self.entries.iter().position(Option::is_none) {
            self.entries[free] = Some(entry);
            return Ok(free as u32);
        }
        if self.entries.len() >= MAX_FDS {
            return Err(Errno::Mfile);
        }
        self.entries.push(Some(entry));
        Ok(self.entries.len() as u32 - 1)
    }

    /// Installs `entry` at exactly `fd` (used for 0, 1, 2 and preopens).
    pub(crate) fn insert_at(&mut self, fd: u32, entry: Entry) {
        let fd = fd as usize;
        if self.entries.len() <= fd {
            self.entries.resize_with(fd + 1, || None);
        }
        self.entries[fd] = Some(entry);
    }

    fn slot(&self, fd: u32) -> Result<&Entry, Errno> {
        self.entries
            .get(fd as usize)
            .and_then(Option::as_ref)
            .ok_or(Errno::Badf)
    }

    /// The descriptor `fd` refers to, looking through an alias.
    fn target(&self, fd: u32) -> Result<u32, Errno> {
        match self.slot(fd)? {
            Entry::Alias(to) => Ok(*to),
            _ => Ok(fd),
        }
    }

    pub(crate) fn get(&self, fd: u32) -> Result<&Entry, Errno> {
        self.slot(self.target(fd)?)
    }

    pub(crate) fn get_mut(&mut self, fd: u32) -> Result<&mut Entry, Errno> {
        let fd = self.target(fd)?;
        self.entries
            .get_mut(fd as usize)
            .and_then(Option::as_mut)
            .ok_or(Errno::Badf)
    }

    /// A new descriptor for whatever `fd` refers to.
    pub(crate) fn alias(&mut self, fd: u32) -> Result<u32, Errno> {
        let target = self.target(fd)?;
        self.slot(target)?;
        self.insert(Entry::Alias(target))
    }

    /// Removes and returns the entry at `fd`.
    pub(crate) fn remove(&mut self, fd: u32) -> Result<Entry, Errno> {
        self.entries
            .get_mut(fd as usize)
            .and_then(Option::take)
            .ok_or(Errno::Badf)
    }

    /// The open file at `fd`, or `EBADF`/`EISDIR`/`ESPIPE`-style errors.
    pub(crate) fn file_mut(&mut self, fd: u32) -> Result<&mut OpenFile, Errno> {
        match self.get_mut(fd)? {
            Entry::File(file) => Ok(file),
            Entry::Dir(_) => Err(Errno::Isdir),
            Entry::Input(_) | Entry::Output(_) | Entry::Alias(_) => Err(Errno::Spipe),
        }
    }

    /// The path of the directory at `fd`, the base of `path_*` calls.
    pub(crate) fn dir_path(&self, fd: u32) -> Result<&str, Errno> {
        match self.get(fd)? {
            Entry::Dir(dir) => Ok(&dir.path),
            _ => Err(Errno::Notdir),
        }
    }

    /// Moves the entry at `from` to `to`, closing whatever `to` held.
    pub(crate) fn renumber(&mut self, from: u32, to: u32) -> Result<(), Errno> {
        self.slot(to)?;
        self.slot(from)?;
        if from == to {
            return Ok(());
        }
        let entry = self.remove(from)?;
        // Aliases of `from` follow it to its new number; aliases of the
        // closed `to` are closed with it.
        for slot in self.entries.iter_mut() {
            match slot {
                Some(Entry::Alias(target)) if *target == to => *slot = None,
                Some(Entry::Alias(target)) if *target == from => *target = to,
                _ => {}
            }
        }
        self.insert_at(to, entry);
        Ok(())
    }

    /// Closes every descriptor, dropping pipe ends (so a reader downstream
    /// sees end of file as soon as the command is done).
    pub(crate) fn close_all(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocates_the_lowest_free_descriptor() {
        let mut table = FdTable::default();
        for _ in 0..3 {
            table.insert(Entry::Input(Input::Empty)).unwrap();
        }
        table.remove(1).unwrap();
        assert_eq!(table.insert(Entry::Input(Input::Empty)), Ok(1));
        assert_eq!(table.insert(Entry::Input(Input::Empty)), Ok(3));
        assert!(matches!(table.get(9), Err(Errno::Badf)));
    }

    #[test]
    fn renumber_requires_an_open_target() {
        let mut table = FdTable::default();
        table.insert(Entry::Input(Input::Empty)).unwrap();
        table.insert(Entry::Output(Output::Discard)).unwrap();
        assert_eq!(table.renumber(0, 5), Err(Errno::Badf));
        table.renumber(0, 1).unwrap();
        assert!(matches!(table.get(1), Ok(Entry::Input(_))));
        assert!(table.get(0).is_err());
    }

    #[test]
    fn aliases_reach_their_target_until_it_closes() {
        let mut table = FdTable::default();
        table.insert(Entry::Input(Input::Empty)).unwrap();
        table.insert(Entry::Output(Output::Discard)).unwrap();
        let alias = table.alias(1).unwrap();
        assert!(matches!(table.get(alias), Ok(Entry::Output(_))));
        let second = table.alias(alias).unwrap();
        assert!(matches!(table.slot(second), Ok(Entry::Alias(1))));
        table.remove(alias).unwrap();
        assert!(matches!(table.get(1), Ok(Entry::Output(_))));
        table.remove(1).unwrap();
        assert_eq!(table.get(second).err(), Some(Errno::Badf));
    }

    #[test]
    fn refuses_more_than_max_fds() {
        let mut table = FdTable::default();
        for _ in 0..MAX_FDS {
            table.insert(Entry::Input(Input::Empty)).unwrap();
        }
        assert_eq!(table.insert(Entry::Input(Input::Empty)), Err(Errno::Mfile));
    }
}
