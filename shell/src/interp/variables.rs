//! Reading and assigning variables: dynamic variables (`RANDOM`, `LINENO`,
//! `SECONDS`…), namerefs, attributes (`-i`, `-l`, `-u`, `-r`, `-x`) and
//! array elements.

use super::Interp;
use crate::state::{Attrs, Value, Variable};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Why an assignment was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AssignError {
    /// The variable is read-only (`bash: x: readonly variable`).
    Readonly(String),
    /// An `-i` variable's value is not a valid expression.
    Arithmetic(String),
    /// The value is larger than [`crate::Limits::max_string_bytes`].
    TooLong(String),
}

impl AssignError {
    /// bash's message for the refusal.
    pub(crate) fn message(&self) -> String {
        match self {
            AssignError::Readonly(name) => format!("{name}: readonly variable"),
            AssignError::Arithmetic(message) => message.clone(),
            AssignError::TooLong(name) => format!("{name}: value too long for the shell's limits"),
        }
    }
}

/// Follows namerefs at most this many times (bash warns at the same depth).
const MAX_NAMEREF_HOPS: usize = 8;

impl Interp {
    /// The variable `name` finally refers to, following `declare -n`.
    pub(crate) fn resolve_nameref(&self, name: &str) -> String {
        let mut name = name.to_string();
        for _ in 0..MAX_NAMEREF_HOPS {
            match self.state.vars.get(&name) {
                Some(var) if var.attrs.nameref => {
                    match var.value.as_ref().and_then(Value::as_scalar) {
                        Some(target) if !target.is_empty() => name = target.to_string(),
                        _ => break,
                    }
                }
                _ => break,
            }
        }
        name
    }

