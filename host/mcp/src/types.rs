//! What the server describes and returns: server info, tools, tool results.

use serde_json::{json, Value};

/// The server's `serverInfo` from `initialize`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerInfo {
    /// The server's program name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// A display name, when given (protocol 2025-06-18).
    pub title: Option<String>,
}

impl ServerInfo {
    pub(crate) fn from_json(v: &Value) -> Self {
        let text = |key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
        Self {
            name: text("name").unwrap_or_default(),
            version: text("version").unwrap_or_default(),
            title: text("title"),
        }
    }
}

/// A tool from `tools/list`.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolInfo {
    /// The name to call it by (as the server spells it; see
    /// [`sanitize_tool_name`](crate::sanitize_tool_name) for the model-facing name).
    pub name: String,
    /// A display name, when given.
    pub title: Option<String>,
    /// What the tool does, for the model.
    pub description: Option<String>,
    /// The JSON Schema of its arguments (`{"type": "object"}` when the server sent none).
    pub input_schema: Value,
    /// The JSON Schema of its `structuredContent`, when declared.
    pub output_schema: Option<Value>,
}

impl ToolInfo {
    /// Reads one entry of `tools`; `None` when it has no string `name`.
    pub(crate) fn from_json(v: &Value) -> Option<Self> {
        let text = |key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
        Some(Self {
            name: text("name")?,
            title: text("title"),
            description: text("description"),
            input_schema: v
                .get("inputSchema")
                .filter(|s| s.is_object())
                .cloned()
                .unwrap_or_else(|| json!({"type": "object"})),
            output_schema: v.get("outputSchema").filter(|s| s.is_object()).cloned(),
        })
    }
}

/// One item of a tool result's `content`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ContentItem {
    /// Text.
    Text {
        /// The text.
        text: String,
    },
    /// An image, base64-encoded.
    Image {
        /// Its MIME type, e.g. `image/png`.
        mime_type: String,
        /// The base64 bytes.
        data: String,
    },
    /// Audio, base64-encoded.
    Audio {
        /// Its MIME type, e.g. `audio/wav`.
        mime_type: String,
        /// The base64 bytes.
        data: String,
    },
    /// An embedded resource: text or a base64 blob.
    Resource {
        /// The resource's URI.
        uri: String,
        /// Its MIME type, when given.
        mime_type: Option<String>,
        /// Its text, for a text resource.
        text: Option<String>,
        /// Its base64 bytes, for a binary resource.
        blob: Option<String>,
    },
    /// A link to a resource the client may read.
    ResourceLink {
        /// The resource's URI.
        uri: String,
        /// Its name.
        name: String,
        /// What it is, when given.
        description: Option<String>,
        /// Its MIME type, when given.
        mime_type: Option<String>,
    },
    /// Anything else (a newer content type, or an item missing its fields), as sent.
    Other(Value),
}

impl ContentItem {
    pub(crate) fn from_json(v: &Value) -> Self {
        let text =
            |from: &Value, key: &str| from.get(key).and_then(Value::as_str).map(str::to_owned);
        let parsed = match v.get("type").and_then(Value::as_str) {
            Some("text") => text(v, "text").map(|text| Self::Text { text }),
            Some("image") => text(v, "mimeType")
                .zip(text(v, "data"))
                .map(|(mime_type, data)| Self::Image { mime_type, data }),
            Some("audio") => text(v, "mimeType")
                .zip(text(v, "data"))
                .map(|(mime_type, data)| Self::Audio { mime_type, data }),
            Some("resource") => v.get("resource").and_then(|r| {
                Some(Self::Resource {
                    uri: text(r, "uri")?,
                    mime_type: text(r, "mimeType"),
                    text: text(r, "text"),
                    blob: text(r, "blob"),
                })
            }),
            Some("resource_link") => {
                text(v, "uri")
                    .zip(text(v, "name"))
                    .map(|(uri, name)| Self::ResourceLink {
                        uri,
                        name,
                        description: text(v, "description"),
                        mime_type: text(v, "mimeType"),
                    })
            }
            _ => None,
        };
        parsed.unwrap_or_else(|| Self::Other(v.clone()))
    }

