//! Markdown files that open with YAML front matter:
//!
//! ```text
//! ---
//! name: pdf
//! description: Read and fill PDF forms.
//! ---
//! The body, in markdown.
//! ```
//!
//! A file whose first line is not `---` has no front matter: it is all body.
//! A byte-order mark and CRLF line ends are accepted (editors on Windows
//! write both). The YAML must be a mapping; it is returned as JSON values so
//! callers read it with the same tools as every other argument.

use serde_json::{Map, Number, Value};
use yaml_rust2::{Yaml, YamlLoader};

use super::ContextError;

/// A markdown file split into its front matter and its body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// The front matter's keys and values (empty without front matter).
    pub data: Map<String, Value>,
    /// Everything after the closing `---` line, with `\n` line ends.
    pub body: String,
    /// The 1-based line of the file on which the body starts, so errors
    /// about the body can point into the file.
    pub body_line: usize,
}

/// Splits `text` (the contents of the file at `path`, which only names it in
/// errors) into front matter and body.
///
/// Errors name the file and the line: an opening `---` with no closing
/// line, YAML that does not parse, or YAML that is not a mapping.
pub fn parse(path: &str, text: &str) -> Result<Document, ContextError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n");
    let Some((yaml, body_start, body_line)) = split(&text) else {
        return Ok(Document {
            data: Map::new(),
            body: text,
            body_line: 1,
        });
    };
    let yaml = yaml.ok_or_else(|| {
        ContextError::new(
            path,
            "the front matter opened by '---' on line 1 is never closed: \
             end it with a line holding only '---'",
        )
        .at_line(1)
    })?;
    Ok(Document {
        data: parse_yaml(path, yaml)?,
        body: text[body_start..].to_owned(),
        body_line,
    })
}

/// Finds the front matter: `None` if the file has none, else the YAML
/// between the fences (`None` if unclosed), the byte offset of the body
/// and the body's line number.
fn split(text: &str) -> Option<(Option<&str>, usize, usize)> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next()?;
    if !is_fence(first) {
        return None;
    }
    let mut offset = first.len();
    for (index, line) in lines.enumerate() {
        if is_fence(line) || line.trim_end() == "..." {
            // The opening fence is line 1, so the line at `index` is
            // `index + 2` and the body starts one after it.
            return Some((
                Some(&text[first.len()..offset]),
                offset + line.len(),
                index + 3,
            ));
        }
        offset += line.len();
    }
    Some((None, text.len(), 0))
}

/// The line of `text` (a whole file) on which the top-level front matter
/// key `key` is written, so errors about its value can point at it.
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines();
    if !is_fence(lines.next()?) {
        return None;
    }
    for (index, line) in lines.enumerate() {
        if is_fence(line) || line.trim_end() == "..." {
            return None;
        }
        let unquoted = line
            .strip_prefix(['"', '\''])
            .and_then(|rest| rest.strip_prefix(key))
            .and_then(|rest| rest.strip_prefix(['"', '\'']));
        if let Some(rest) = unquoted.or_else(|| line.strip_prefix(key)) {
            if rest.trim_start().starts_with(':') {
                return Some(index + 2);
            }
        }
    }
    None
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Parses the YAML between the fences into a JSON mapping.
fn parse_yaml(path: &str, yaml: &str) -> Result<Map<String, Value>, ContextError> {
    let documents = YamlLoader::load_from_str(yaml).map_err(|err| {
        let mark = err.marker();
        // Line 1 of the YAML is line 2 of the file (after the opening fence);
        // the scanner's lines are 1-based, its columns 0-based.
        ContextError::new(
            path,
            format!(
                "invalid YAML in the front matter: {} (column {}); \
                 front matter holds 'key: value' lines",
                err.info(),
                mark.col() + 1
            ),
        )
        .at_line(mark.line() + 1)
    })?;
    let mut documents = documents.into_iter();
    let document = documents.next().unwrap_or(Yaml::Null);
    if documents.next().is_some() {
        return Err(ContextError::new(
            path,
            "the front matter holds more than one YAML document; keep one mapping \
             between the '---' lines",
        )
        .at_line(1));
    }
    match document {
        Yaml::Null => Ok(Map::new()),
        Yaml::Hash(hash) => {
            let mut map = Map::new();
            for (key, value) in hash {
                let key = key_string(&key).map_err(|e| ContextError::new(path, e).at_line(1))?;
                let value = to_json(value).map_err(|e| {
                    ContextError::new(path, format!("front matter key '{key}': {e}"))
                })?;
                map.insert(key, value);
            }
            Ok(map)
        }
        other => Err(ContextError::new(
            path,
            format!(
                "the front matter is {}, but it must be a mapping of 'key: value' lines",
                describe(&other)
            ),
        )
        .at_line(2)),
    }
}

