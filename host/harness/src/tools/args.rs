//! Checking a call's arguments against the tool's JSON Schema, so that a
//! model's mistake comes back as a message it can act on.
//!
//! Only the parts of JSON Schema the tools use are checked: the arguments
//! are an object, `required` names are present, each property has its
//! declared `type` (and `enum` value, `minimum`), and no unknown names.

use serde_json::{Map, Value};

use crate::schema::{article, describe, type_name};

/// Checks `args` against the object schema `schema` of tool `tool`; on
/// success returns the arguments as a map. The error reads like
/// `edit: missing required argument 'old_string'`.
pub fn validate(tool: &str, schema: &Value, args: &Value) -> Result<Map<String, Value>, String> {
    let args = match args {
        Value::Object(map) => map.clone(),
        // Some models send no arguments at all for a tool without any.
        Value::Null => Map::new(),
        other => {
            return Err(format!(
                "{tool}: arguments must be a JSON object, got {}",
                type_name(other)
            ));
        }
    };
    let empty = Map::new();
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    if let Some(required) = schema.get("required").and_then(Value::as_array) {
        for name in required.iter().filter_map(Value::as_str) {
            if args.get(name).is_none_or(Value::is_null) {
                return Err(format!("{tool}: missing required argument '{name}'"));
            }
        }
    }
    for (name, value) in &args {
        let Some(spec) = properties.get(name) else {
            let mut known: Vec<&str> = properties.keys().map(String::as_str).collect();
            known.sort_unstable();
            return Err(format!(
                "{tool}: unknown argument '{name}' (arguments: {})",
                known.join(", ")
            ));
        };
        // An optional argument sent as null means "not given".
        if value.is_null() {
            continue;
        }
        check_value(tool, name, spec, value)?;
    }
    Ok(args)
}

fn check_value(tool: &str, name: &str, spec: &Value, value: &Value) -> Result<(), String> {
    if let Some(expected) = spec.get("type").and_then(Value::as_str) {
        let fits = match expected {
            "string" => value.is_string(),
            "boolean" => value.is_boolean(),
            "number" => value.is_number(),
            "integer" => value.is_i64() || value.is_u64(),
            "object" => value.is_object(),
            "array" => value.is_array(),
            _ => true,
        };
        if !fits {
            return Err(format!(
                "{tool}: argument '{name}' must be {}, got {}",
                article(expected),
                describe(value)
            ));
        }
    }
    let allowed = spec.get("enum").and_then(Value::as_array);
    if let Some(allowed) = allowed.filter(|allowed| !allowed.contains(value)) {
        let names: Vec<String> = allowed.iter().map(Value::to_string).collect();
        return Err(format!(
            "{tool}: argument '{name}' must be one of {}, got {value}",
            names.join(", ")
        ));
    }
    let min = spec.get("minimum").and_then(Value::as_f64);
    if let Some(min) = min.filter(|&min| value.as_f64().is_some_and(|n| n < min)) {
        return Err(format!(
            "{tool}: argument '{name}' must be at least {min}, got {value}"
        ));
    }
    Ok(())
}

/// Typed access to validated arguments.
pub(crate) struct Args {
    map: Map<String, Value>,
}

impl Args {
    /// Validates `args` for `tool` against `schema`.
    pub(crate) fn parse(tool: &str, schema: &Value, args: &Value) -> Result<Args, String> {
        validate(tool, schema, args).map(|map| Args { map })
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    /// A string argument; validation made required ones present.
    pub(crate) fn str(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(Value::as_str)
    }

    /// An integer argument (negative values were refused by `minimum`).
    pub(crate) fn u64(&self, name: &str) -> Option<u64> {
        self.get(name).and_then(Value::as_u64)
    }

    /// A number argument.
    pub(crate) fn f64(&self, name: &str) -> Option<f64> {
        self.get(name).and_then(Value::as_f64)
    }

    /// A boolean argument, `false` when absent.
    pub(crate) fn flag(&self, name: &str) -> bool {
        self.get(name).and_then(Value::as_bool).unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({
            "type": "object",
            "properties": {
                "path": {"type": "string"},
                "limit": {"type": "integer", "minimum": 1},
                "mode": {"type": "string", "enum": ["a", "b"]}
            },
            "required": ["path"]
        })
    }

    #[test]
    fn missing_required_is_named() {
        let err = validate("read", &schema(), &json!({})).unwrap_err();
        assert_eq!(err, "read: missing required argument 'path'");
    }

    #[test]
    fn wrong_type_says_what_came() {
        let err = validate("read", &schema(), &json!({"path": "a", "limit": "10"})).unwrap_err();
        assert_eq!(
            err,
            "read: argument 'limit' must be an integer, got a string (\"10\")"
        );
    }

    #[test]
    fn enum_minimum_and_unknown_are_checked() {
        let err = validate("t", &schema(), &json!({"path": "a", "mode": "c"})).unwrap_err();
        assert!(err.contains("must be one of \"a\", \"b\""), "{err}");
        let err = validate("t", &schema(), &json!({"path": "a", "limit": 0})).unwrap_err();
        assert!(err.contains("at least 1"), "{err}");
        let err = validate("t", &schema(), &json!({"path": "a", "x": 1})).unwrap_err();
        assert_eq!(
            err,
            "t: unknown argument 'x' (arguments: limit, mode, path)"
        );
        let err = validate("t", &schema(), &json!([1])).unwrap_err();
        assert_eq!(err, "t: arguments must be a JSON object, got an array");
    }

    #[test]
    fn null_optional_is_absent() {
        let args = Args::parse("t", &schema(), &json!({"path": "a", "limit": null})).unwrap();
        assert_eq!(args.u64("limit"), None);
        assert_eq!(args.str("path"), Some("a"));
    }
}
