//! An incremental Server-Sent Events parser (the WHATWG event-stream format).
//!
//! Bytes arrive in arbitrary chunks: an event, a line, even a UTF-8 character may be split
//! between two. The parser keeps the unfinished line as bytes and only decodes whole lines.

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SseEvent {
    /// The `event:` field, `message` when absent.
    pub event: String,
    /// The `data:` lines joined by `\n`.
    pub data: String,
}

/// Parser state between chunks.
#[derive(Debug, Default)]
pub(crate) struct SseParser {
    line: Vec<u8>,
    /// The last chunk ended in `\r`: a `\n` starting the next one belongs to it.
    skip_lf: bool,
    started: bool,
    event: Option<String>,
    data: Option<String>,
}

impl SseParser {
    /// Feeds a chunk; returns the events it completed, in order.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        let mut events = Vec::new();
        for &byte in chunk {
            if std::mem::take(&mut self.skip_lf) && byte == b'\n' {
                continue;
            }
            match byte {
                b'\r' | b'\n' => {
                    self.skip_lf = byte == b'\r';
                    let line = std::mem::take(&mut self.line);
                    if let Some(event) = self.line_done(&line) {
                        events.push(event);
                    }
                }
                _ => self.line.push(byte),
            }
        }
        events
    }

    fn line_done(&mut self, raw: &[u8]) -> Option<SseEvent> {
        let mut line = String::from_utf8_lossy(raw);
        if !self.started {
            self.started = true;
            if let Some(rest) = line.strip_prefix('\u{feff}') {
                line = rest.to_owned().into();
            }
        }
        if line.is_empty() {
            return self.dispatch();
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_ref(), ""),
        };
        match field {
            "event" => self.event = Some(value.to_owned()),
            "data" => match &mut self.data {
                Some(data) => {
                    data.push('\n');
                    data.push_str(value);
                }
                None => self.data = Some(value.to_owned()),
            },
            // `id` and `retry` matter for resuming a stream, which this client does not do.
            _ => {}
        }
        None
    }

    fn dispatch(&mut self) -> Option<SseEvent> {
        let event = self.event.take();
        let data = self.data.take()?;
        Some(SseEvent {
            event: event
                .filter(|e| !e.is_empty())
                .unwrap_or_else(|| "message".to_owned()),
            data,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(event: &str, data: &str) -> SseEvent {
        SseEvent {
            event: event.to_owned(),
            data: data.to_owned(),
        }
    }

    fn all_at_once(input: &[u8]) -> Vec<SseEvent> {
        SseParser::default().feed(input)
    }

    fn byte_by_byte(input: &[u8]) -> Vec<SseEvent> {
        let mut parser = SseParser::default();
        input.iter().flat_map(|b| parser.feed(&[*b])).collect()
    }

    #[test]
    fn events_with_names_multi_line_data_and_comments() {
        let input = b": hello\nevent: endpoint\ndata: /messages?x=1\n\ndata: a\ndata: b\n\n";
        let want = vec![ev("endpoint", "/messages?x=1"), ev("message", "a\nb")];
        assert_eq!(all_at_once(input), want);
        assert_eq!(byte_by_byte(input), want);
    }

    #[test]
    fn crlf_and_lone_cr_end_lines_even_when_split_between_them() {
        let input = b"data: one\r\n\r\ndata: two\r\rdata:three\n\n";
        let want = vec![
            ev("message", "one"),
            ev("message", "two"),
            ev("message", "three"),
        ];
        assert_eq!(all_at_once(input), want);
        assert_eq!(byte_by_byte(input), want);
    }

    #[test]
    fn utf8_split_across_chunks_survives() {
        let input = "data: {\"t\":\"héllo ✓\"}\n\n".as_bytes();
        let mut parser = SseParser::default();
        let mut events = Vec::new();
        for piece in input.chunks(3) {
            events.extend(parser.feed(piece));
        }
        assert_eq!(events, vec![ev("message", "{\"t\":\"héllo ✓\"}")]);
    }

    #[test]
    fn events_without_data_and_unfinished_events_are_not_dispatched() {
        let mut parser = SseParser::default();
        assert!(parser
            .feed(b"event: ping\n\n: keep-alive\n\ndata: half")
            .is_empty());
        assert_eq!(parser.feed(b"\n\n"), vec![ev("message", "half")]);
    }
}
