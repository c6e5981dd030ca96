//! Checking a value against a JSON Schema, for typed results.
//!
//! A model asked for a typed result answers through the `finish` tool;
//! its arguments are checked here and every violation goes back to it as
//! a tool error it can fix, each located by a JSON pointer
//! (`/items/2/price: must be a number, got a string ("12")`).
//!
//! The keywords result schemas use are checked: `type` (one or several,
//! `integer` included), `enum`, `const`, `properties`, `required`,
//! `additionalProperties` (boolean or schema), `items`, `minItems`,
//! `maxItems`, `minimum`, `maximum`, `exclusiveMinimum`,
//! `exclusiveMaximum`, `minLength`, `maxLength` (in characters),
//! `pattern`, `allOf`, `anyOf`, `oneOf`. Annotations (`title`,
//! `description`, `default`, `format`, `$schema`) are ignored, as are
//! references (`$ref`), which a result schema rarely needs.

use serde_json::Value;

/// Every way `value` breaks `schema`, as `pointer: problem` lines; empty
/// when it conforms.
pub fn violations(schema: &Value, value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    check(schema, value, "", &mut out);
    out
}

fn check(schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
    let Some(schema) = schema.as_object() else {
        // `true` accepts anything; `false` nothing.
        if schema == &Value::Bool(false) {
            out.push(format!("{}: no value is allowed here", here(at)));
        }
        return;
    };
    let mut fail = |problem: String| out.push(format!("{}: {problem}", here(at)));
    if let Some(types) = schema.get("type") {
        let names: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !names.is_empty() && !names.iter().any(|t| has_type(value, t)) {
            let phrases: Vec<String> = names.iter().map(|t| article(t)).collect();
            fail(format!(
                "must be {}, got {}",
                phrases.join(" or "),
                describe(value)
            ));
            return;
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(value) {
            let list: Vec<String> = allowed.iter().map(Value::to_string).collect();
            fail(format!("must be one of {}, got {value}", list.join(", ")));
        }
    }
    if let Some(constant) = schema.get("const") {
        if constant != value {
            fail(format!("must be {constant}, got {value}"));
        }
    }
    match value {
        Value::Number(n) => {
            let n = n.as_f64().unwrap_or(0.0);
            let bound = |name: &str| schema.get(name).and_then(Value::as_f64);
            if let Some(min) = bound("minimum").filter(|&m| n < m) {
                fail(format!("must be at least {min}, got {n}"));
            }
            if let Some(max) = bound("maximum").filter(|&m| n > m) {
                fail(format!("must be at most {max}, got {n}"));
            }
            if let Some(min) = bound("exclusiveMinimum").filter(|&m| n <= m) {
                fail(format!("must be more than {min}, got {n}"));
            }
            if let Some(max) = bound("exclusiveMaximum").filter(|&m| n >= m) {
                fail(format!("must be less than {max}, got {n}"));
            }
        }
        Value::String(s) => {
            let chars = s.chars().count() as u64;
            let limit = |name: &str| schema.get(name).and_then(Value::as_u64);
            if let Some(min) = limit("minLength").filter(|&m| chars < m) {
                fail(format!("must have at least {min} characters, has {chars}"));
            }
            if let Some(max) = limit("maxLength").filter(|&m| chars > m) {
                fail(format!("must have at most {max} characters, has {chars}"));
            }
            if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
                match regex::Regex::new(pattern) {
                    Ok(re) if !re.is_match(s) => fail(format!("must match /{pattern}/")),
                    Ok(_) => {}
                    Err(_) => fail(format!("the schema's pattern /{pattern}/ is not valid")),
                }
            }
        }
        Value::Array(items) => {
            let count = items.len() as u64;
            let limit = |name: &str| schema.get(name).and_then(Value::as_u64);
            if let Some(min) = limit("minItems").filter(|&m| count < m) {
                fail(format!("must have at least {min} items, has {count}"));
            }
            if let Some(max) = limit("maxItems").filter(|&m| count > m) {
                fail(format!("must have at most {max} items, has {count}"));
            }
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    check(item_schema, item, &format!("{at}/{i}"), out);
                }
            }
        }
        Value::Object(map) => {
            if let Some(required) = schema.get("required").and_then(Value::as_array) {
                for name in required.iter().filter_map(Value::as_str) {
                    if !map.contains_key(name) {
                        out.push(format!("{}: missing required property '{name}'", here(at)));
                    }
                }
            }
            let properties = schema.get("properties").and_then(Value::as_object);
            for (name, item) in map {
                let path = format!("{at}/{}", escape(name));
                match properties.and_then(|p| p.get(name)) {
                    Some(property) => check(property, item, &path, out),
                    None => match schema.get("additionalProperties") {
                        Some(Value::Bool(false)) => {
                            out.push(format!("{}: unknown property '{name}'", here(at)))
                        }
                        Some(extra @ Value::Object(_)) => check(extra, item, &path, out),
                        _ => {}
                    },
                }
            }
        }
        _ => {}
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for sub in all {
            check(sub, value, at, out);
        }
    }
    if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
        if !any.iter().any(|sub| violations(sub, value).is_empty()) {
            out.push(format!(
                "{}: matches none of the allowed shapes (anyOf)",
                here(at)
            ));
        }
    }
    if let Some(one) = schema.get("oneOf").and_then(Value::as_array) {
        let matching = one
            .iter()
            .filter(|sub| violations(sub, value).is_empty())
            .count();
        if matching != 1 {
            out.push(format!(
                "{}: must match exactly one of the allowed shapes (oneOf), matches {matching}",
                here(at)
            ));
        }
    }
}

