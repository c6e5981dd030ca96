//! The prompt template: an agent file's body with `{{...}}` placeholders.
//!
//! - `{{payload}}`: the whole payload as JSON;
//! - `{{payload.a.b}}`: one value of it (a string as is, anything else as
//!   JSON; list items by index: `{{payload.items.0}}`);
//! - `{{id}}`: the session id of the run;
//! - `{{env.NAME}}`: a variable from `--env` files, else the process's.
//!
//! Spaces inside the braces are ignored. `{{` always opens a placeholder;
//! a placeholder naming anything else is a definition error, found when
//! the file is read; a payload or variable lacking a key the template
//! uses is an error of the request, naming the key and the line.

use serde_json::Value;

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(String),
    Placeholder {
        what: Source,
        /// The line of the agent file it is on.
        line: usize,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum Source {
    Payload(Vec<String>),
    Id,
    Env(String),
}

/// A template error: the line (of the agent file) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// The 1-based line of the agent file.
    pub line: usize,
    /// What is wrong and what to do.
    pub message: String,
}

impl Template {
    /// Parses `body`, whose first line is line `first_line` of its file.
    pub fn parse(body: &str, first_line: usize) -> Result<Template, TemplateError> {
        let mut parts = Vec::new();
        let mut rest = body;
        let mut line = first_line;
        while let Some(start) = rest.find("{{") {
            let (text, after) = rest.split_at(start);
            line += text.matches('\n').count();
            if !text.is_empty() {
                parts.push(Part::Text(text.to_owned()));
            }
            let after = &after[2..];
            let Some(end) = after.find("}}") else {
                return Err(TemplateError {
                    line,
                    message: "'{{' is never closed by '}}'; write placeholders as \
                              {{payload.key}}, {{id}} or {{env.NAME}}"
                        .to_owned(),
                });
            };
            let inner = &after[..end];
            if inner.contains('\n') {
                return Err(TemplateError {
                    line,
                    message: format!(
                        "placeholder '{{{{{}' spans lines; close it with '}}}}' on the same line",
                        inner.lines().next().unwrap_or("")
                    ),
                });
            }
            let what = source(inner.trim()).map_err(|message| TemplateError { line, message })?;
            parts.push(Part::Placeholder { what, line });
            rest = &after[end + 2..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_owned()));
        }
        Ok(Template { parts })
    }

    /// The prompt for session `id`, `payload` and the variables `env`
    /// (looked up with `env`, so callers choose where variables come from).
    pub fn render(
        &self,
        id: &str,
        payload: &Value,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<String, TemplateError> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Placeholder { what, line } => {
                    let line = *line;
                    match what {
                        Source::Id => out.push_str(id),
                        Source::Env(name) => match env(name) {
                            Some(value) => out.push_str(&value),
                            None => {
                                return Err(TemplateError {
                                    line,
                                    message: format!(
                                        "{{{{env.{name}}}}}: the variable {name} is not set; \
                                         set it or give it in an --env file"
                                    ),
                                })
                            }
                        },
                        Source::Payload(keys) => {
                            let value = lookup(payload, keys)
                                .map_err(|message| TemplateError { line, message })?;
                            push_value(&mut out, value);
                        }
                    }
                }
            }
        }
        Ok(out)
    }
}

/// What a placeholder's inside (trimmed) names.
fn source(inner: &str) -> Result<Source, String> {
    let mut keys = inner.split('.');
    let root = keys.next().unwrap_or("");
    let keys: Vec<String> = keys.map(str::to_owned).collect();
    if keys.iter().any(|k| k.trim().is_empty() || k.trim() != k) {
        return Err(format!(
            "placeholder '{{{{{inner}}}}}' has an empty key; write keys joined by single dots, \
             as in {{{{payload.user.name}}}}"
        ));
    }
    match (root, keys.len()) {
        ("payload", _) => Ok(Source::Payload(keys)),
        ("id", 0) => Ok(Source::Id),
        ("env", 1) => Ok(Source::Env(keys[0].clone())),
        ("env", _) => Err(format!(
            "placeholder '{{{{{inner}}}}}' must name one variable, as in {{{{env.NAME}}}}"
        )),
        _ => Err(format!(
            "unknown placeholder '{{{{{inner}}}}}'; a template knows {{{{payload}}}}, \
             {{{{payload.key}}}}, {{{{id}}}} and {{{{env.NAME}}}}"
        )),
    }
}

