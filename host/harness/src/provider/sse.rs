//! Server-sent events, as LLM providers stream them.
//!
//! A byte-level decoder: feed it chunks as they arrive (split anywhere,
//! even inside a UTF-8 sequence or a `\r\n`), take complete events out.
//! It follows the WHATWG rules the providers rely on: `event:`, `data:`
//! (several lines joined with `\n`), `id:`, comments (`:`) ignored, an
//! event ends at a blank line, and CR, LF and CRLF all end lines.

/// One complete event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Event {
    /// The `event:` field (empty for the default `message` type).
    pub event: String,
    /// The `data:` lines, joined with `\n`.
    pub data: String,
    /// The `id:` field, if the event had one.
    pub id: Option<String>,
}

/// Turns a byte stream into [`Event`]s.
#[derive(Debug, Default)]
pub struct Decoder {
    /// Bytes of the line being received.
    line: Vec<u8>,
    /// The last byte seen was a CR (a following LF belongs to it).
    after_cr: bool,
    /// The event being built.
    current: Event,
    /// `data:` lines in the current event.
    data_lines: usize,
    /// The current event has at least one field.
    has_fields: bool,
}

impl Decoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Decoder {
        Decoder::default()
    }

    /// Adds `bytes` and returns the events they complete.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<Event> {
        let mut events = Vec::new();
        for &byte in bytes {
            if std::mem::take(&mut self.after_cr) && byte == b'\n' {
                continue;
            }
            if byte == b'\r' || byte == b'\n' {
                self.after_cr = byte == b'\r';
                let line = std::mem::take(&mut self.line);
                if let Some(event) = self.end_line(&line) {
                    events.push(event);
                }
            } else {
                self.line.push(byte);
            }
        }
        events
    }

    /// The event a stream cut before its final blank line leaves, if any.
    pub fn finish(&mut self) -> Option<Event> {
        if !self.line.is_empty() {
            let line = std::mem::take(&mut self.line);
            self.end_line(&line);
        }
        self.dispatch()
    }

    fn end_line(&mut self, line: &[u8]) -> Option<Event> {
        if line.is_empty() {
            return self.dispatch();
        }
        if line[0] == b':' {
            return None;
        }
        let line = String::from_utf8_lossy(line);
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_ref(), ""),
        };
        match field {
            "event" => self.current.event = value.to_owned(),
            "data" => {
                if self.data_lines > 0 {
                    self.current.data.push('\n');
                }
                self.current.data.push_str(value);
                self.data_lines += 1;
            }
            "id" => self.current.id = Some(value.to_owned()),
            // `retry:` and unknown fields carry nothing a client of an
            // LLM stream needs.
            _ => return None,
        }
        self.has_fields = true;
        None
    }

    fn dispatch(&mut self) -> Option<Event> {
        if !std::mem::take(&mut self.has_fields) {
            return None;
        }
        self.data_lines = 0;
        Some(std::mem::take(&mut self.current))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_in_pieces(stream: &[u8], piece: usize) -> Vec<Event> {
        let mut decoder = Decoder::new();
        let mut events = Vec::new();
        for chunk in stream.chunks(piece) {
            events.extend(decoder.push(chunk));
        }
        events.extend(decoder.finish());
        events
    }

    #[test]
    fn events_survive_any_split() {
        let stream = "event: message_start\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\n\
                      : a comment\n\nevent: ping\ndata: {}\n\ndata: [DONE]\n\n\
                      data: ünïcode\nid: 7\n\n"
            .as_bytes();
        let want = vec![
            Event {
                event: "message_start".into(),
                data: "{\"a\":\n1}".into(),
                id: None,
            },
            Event {
                event: "ping".into(),
                data: "{}".into(),
                id: None,
            },
            Event {
                event: String::new(),
                data: "[DONE]".into(),
                id: None,
            },
            Event {
                event: String::new(),
                data: "ünïcode".into(),
                id: Some("7".into()),
            },
        ];
        for piece in [1, 2, 3, 5, 7, 64, stream.len()] {
            assert_eq!(decode_in_pieces(stream, piece), want, "pieces of {piece}");
        }
    }

    #[test]
    fn a_cut_stream_gives_its_last_event() {
        let events = decode_in_pieces(b"data: partial", 4);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].data, "partial");
        assert!(decode_in_pieces(b": only a comment\n", 3).is_empty());
    }

    #[test]
    fn empty_data_lines_count() {
        let events = decode_in_pieces(b"data:\ndata:\n\n", 1);
        assert_eq!(events[0].data, "\n");
    }
}