    /// The value of a dynamic variable (computed at each read), if `name`
    /// is one.
    fn dynamic(&mut self, name: &str) -> Option<String> {
        Some(match name {
            "RANDOM" => self.state.next_random().to_string(),
            "LINENO" => self.state.lineno.to_string(),
            "SECONDS" => self.env.started.elapsed().as_secs().to_string(),
            "BASHPID" => self.state.pid.to_string(),
            "_" => self.state.last_arg.clone(),
            "EPOCHSECONDS" => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0)
                .to_string(),
            "EPOCHREALTIME" => {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default();
                format!("{}.{:06}", now.as_secs(), now.subsec_micros())
            }
            "PPID" => "1".to_string(),
            "UID" | "EUID" => "0".to_string(),
            _ => return None,
        })
    }

    /// The value of a dynamic array variable (`FUNCNAME`, `PIPESTATUS`…).
    pub(crate) fn dynamic_array(&self, name: &str) -> Option<Value> {
        Some(match name {
            "PIPESTATUS" => Value::indexed(self.state.pipestatus.iter().map(i32::to_string)),
            "FUNCNAME" => {
                if self.state.call_stack.is_empty() {
                    return None;
                }
                let mut names: Vec<String> = self
                    .state
                    .call_stack
                    .iter()
                    .rev()
                    .map(|n| n.to_string())
                    .collect();
                names.push("main".to_string());
                Value::indexed(names)
            }
            "DIRSTACK" => {
                let mut dirs = vec![self.state.cwd.clone()];
                dirs.extend(self.state.dir_stack.iter().cloned());
                Value::indexed(dirs)
            }
            "BASH_ARGV0" => Value::Scalar(self.state.arg0.to_string()),
            _ => return None,
        })
    }

    /// The whole value of `name` (following namerefs), dynamic ones
    /// included; `None` if unset.
    pub(crate) fn value(&mut self, name: &str) -> Option<Value> {
        let name = self.resolve_nameref(name);
        if let Some(value) = self.dynamic(&name) {
            return Some(Value::Scalar(value));
        }
        if let Some(var) = self.state.vars.get(&name) {
            return var.value.clone();
        }
        self.dynamic_array(&name)
    }

    /// The value of `name` as a scalar (`$name`); `None` if unset.
    pub(crate) fn scalar(&mut self, name: &str) -> Option<String> {
        let name = self.resolve_nameref(name);
        if let Some(value) = self.dynamic(&name) {
            return Some(value);
        }
        match self.state.vars.get(&name) {
            Some(var) => var.value.as_ref()?.as_scalar().map(str::to_string),
            None => self.dynamic_array(&name)?.as_scalar().map(str::to_string),
        }
    }

    /// The attributes of `name` (after namerefs), default if unset.
    pub(crate) fn attrs(&self, name: &str) -> Attrs {
        let name = self.resolve_nameref(name);
        self.state
            .vars
            .get(&name)
            .map(|v| v.attrs)
            .unwrap_or_default()
    }

    /// Applies `-i`, `-l`, `-u` to a value about to be stored in a variable
    /// with `attrs`.
    fn apply_attrs(&mut self, attrs: Attrs, value: String) -> Result<String, AssignError> {
        let value = if attrs.integer {
            match self.eval_arith_str(&value) {
                Ok(n) => n.to_string(),
                Err(message) => return Err(AssignError::Arithmetic(message)),
            }
        } else {
            value
        };
        Ok(if attrs.lowercase {
            value.to_lowercase()
        } else if attrs.uppercase {
            value.to_uppercase()
        } else {
            value
        })
    }

    /// Assigns a scalar (`name=value`), keeping attributes.
    pub(crate) fn set_scalar(&mut self, name: &str, value: String) -> Result<(), AssignError> {
        self.store_scalar(name, value, false)
    }

    /// `name+=value`: appends to a scalar (adds, for an integer variable;
    /// appends an element to an array).
    pub(crate) fn append_scalar(&mut self, name: &str, value: String) -> Result<(), AssignError> {
        self.store_scalar(name, value, true)
    }

    fn store_scalar(&mut self, name: &str, value: String, append: bool) -> Result<(), AssignError> {
        let name = self.resolve_nameref(name);
        if name == "RANDOM" {
            self.state.seed_random(value.parse().unwrap_or(0));
            return Ok(());
        }
        if value.len() > self.env.limits.max_string_bytes {
            return Err(AssignError::TooLong(name));
        }
        let existing = self.state.vars.get(&name).cloned();
        let attrs = existing.as_ref().map(|v| v.attrs).unwrap_or_default();
        if attrs.readonly {
            return Err(AssignError::Readonly(name));
        }
        let new_value = match (&existing.as_ref().and_then(|v| v.value.clone()), append) {
            (Some(Value::Indexed(map)), true) => {
                let value = self.apply_attrs(attrs, value)?;
                // `arr+=x` appends to element 0 in bash, not a new element.
                let mut map = (**map).clone();
                map.entry(0).or_default().push_str(&value);
                Value::Indexed(Arc::new(map))
            }
            (Some(Value::Indexed(map)), false) => {
                let value = self.apply_attrs(attrs, value)?;
                let mut map = (**map).clone();
                map.insert(0, value);
                Value::Indexed(Arc::new(map))
            }
            (Some(Value::Assoc(pairs)), _) => {
                let value = self.apply_attrs(attrs, value)?;
                let mut pairs = (**pairs).clone();
                set_pair(&mut pairs, "0".into(), value, append);
                Value::Assoc(Arc::new(pairs))
            }
            (Some(Value::Scalar(old)), true) => {
                if attrs.integer {
                    let sum = format!("{old}+({value})");
                    Value::Scalar(self.apply_attrs(attrs, sum)?)
                } else {
                    Value::Scalar(self.apply_attrs(attrs, format!("{old}{value}"))?)
                }
            }
            _ => Value::Scalar(self.apply_attrs(attrs, value)?),
        };
        let mut attrs = attrs;
        if self.state.options.allexport {
            attrs.exported = true;
        }
        self.state.vars.insert(
            &name,
            Variable {
                value: Some(new_value),
                attrs,
            },
        );
        Ok(())
    }

    /// Assigns one array element (`name[index]=value`); `index` is already
    /// expanded (and, for indexed arrays, evaluated).
    pub(crate) fn set_element(
        &mut self,
        name: &str,
        index: &str,
        value: String,
        append: bool,
    ) -> Result<(), AssignError> {
        let name = self.resolve_nameref(name);
        let existing = self.state.vars.get(&name).cloned();
        let attrs = existing.as_ref().map(|v| v.attrs).unwrap_or_default();
        if attrs.readonly {
            return Err(AssignError::Readonly(name));
        }
        let value = self.apply_attrs(attrs, value)?;
        let new_value = match existing.and_then(|v| v.value) {
            Some(Value::Assoc(pairs)) => {
                let mut pairs = (*pairs).clone();
                set_pair(&mut pairs, index.to_string(), value, append);
                Value::Assoc(Arc::new(pairs))
            }
            other => {
                let mut map = match other {
                    Some(Value::Indexed(map)) => (*map).clone(),
                    Some(Value::Scalar(s)) => BTreeMap::from([(0, s)]),
                    _ => BTreeMap::new(),
                };
                let index = self
                    .eval_arith_str(index)
                    .map_err(AssignError::Arithmetic)?;
                let index = if index < 0 {
                    map.keys().next_back().map_or(0, |k| k + 1) + index
                } else {
                    index
                };
                if append {
                    map.entry(index).or_default().push_str(&value);
                } else {
                    map.insert(index, value);
                }
                Value::Indexed(Arc::new(map))
            }
        };
        let mut attrs = attrs;
        if self.state.options.allexport {
            attrs.exported = true;
        }
        self.state.vars.insert(
            &name,
            Variable {
                value: Some(new_value),
                attrs,
            },
        );
        Ok(())
    }

    /// Replaces the whole value of `name` with an array (`name=(…)`),
    /// keeping attributes; `append` adds after the last element.
    pub(crate) fn set_array(
        &mut self,
        name: &str,
        value: Value,
        append: bool,
    ) -> Result<(), AssignError> {
        let name = self.resolve_nameref(name);
        let existing = self.state.vars.get(&name).cloned();
        let attrs = existing.as_ref().map(|v| v.attrs).unwrap_or_default();
        if attrs.readonly {
            return Err(AssignError::Readonly(name));
        }
        let value = match (append, existing.and_then(|v| v.value), value) {
            (true, Some(Value::Indexed(old)), Value::Indexed(new)) => {
                let mut map = (*old).clone();
                let next = map.keys().next_back().map_or(0, |k| k + 1);
                for (offset, item) in (0..).zip(new.values()) {
                    map.insert(next + offset, item.clone());
                }
                Value::Indexed(Arc::new(map))
            }
            (true, Some(Value::Scalar(old)), Value::Indexed(new)) => {
                let mut map = BTreeMap::from([(0, old)]);
                for (i, item) in new.values().enumerate() {
                    map.insert(i as i64 + 1, item.clone());
                }
                Value::Indexed(Arc::new(map))
            }
            (true, Some(Value::Assoc(old)), Value::Assoc(new)) => {
                let mut pairs = (*old).clone();
                for (k, v) in new.iter() {
                    set_pair(&mut pairs, k.clone(), v.clone(), false);
                }
                Value::Assoc(Arc::new(pairs))
            }
            (_, _, value) => value,
        };
        self.state.vars.insert(
            &name,
            Variable {
                value: Some(value),
                attrs,
            },
        );
        Ok(())
    }

    /// `unset name`; read-only variables refuse.
    pub(crate) fn unset_var(&mut self, name: &str) -> Result<(), AssignError> {
        let name = self.resolve_nameref(name);
        if self.state.vars.get(&name).is_some_and(|v| v.attrs.readonly) {
            return Err(AssignError::Readonly(name));
        }
        self.state.vars.remove(&name);
        Ok(())
    }

    /// `export name` / `declare -x`: sets the attribute, creating the
    /// variable (unset) if needed.
    pub(crate) fn update_attrs(&mut self, name: &str, update: impl FnOnce(&mut Attrs)) {
        let name = self.resolve_nameref(name);
        match self.state.vars.get_mut(&name) {
            Some(var) => update(&mut var.attrs),
            None => {
                let mut attrs = Attrs::default();
                update(&mut attrs);
                self.state
                    .vars
                    .insert(&name, Variable { value: None, attrs });
            }
        }
    }
}

