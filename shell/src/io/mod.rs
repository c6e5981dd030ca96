//! Where a command's standard streams come from and go to.
//!
//! [`Input`] and [`Output`] are what a command reads and writes: nothing,
//! bytes in memory, a capture buffer, a file of the sandbox filesystem, or
//! one end of a [`pipe`] to a command running concurrently.
//!
//! Both are handles that clone cheaply, and clones share their state the
//! way duplicated POSIX descriptors share an open file description: two
//! commands given the same file read on from one shared offset, and a
//! pipe's reader handed to several commands in turn (`cmd | while read l;
//! do other; done`) is one reader. A pipe sees end of file once every clone
//! of its writer is dropped.

mod capture;
mod pipe;

pub use capture::{Capture, LimitReached};
pub use pipe::{pipe, BrokenPipe, PipeReader, PipeWriter, DEFAULT_PIPE_CAPACITY};

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use wasm_agent_vfs::{VfsError, VfsFile};

/// Why a stream operation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamError {
    /// The reading end of a pipe is gone (the writer would die of SIGPIPE).
    BrokenPipe,
    /// A capture's byte limit was reached; the output was truncated.
    OutputLimit {
        /// The limit in bytes.
        limit: u64,
    },
    /// The file behind the stream failed.
    File(VfsError),
    /// The stream is not open for this direction (reading an output…).
    WrongDirection,
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::BrokenPipe => f.write_str("Broken pipe"),
            StreamError::OutputLimit { limit } => {
                write!(f, "output limit of {limit} bytes reached")
            }
            StreamError::File(err) => write!(f, "{err}"),
            StreamError::WrongDirection => f.write_str("Bad file descriptor"),
        }
    }
}

impl std::error::Error for StreamError {}

impl From<VfsError> for StreamError {
    fn from(err: VfsError) -> StreamError {
        StreamError::File(err)
    }
}

/// An open file with the offset its clones share.
#[derive(Clone)]
pub struct FileStream {
    file: Arc<dyn VfsFile>,
    offset: Arc<tokio::sync::Mutex<u64>>,
    append: bool,
}

impl FileStream {
    /// A stream over `file`, starting at offset 0; with `append`, every
    /// write goes to the end of the file.
    pub fn new(file: Arc<dyn VfsFile>, append: bool) -> FileStream {
        FileStream {
            file,
            offset: Arc::new(tokio::sync::Mutex::new(0)),
            append,
        }
    }

    /// The open file.
    pub fn file(&self) -> &Arc<dyn VfsFile> {
        &self.file
    }

    /// True if writes append.
    pub fn is_append(&self) -> bool {
        self.append
    }

    /// Reads at the shared offset and advances it.
    pub async fn read(&self, buf: &mut [u8]) -> Result<usize, StreamError> {
        let mut offset = self.offset.lock().await;
        let n = self.file.read_at(buf, *offset).await?;
        *offset += n as u64;
        Ok(n)
    }

    /// Writes at the shared offset (or the end, when appending) and
    /// advances it; returns the bytes written.
    pub async fn write(&self, data: &[u8]) -> Result<usize, StreamError> {
        let mut offset = self.offset.lock().await;
        if self.append {
            *offset = self.file.append(data).await?;
            Ok(data.len())
        } else {
            let n = self.file.write_at(data, *offset).await?;
            *offset += n as u64;
            Ok(n)
        }
    }

    /// The shared offset.
    pub async fn offset(&self) -> u64 {
        *self.offset.lock().await
    }

    /// Moves the shared offset.
    pub async fn set_offset(&self, offset: u64) {
        *self.offset.lock().await = offset;
    }
}

impl fmt::Debug for FileStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FileStream({:?}, append: {})", self.file, self.append)
    }
}

/// Bytes in memory read from a shared position.
#[derive(Clone)]
pub struct BytesStream {
    data: Arc<[u8]>,
    position: Arc<AtomicUsize>,
}

impl BytesStream {
    /// A stream reading `data` from its start.
    pub fn new(data: impl Into<Arc<[u8]>>) -> BytesStream {
        BytesStream {
            data: data.into(),
            position: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Reads the next bytes (0 at the end).
    pub fn read(&self, buf: &mut [u8]) -> usize {
        // One reader at a time in practice; a racing clone can only make
        // two reads return the same bytes' successors, never out of range.
        let start = self.position.load(Ordering::Relaxed).min(self.data.len());
        let n = buf.len().min(self.data.len() - start);
        buf[..n].copy_from_slice(&self.data[start..start + n]);
        self.position.store(start + n, Ordering::Relaxed);
        n
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.data.len() - self.position.load(Ordering::Relaxed).min(self.data.len())
    }
}

/// The reading end of a pipe, shared by the commands it is handed to.
#[derive(Clone)]
pub struct SharedPipeReader(Arc<tokio::sync::Mutex<PipeReader>>);

impl SharedPipeReader {
    /// Shares `reader`.
    pub fn new(reader: PipeReader) -> SharedPipeReader {
        SharedPipeReader(Arc::new(tokio::sync::Mutex::new(reader)))
    }

    /// Reads what is available, waiting while the pipe is empty; 0 at end
    /// of file.
    pub async fn read(&self, buf: &mut [u8]) -> usize {
        self.0.lock().await.read(buf).await
    }
}

/// A command's standard input (or any readable descriptor).
#[derive(Clone, Default)]
pub enum Input {
    /// End of file at once (like `< /dev/null`).
    #[default]
    Empty,
    /// Bytes in memory (a here-document, or the caller's stdin).
    Bytes(BytesStream),
    /// The read end of a pipe.
    Pipe(SharedPipeReader),
    /// An open file of the sandbox.
    File(FileStream),
}

impl Input {
    /// An input reading `data`.
    pub fn bytes(data: impl Into<Arc<[u8]>>) -> Input {
        Input::Bytes(BytesStream::new(data))
    }

    /// An input reading from a pipe.
    pub fn pipe(reader: PipeReader) -> Input {
        Input::Pipe(SharedPipeReader::new(reader))
    }

    /// An input reading `file` from its start.
    pub fn file(file: Arc<dyn VfsFile>) -> Input {
        Input::File(FileStream::new(file, false))
    }

    /// Reads some bytes; 0 at end of input.
    pub async fn read(&self, buf: &mut [u8]) -> Result<usize, StreamError> {
        match self {
            Input::Empty => Ok(0),
            Input::Bytes(bytes) => Ok(bytes.read(buf)),
            Input::Pipe(reader) => Ok(reader.read(buf).await),
            Input::File(file) => file.read(buf).await,
        }
    }

    /// Reads everything until end of input.
    pub async fn read_to_end(&self) -> Result<Vec<u8>, StreamError> {
        let mut out = Vec::new();
        let mut chunk = vec![0; 16 * 1024];
        loop {
            let n = self.read(&mut chunk).await?;
            if n == 0 {
                return Ok(out);
            }
            out.extend_from_slice(&chunk[..n]);
        }
    }

    /// True for a pipe or bytes: no offset to seek.
    pub fn is_stream(&self) -> bool {
        !matches!(self, Input::File(_))
    }
}

impl fmt::Debug for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Input::Empty => f.write_str("Empty"),
            Input::Bytes(b) => write!(f, "Bytes({} bytes left)", b.remaining()),
            Input::Pipe(_) => f.write_str("Pipe"),
            Input::File(file) => write!(f, "{file:?}"),
        }
    }
}

