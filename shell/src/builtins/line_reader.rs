//! Reading a descriptor for `read` and `mapfile` without taking more than
//! they use.
//!
//! The streams a builtin reads are shared with the commands that run
//! after it (`while read l; do …; done < file`, `{ read a; cat; } < f`),
//! so bash takes only the bytes it consumes: from a pipe it reads one byte
//! at a time, from a regular file it reads a buffer and seeks back to just
//! after the last byte used. [`Source`] does the same over [`Input`]:
//! pipes and in-memory bytes byte by byte, files by growing chunks with
//! the shared offset put back by [`Source::finish`]. A caller that will
//! consume everything anyway (`mapfile` without `-n`) asks for
//! [`Source::bulk`] reads.

use crate::io::{Input, StreamError};

/// First chunk read from a file; doubled while no line end is found, so
/// short lines cost little re-reading and long ones few reads.
const FIRST_CHUNK: usize = 256;
/// Largest chunk read at once.
const MAX_CHUNK: usize = 64 * 1024;

/// Bytes from an input, consumed one at a time.
pub(crate) struct Source {
    input: Input,
    buf: Vec<u8>,
    pos: usize,
    chunk: usize,
    /// For a file: its offset before the first read, and the bytes handed
    /// out since.
    origin: Option<u64>,
    consumed: u64,
    bulk: bool,
}

impl Source {
    /// A source reading `input` no further than needed.
    pub(crate) fn new(input: Input) -> Source {
        Source {
            input,
            buf: Vec::new(),
            pos: 0,
            chunk: FIRST_CHUNK,
            origin: None,
            consumed: 0,
            bulk: false,
        }
    }

    /// A source allowed to read ahead: its reader consumes the input to
    /// the end.
    pub(crate) fn bulk(input: Input) -> Source {
        let mut source = Source::new(input);
        source.bulk = true;
        source.chunk = MAX_CHUNK;
        source
    }

    /// The next byte; `None` at end of input.
    pub(crate) async fn byte(&mut self) -> Result<Option<u8>, StreamError> {
        if self.pos == self.buf.len() && !self.fill().await? {
            return Ok(None);
        }
        let byte = self.buf[self.pos];
        self.pos += 1;
        self.consumed += 1;
        Ok(Some(byte))
    }

    /// The next character (a UTF-8 sequence; an invalid one reads as
    /// U+FFFD); `None` at end of input.
    pub(crate) async fn char(&mut self) -> Result<Option<char>, StreamError> {
        let Some(first) = self.byte().await? else {
            return Ok(None);
        };
        let len = match first {
            0x00..=0x7f => return Ok(Some(char::from(first))),
            0xc2..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf4 => 4,
            _ => return Ok(Some(char::REPLACEMENT_CHARACTER)),
        };
        let mut bytes = vec![first];
        while bytes.len() < len {
            match self.byte().await? {
                Some(b) if b & 0xc0 == 0x80 => bytes.push(b),
                // Not a continuation: give the byte back when it is
                // still in the buffer, so it starts the next character.
                Some(_) if self.pos > 0 => {
                    self.pos -= 1;
                    self.consumed -= 1;
                    return Ok(Some(char::REPLACEMENT_CHARACTER));
                }
                _ => return Ok(Some(char::REPLACEMENT_CHARACTER)),
            }
        }
        Ok(Some(
            std::str::from_utf8(&bytes)
                .ok()
                .and_then(|s| s.chars().next())
                .unwrap_or(char::REPLACEMENT_CHARACTER),
        ))
    }

    /// Refills the buffer; false at end of input.
    async fn fill(&mut self) -> Result<bool, StreamError> {
        let size = match &self.input {
            Input::File(stream) => {
                if self.origin.is_none() {
                    self.origin = Some(stream.offset().await);
                }
                let size = self.chunk;
                self.chunk = (self.chunk * 2).min(MAX_CHUNK);
                size
            }
            _ if self.bulk => MAX_CHUNK,
            // A pipe or shared bytes cannot be put back: one byte at a time.
            _ => 1,
        };
        self.buf.resize(size, 0);
        let n = self.input.read(&mut self.buf).await?;
        self.buf.truncate(n);
        self.pos = 0;
        Ok(n > 0)
    }

    /// Gives back what was read but not consumed: a file's shared offset
    /// moves to just after the last byte used.
    pub(crate) async fn finish(self) {
        if let (Input::File(stream), Some(origin)) = (&self.input, self.origin) {
            stream.set_offset(origin + self.consumed).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::pipe;
    use wasm_agent_vfs::{MemFs, OpenOptions, Vfs};

    #[tokio::test]
    async fn a_file_is_left_just_after_what_was_used() {
        let fs = MemFs::new();
        fs.write_file("/f", "é1\nrest\n".as_bytes()).await.unwrap();
        let input = Input::file(fs.open("/f", OpenOptions::read()).await.unwrap());
        let mut source = Source::new(input.clone());
        assert_eq!(source.char().await.unwrap(), Some('é'));
        assert_eq!(source.char().await.unwrap(), Some('1'));
        assert_eq!(source.byte().await.unwrap(), Some(b'\n'));
        source.finish().await;
        assert_eq!(input.read_to_end().await.unwrap(), b"rest\n");
    }

    #[tokio::test]
    async fn a_pipe_is_read_one_byte_at_a_time() {
        let (writer, reader) = pipe(64);
        let input = Input::pipe(reader);
        writer.write_all(b"ab").await.unwrap();
        drop(writer);
        let mut source = Source::new(input.clone());
        assert_eq!(source.byte().await.unwrap(), Some(b'a'));
        source.finish().await;
        assert_eq!(input.read_to_end().await.unwrap(), b"b");
    }

    #[tokio::test]
    async fn invalid_utf8_reads_as_replacement_characters() {
        let mut source = Source::new(Input::bytes(&b"\xffa\xc3"[..]));
        assert_eq!(source.char().await.unwrap(), Some('\u{fffd}'));
        assert_eq!(source.char().await.unwrap(), Some('a'));
        assert_eq!(source.char().await.unwrap(), Some('\u{fffd}'));
        assert_eq!(source.char().await.unwrap(), None);
    }
}