fn has_type(value: &Value, name: &str) -> bool {
    match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.as_f64().is_some_and(|n| n.fract() == 0.0),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

/// A type name with its article: `a number`, `an integer`, `null`.
pub(crate) fn article(name: &str) -> String {
    match name {
        "null" => "null".to_owned(),
        "integer" | "object" | "array" => format!("an {name}"),
        _ => format!("a {name}"),
    }
}

/// What kind of value `value` is: `a string`, `an integer`, `null`…
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The type and, for short scalars, the value: `a string ("10")`.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Array(_) | Value::Object(_) | Value::Null => type_name(value).to_string(),
        _ => {
            let text = value.to_string();
            if text.len() <= 40 {
                format!("{} ({text})", type_name(value))
            } else {
                type_name(value).to_string()
            }
        }
    }
}

/// The pointer of the document's root reads as `/`.
fn here(at: &str) -> &str {
    if at.is_empty() {
        "/"
    } else {
        at
    }
}

/// JSON pointer escaping of one property name.
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({
            "type": "object",
            "required": ["title", "items"],
            "additionalProperties": false,
            "properties": {
                "title": {"type": "string", "minLength": 3},
                "status": {"enum": ["open", "closed"]},
                "items": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["name", "price"],
                        "properties": {
                            "name": {"type": "string", "pattern": "^[a-z]+$"},
                            "price": {"type": "number", "minimum": 0},
                            "count": {"type": ["integer", "null"]}
                        }
                    }
                }
            }
        })
    }

    #[test]
    fn a_conforming_value_has_no_violations() {
        let value = json!({"title": "Order", "status": "open",
            "items": [{"name": "pen", "price": 1.5, "count": 2}, {"name": "ink", "price": 0, "count": null}]});
        assert_eq!(violations(&schema(), &value), Vec::<String>::new());
    }

    #[test]
    fn every_violation_is_located() {
        let value = json!({"title": "Or", "status": "lost", "extra": 1,
            "items": [{"name": "Pen", "price": "12", "count": 1.5}, {"price": -1}]});
        let found = violations(&schema(), &value);
        let want = [
            "/: unknown property 'extra'",
            "/items/0/count: must be an integer or null, got a number (1.5)",
            "/items/0/name: must match /^[a-z]+$/",
            "/items/0/price: must be a number, got a string (\"12\")",
            "/items/1/price: must be at least 0, got -1",
            "/items/1: missing required property 'name'",
            "/status: must be one of \"open\", \"closed\", got \"lost\"",
            "/title: must have at least 3 characters, has 2",
        ];
        let mut found_sorted = found.clone();
        found_sorted.sort();
        assert_eq!(found_sorted, want, "{found:#?}");
    }

    #[test]
    fn combinators_and_roots() {
        let one = json!({"oneOf": [{"type": "string"}, {"type": "integer"}]});
        assert!(violations(&one, &json!(3)).is_empty());
        assert_eq!(violations(&one, &json!(true)).len(), 1);
        let any = json!({"anyOf": [{"const": 1}, {"const": 2}]});
        assert!(violations(&any, &json!(2)).is_empty());
        assert!(violations(&any, &json!(3))[0].contains("anyOf"));
        assert_eq!(
            violations(&json!({"type": "object"}), &json!([])),
            ["/: must be an object, got an array"]
        );
        assert!(violations(&json!(true), &json!({"a": 1})).is_empty());
    }
}