/// Sets `key` in an associative array, keeping insertion order.
fn set_pair(pairs: &mut Vec<(String, String)>, key: String, value: String, append: bool) {
    match pairs.iter_mut().find(|(k, _)| *k == key) {
        Some((_, existing)) if append => existing.push_str(&value),
        Some((_, existing)) => *existing = value,
        None => pairs.push((key, value)),
    }
}

impl Interp {
    /// True if `name` is an associative array (its subscripts are strings,
    /// not arithmetic).
    pub(crate) fn is_assoc(&self, name: &str) -> bool {
        let name = self.resolve_nameref(name);
        matches!(
            self.state.vars.get(&name).and_then(|v| v.value.as_ref()),
            Some(Value::Assoc(_))
        )
    }

    /// One element of an array: `index` is the evaluated number for an
    /// indexed array (negative counts from the end) or the key of an
    /// associative one. A scalar is element 0.
    pub(crate) fn element(&mut self, name: &str, index: &str) -> Option<String> {
        match self.value(name)? {
            Value::Assoc(pairs) => pairs
                .iter()
                .find(|(k, _)| k == index)
                .map(|(_, v)| v.clone()),
            Value::Indexed(map) => {
                let index: i64 = index.parse().ok()?;
                let index = if index < 0 {
                    map.keys().next_back()? + 1 + index
                } else {
                    index
                };
                map.get(&index).cloned()
            }
            Value::Scalar(s) => (index == "0" || index == "-1").then_some(s),
        }
    }
}