/// A mapping key as a string; only scalars can be JSON object keys.
fn key_string(key: &Yaml) -> Result<String, String> {
    match key {
        Yaml::String(s) | Yaml::Real(s) => Ok(s.clone()),
        Yaml::Integer(i) => Ok(i.to_string()),
        Yaml::Boolean(b) => Ok(b.to_string()),
        Yaml::Null => Ok("null".to_owned()),
        other => Err(format!(
            "a front matter key is {}; keys must be plain words",
            describe(other)
        )),
    }
}

fn to_json(yaml: Yaml) -> Result<Value, String> {
    Ok(match yaml {
        Yaml::Null => Value::Null,
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Integer(i) => Value::from(i),
        // `.inf` and `.nan` have no JSON number: keep them as written.
        Yaml::Real(s) => match s.parse::<f64>().ok().and_then(Number::from_f64) {
            Some(n) => Value::Number(n),
            None => Value::String(s),
        },
        Yaml::String(s) => Value::String(s),
        Yaml::Array(items) => {
            Value::Array(items.into_iter().map(to_json).collect::<Result<_, _>>()?)
        }
        Yaml::Hash(hash) => {
            let mut map = Map::new();
            for (key, value) in hash {
                map.insert(key_string(&key)?, to_json(value)?);
            }
            Value::Object(map)
        }
        // The loader replaces aliases by their anchor's value; what is left
        // refers to an anchor that does not exist.
        Yaml::Alias(_) | Yaml::BadValue => {
            return Err("an alias (*name) refers to no anchor (&name)".to_owned())
        }
    })
}

/// "a list", "a number"…: what a YAML value is, for messages.
fn describe(yaml: &Yaml) -> &'static str {
    match yaml {
        Yaml::Array(_) => "a list",
        Yaml::Hash(_) => "a mapping",
        Yaml::String(_) => "a string",
        Yaml::Integer(_) | Yaml::Real(_) => "a number",
        Yaml::Boolean(_) => "a boolean",
        Yaml::Null => "empty",
        Yaml::Alias(_) | Yaml::BadValue => "an unresolved alias",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_values_become_json() {
        let doc = parse(
            "/x.md",
            "---\nn: 3\nf: 1.5\nlist: [a, true]\nmap:\n  k: ~\ninf: .inf\n---\nbody\n",
        )
        .unwrap();
        assert_eq!(
            Value::Object(doc.data),
            json!({"n": 3, "f": 1.5, "list": ["a", true], "map": {"k": null}, "inf": ".inf"})
        );
        assert_eq!(doc.body, "body\n");
        assert_eq!(doc.body_line, 9);
    }

    #[test]
    fn empty_front_matter_is_an_empty_mapping() {
        let doc = parse("/x.md", "---\n---\nbody").unwrap();
        assert!(doc.data.is_empty());
        assert_eq!((doc.body.as_str(), doc.body_line), ("body", 3));
    }

    #[test]
    fn keys_are_found_on_their_lines() {
        let text = "---\r\nname: x\r\n'model' : y\r\n  nested: z\r\n---\r\nname: body";
        assert_eq!(key_line(text, "name"), Some(2));
        assert_eq!(key_line(text, "model"), Some(3));
        assert_eq!(key_line(text, "nested"), None);
        assert_eq!(key_line("name: x", "name"), None);
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let err = parse("/x.md", "---\na: 1\na: 2\n---\n").unwrap_err();
        assert!(err.to_string().contains("duplicated key"), "{err}");
    }
}