impl From<Vec<u8>> for Input {
    fn from(bytes: Vec<u8>) -> Input {
        Input::bytes(bytes)
    }
}

impl From<&[u8]> for Input {
    fn from(bytes: &[u8]) -> Input {
        Input::bytes(bytes)
    }
}

impl From<&str> for Input {
    fn from(text: &str) -> Input {
        Input::bytes(text.as_bytes())
    }
}

impl From<String> for Input {
    fn from(text: String) -> Input {
        Input::bytes(text.into_bytes())
    }
}

/// A command's standard output or error (or any writable descriptor).
#[derive(Clone, Default)]
pub enum Output {
    /// Thrown away (like `> /dev/null`).
    #[default]
    Discard,
    /// Collected in memory, up to the capture's limit.
    Capture(Capture),
    /// The write end of a pipe.
    Pipe(PipeWriter),
    /// An open file of the sandbox.
    File(FileStream),
}

impl Output {
    /// An output writing `file` from its start, or appending to it.
    pub fn file(file: Arc<dyn VfsFile>, append: bool) -> Output {
        Output::File(FileStream::new(file, append))
    }

    /// Writes all of `data`.
    pub async fn write_all(&self, mut data: &[u8]) -> Result<(), StreamError> {
        match self {
            Output::Discard => Ok(()),
            Output::Capture(capture) => capture
                .write(data)
                .map_err(|limit| StreamError::OutputLimit { limit: limit.limit }),
            Output::Pipe(writer) => writer
                .write_all(data)
                .await
                .map_err(|_| StreamError::BrokenPipe),
            Output::File(file) => {
                while !data.is_empty() {
                    let n = file.write(data).await?;
                    if n == 0 {
                        return Err(StreamError::File(VfsError::new(
                            wasm_agent_vfs::Errno::Io,
                            "write",
                            "",
                        )));
                    }
                    data = &data[n..];
                }
                Ok(())
            }
        }
    }

    /// True for a pipe, capture or discard: no offset to seek.
    pub fn is_stream(&self) -> bool {
        !matches!(self, Output::File(_))
    }
}

impl fmt::Debug for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Output::Discard => f.write_str("Discard"),
            Output::Capture(c) => write!(f, "Capture({} bytes)", c.len()),
            Output::Pipe(_) => f.write_str("Pipe"),
            Output::File(file) => write!(f, "{file:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_agent_vfs::{MemFs, OpenOptions, Vfs};

    #[tokio::test]
    async fn clones_of_a_file_input_share_the_offset() {
        let fs = MemFs::new();
        fs.write_file("/f", b"one\ntwo\n").await.unwrap();
        let input = Input::file(fs.open("/f", OpenOptions::read()).await.unwrap());
        let other = input.clone();
        let mut buf = [0u8; 4];
        assert_eq!(input.read(&mut buf).await.unwrap(), 4);
        assert_eq!(other.read_to_end().await.unwrap(), b"two\n");
    }

    #[tokio::test]
    async fn clones_of_a_pipe_reader_are_one_reader() {
        let (writer, reader) = pipe(64);
        let a = Input::pipe(reader);
        let b = a.clone();
        writer.write_all(b"xy").await.unwrap();
        drop(writer);
        let mut buf = [0u8; 1];
        assert_eq!(a.read(&mut buf).await.unwrap(), 1);
        assert_eq!(b.read_to_end().await.unwrap(), b"y");
    }

    #[tokio::test]
    async fn appending_outputs_interleave_at_the_end() {
        let fs = MemFs::new();
        let open = || async {
            fs.open("/log", OpenOptions::write_truncate())
                .await
                .unwrap()
        };
        let first = Output::file(open().await, true);
        let second = Output::file(open().await, true);
        first.write_all(b"a").await.unwrap();
        second.write_all(b"b").await.unwrap();
        first.write_all(b"c").await.unwrap();
        assert_eq!(fs.read_file("/log").await.unwrap(), b"abc");
    }
}