    /// This item as text for a model: text as is, binary content as a one-line note.
    pub fn to_text(&self) -> String {
        match self {
            Self::Text { text } => text.clone(),
            Self::Image { mime_type, data } => {
                format!("[image {mime_type}, {} bytes]", base64_len(data))
            }
            Self::Audio { mime_type, data } => {
                format!("[audio {mime_type}, {} bytes]", base64_len(data))
            }
            Self::Resource {
                uri,
                text: Some(text),
                ..
            } => format!("[resource {uri}]\n{text}"),
            Self::Resource {
                uri,
                mime_type,
                blob,
                ..
            } => format!(
                "[resource {uri}, {}, {} bytes]",
                mime_type.as_deref().unwrap_or("binary"),
                blob.as_deref().map_or(0, base64_len)
            ),
            Self::ResourceLink {
                uri,
                name,
                description,
                ..
            } => match description {
                Some(d) => format!("[resource link {name}: {uri}] {d}"),
                None => format!("[resource link {name}: {uri}]"),
            },
            Self::Other(v) => v.to_string(),
        }
    }
}

/// The decoded size of base64 text, without decoding it.
fn base64_len(data: &str) -> usize {
    let data = data.trim_end_matches('=');
    data.len() * 3 / 4
}

/// The result of `tools/call`.
#[derive(Debug, Clone, PartialEq)]
pub struct CallResult {
    /// What the tool returned.
    pub content: Vec<ContentItem>,
    /// The tool itself failed (`isError: true`); `content` says why. The call reached the
    /// tool, unlike an [`McpError`](crate::McpError).
    pub is_error: bool,
    /// The typed result, when the tool declares an output schema.
    pub structured_content: Option<Value>,
}

impl CallResult {
    pub(crate) fn from_json(v: &Value) -> Self {
        Self {
            content: v
                .get("content")
                .and_then(Value::as_array)
                .map(|items| items.iter().map(ContentItem::from_json).collect())
                .unwrap_or_default(),
            is_error: v.get("isError").and_then(Value::as_bool).unwrap_or(false),
            structured_content: v.get("structuredContent").cloned(),
        }
    }

    /// The result as one text for a model: the items' texts joined by newlines; the
    /// structured content as JSON when there is no content.
    pub fn to_text(&self) -> String {
        if self.content.is_empty() {
            return self
                .structured_content
                .as_ref()
                .map(Value::to_string)
                .unwrap_or_default();
        }
        self.content
            .iter()
            .map(ContentItem::to_text)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_items_of_every_kind_turn_into_text() {
        let result = CallResult::from_json(&json!({
            "content": [
                {"type": "text", "text": "hello"},
                {"type": "image", "mimeType": "image/png", "data": "AAAA"},
                {"type": "resource", "resource": {"uri": "file:///a.txt", "text": "body"}},
                {"type": "resource", "resource": {"uri": "file:///b", "mimeType": "application/zip", "blob": "AAAAAA=="}},
                {"type": "resource_link", "uri": "file:///c", "name": "c"},
                {"type": "hologram", "x": 1},
            ],
            "isError": true,
        }));
        assert!(result.is_error);
        assert_eq!(
            result.to_text(),
            "hello\n[image image/png, 3 bytes]\n[resource file:///a.txt]\nbody\n\
             [resource file:///b, application/zip, 4 bytes]\n[resource link c: file:///c]\n\
             {\"type\":\"hologram\",\"x\":1}"
        );
    }

    #[test]
    fn structured_content_stands_in_for_missing_content() {
        let result = CallResult::from_json(&json!({"content": [], "structuredContent": {"n": 2}}));
        assert!(!result.is_error);
        assert_eq!(result.to_text(), "{\"n\":2}");
    }

    #[test]
    fn tools_without_schema_get_an_object_schema_and_nameless_ones_are_refused() {
        let tool = ToolInfo::from_json(&json!({"name": "t"})).expect("named tool");
        assert_eq!(tool.input_schema, json!({"type": "object"}));
        assert!(ToolInfo::from_json(&json!({"description": "no name"})).is_none());
    }
}