/// The value at `keys` in `payload`, or a message naming the first key
/// missing and the keys there are.
fn lookup<'v>(payload: &'v Value, keys: &[String]) -> Result<&'v Value, String> {
    if payload.is_null() && !keys.is_empty() {
        return Err(format!(
            "{{{{payload.{}}}}}: no payload was given; pass one with --payload '{{...}}'",
            keys.join(".")
        ));
    }
    let mut value = payload;
    for (depth, key) in keys.iter().enumerate() {
        let next = match value {
            Value::Object(map) => map.get(key),
            Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        value = next.ok_or_else(|| {
            let at = if depth == 0 {
                "payload".to_owned()
            } else {
                format!("payload.{}", keys[..depth].join("."))
            };
            let known = match value {
                Value::Object(map) if map.is_empty() => format!("{at} is an empty object"),
                Value::Object(map) => format!(
                    "{at} has {}",
                    map.keys()
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Value::Array(items) => format!("{at} is a list of {} items", items.len()),
                other => format!("{at} is {other}, not an object"),
            };
            format!(
                "{{{{payload.{}}}}}: the payload has no key '{}' ({known})",
                keys.join("."),
                keys[..=depth].join(".")
            )
        })?;
    }
    Ok(value)
}

fn push_value(out: &mut String, value: &Value) {
    match value {
        Value::String(s) => out.push_str(s),
        Value::Object(_) | Value::Array(_) => {
            out.push_str(&serde_json::to_string_pretty(value).unwrap_or_default())
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn placeholders_are_filled() {
        let t = Template::parse(
            "Fix {{ payload.issue.title }} ({{id}}), n={{payload.n}}\n",
            5,
        )
        .unwrap();
        let out = t
            .render("s1", &json!({"issue": {"title": "crash"}, "n": 3}), &no_env)
            .unwrap();
        assert_eq!(out, "Fix crash (s1), n=3\n");
        let env = |name: &str| (name == "USER").then(|| "ann".to_owned());
        let t = Template::parse("hi {{env.USER}} {{payload.items.1}}", 1).unwrap();
        assert_eq!(
            t.render("x", &json!({"items": ["a", "b"]}), &env).unwrap(),
            "hi ann b"
        );
    }

    #[test]
    fn missing_keys_name_the_key_and_line() {
        let t = Template::parse("line one\nTitle: {{payload.issue.title}}\n", 7).unwrap();
        let err = t
            .render("s", &json!({"issue": {"body": "x"}}), &no_env)
            .unwrap_err();
        assert_eq!(err.line, 8);
        assert!(err.message.contains("'issue.title'"), "{}", err.message);
        assert!(
            err.message.contains("payload.issue has body"),
            "{}",
            err.message
        );
        let err = t.render("s", &Value::Null, &no_env).unwrap_err();
        assert!(err.message.contains("no payload"), "{}", err.message);
        let t = Template::parse("{{env.TOKEN}}", 3).unwrap();
        let err = t.render("s", &Value::Null, &no_env).unwrap_err();
        assert!(err.message.contains("TOKEN is not set"), "{}", err.message);
    }

    #[test]
    fn bad_placeholders_are_refused() {
        let err = Template::parse("a\nb {{user}}", 10).unwrap_err();
        assert_eq!(err.line, 11);
        assert!(
            err.message.contains("unknown placeholder"),
            "{}",
            err.message
        );
        assert!(Template::parse("{{payload..x}}", 1).is_err());
        assert!(Template::parse("{{env}}", 1).is_err());
        let err = Template::parse("x\n\n{{payload", 1).unwrap_err();
        assert_eq!(err.line, 3);
    }
}
