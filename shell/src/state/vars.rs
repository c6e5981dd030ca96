//! Shell variables: scalars, indexed and associative arrays, attributes,
//! and dynamic scoping for `local`.
//!
//! The table is a persistent map, so a subshell's copy costs O(1) and
//! shares everything until one side assigns. `local` saves the variable it
//! shadows in the current function's frame; returning restores it — bash's
//! dynamic scoping, where a function sees its callers' locals.

use imbl::shared_ptr::DefaultSharedPtr;
use imbl::GenericHashMap;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Attributes set by `declare`/`typeset`/`export`/`readonly`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attrs {
    /// `-x`: passed to commands' environment.
    pub exported: bool,
    /// `-r`: cannot be assigned or unset.
    pub readonly: bool,
    /// `-i`: assignments are evaluated arithmetically.
    pub integer: bool,
    /// `-l`: values are lower-cased on assignment.
    pub lowercase: bool,
    /// `-u`: values are upper-cased on assignment.
    pub uppercase: bool,
    /// `-n`: the value names another variable.
    pub nameref: bool,
}

/// A variable's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A string.
    Scalar(String),
    /// An indexed array (sparse: indices need not be contiguous).
    Indexed(Arc<BTreeMap<i64, String>>),
    /// An associative array, in insertion order.
    Assoc(Arc<Vec<(String, String)>>),
}

impl Value {
    /// The value as a scalar: a scalar itself, element 0 of an indexed
    /// array, the `"0"` key of an associative one (bash's `$arr`).
    pub fn as_scalar(&self) -> Option<&str> {
        match self {
            Value::Scalar(s) => Some(s),
            Value::Indexed(map) => map.get(&0).map(String::as_str),
            Value::Assoc(pairs) => pairs
                .iter()
                .find(|(k, _)| k == "0")
                .map(|(_, v)| v.as_str()),
        }
    }

    /// All element values in order (a scalar is one element).
    pub fn elements(&self) -> Vec<String> {
        match self {
            Value::Scalar(s) => vec![s.clone()],
            Value::Indexed(map) => map.values().cloned().collect(),
            Value::Assoc(pairs) => pairs.iter().map(|(_, v)| v.clone()).collect(),
        }
    }

    /// All keys in order (`${!arr[@]}`).
    pub fn keys(&self) -> Vec<String> {
        match self {
            Value::Scalar(_) => vec!["0".to_string()],
            Value::Indexed(map) => map.keys().map(i64::to_string).collect(),
            Value::Assoc(pairs) => pairs.iter().map(|(k, _)| k.clone()).collect(),
        }
    }

    /// Number of elements (`${#arr[@]}`).
    pub fn len(&self) -> usize {
        match self {
            Value::Scalar(_) => 1,
            Value::Indexed(map) => map.len(),
            Value::Assoc(pairs) => pairs.len(),
        }
    }

    /// True for an array with no element.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// An empty indexed array.
    pub fn empty_indexed() -> Value {
        Value::Indexed(Arc::new(BTreeMap::new()))
    }

    /// An empty associative array.
    pub fn empty_assoc() -> Value {
        Value::Assoc(Arc::new(Vec::new()))
    }

    /// An indexed array of `items` from index 0.
    pub fn indexed(items: impl IntoIterator<Item = String>) -> Value {
        Value::Indexed(Arc::new((0..).zip(items).collect()))
    }
}

/// One variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    /// Its value; `None` for a declared but unset variable (`declare x`,
    /// `local x`).
    pub value: Option<Value>,
    /// Its attributes.
    pub attrs: Attrs,
}

impl Variable {
    /// A plain scalar.
    pub fn scalar(value: impl Into<String>) -> Variable {
        Variable {
            value: Some(Value::Scalar(value.into())),
            attrs: Attrs::default(),
        }
    }
}

/// What a function call saved of the variables its `local`s shadow.
#[derive(Debug, Clone, Default)]
struct Frame {
    saved: Vec<(Arc<str>, Option<Variable>)>,
}

/// The variable table.
#[derive(Debug, Clone, Default)]
pub struct Variables {
    map: GenericHashMap<Arc<str>, Variable, rustc_hash::FxBuildHasher, DefaultSharedPtr>,
    frames: Vec<Frame>,
}

impl Variables {
    /// The variable `name`, if set or declared.
    pub fn get(&self, name: &str) -> Option<&Variable> {
        self.map.get(name)
    }

    /// The value of `name` as a scalar, if set.
    pub fn scalar(&self, name: &str) -> Option<&str> {
        self.map.get(name)?.value.as_ref()?.as_scalar()
    }

    /// Mutable access to `name`, if it exists.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Variable> {
        self.map.get_mut(name)
    }

    /// Replaces (or creates) `name` entirely.
    pub fn insert(&mut self, name: &str, var: Variable) {
        self.map.insert(Arc::from(name), var);
    }

    /// Removes `name`; returns what it was.
    pub fn remove(&mut self, name: &str) -> Option<Variable> {
        self.map.remove(name)
    }

    /// Every variable, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Variable)> {
        self.map.iter().map(|(k, v)| (&**k, v))
    }

    /// Names starting with `prefix`, sorted (`${!prefix*}`, `declare -p`).
    pub fn names_with_prefix(&self, prefix: &str) -> Vec<String> {
        let mut names: Vec<String> = self
            .map
            .iter()
            .filter(|(k, v)| k.starts_with(prefix) && v.value.is_some())
            .map(|(k, _)| k.to_string())
            .collect();
        names.sort();
        names
    }

    /// The exported variables with values, as the environment of a command
    /// (arrays are not exported, as in bash).
    pub fn environment(&self) -> Vec<(String, String)> {
        let mut env: Vec<(String, String)> = self
            .map
            .iter()
            .filter(|(_, v)| v.attrs.exported)
            .filter_map(|(k, v)| match &v.value {
                Some(Value::Scalar(s)) => Some((k.to_string(), s.clone())),
                _ => None,
            })
            .collect();
        env.sort();
        env
    }

    /// Enters a function call: later `local`s are undone by [`pop_frame`].
    ///
    /// [`pop_frame`]: Variables::pop_frame
    pub fn push_frame(&mut self) {
        self.frames.push(Frame::default());
    }

    /// Leaves a function call, restoring what its `local`s shadowed.
    pub fn pop_frame(&mut self) {
        if let Some(frame) = self.frames.pop() {
            for (name, saved) in frame.saved.into_iter().rev() {
                match saved {
                    Some(var) => {
                        self.map.insert(name, var);
                    }
                    None => {
                        self.map.remove(&name);
                    }
                }
            }
        }
    }

    /// The names made local in the innermost function call.
    pub fn local_names(&self) -> Vec<String> {
        self.frames
            .last()
            .map(|frame| {
                frame
                    .saved
                    .iter()
                    .map(|(name, _)| name.to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// True inside a function (where `local` is allowed).
    pub fn in_function(&self) -> bool {
        !self.frames.is_empty()
    }

    /// Makes `name` local to the current function: saves what it shadows
    /// (once per frame) and leaves it declared without a value, as bash
    /// does. Returns false outside a function.
    pub fn make_local(&mut self, name: &str) -> bool {
        let Some(frame) = self.frames.last_mut() else {
            return false;
        };
        if !frame.saved.iter().any(|(n, _)| &**n == name) {
            frame
                .saved
                .push((Arc::from(name), self.map.get(name).cloned()));
        }
        // A new local starts unset but keeps being a variable of this
        // scope: `local x; echo ${x-unset}` prints "unset".
        self.map.insert(
            Arc::from(name),
            Variable {
                value: None,
                attrs: Attrs::default(),
            },
        );
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locals_are_dynamically_scoped_and_restored() {
        let mut vars = Variables::default();
        vars.insert("x", Variable::scalar("global"));
        vars.push_frame();
        assert!(vars.make_local("x"));
        assert_eq!(vars.scalar("x"), None);
        vars.insert("x", Variable::scalar("local"));
        vars.push_frame();
        // A callee sees its caller's local.
        assert_eq!(vars.scalar("x"), Some("local"));
        vars.pop_frame();
        vars.pop_frame();
        assert_eq!(vars.scalar("x"), Some("global"));
    }

    #[test]
    fn a_local_that_shadowed_nothing_disappears() {
        let mut vars = Variables::default();
        vars.push_frame();
        vars.make_local("y");
        vars.insert("y", Variable::scalar("1"));
        vars.pop_frame();
        assert!(vars.get("y").is_none());
        assert!(!vars.make_local("z"));
    }

    #[test]
    fn clones_are_independent() {
        let mut vars = Variables::default();
        vars.insert("a", Variable::scalar("1"));
        let mut sub = vars.clone();
        sub.insert("a", Variable::scalar("2"));
        assert_eq!(vars.scalar("a"), Some("1"));
    }

    #[test]
    fn only_exported_scalars_reach_the_environment() {
        let mut vars = Variables::default();
        let mut exported = Variable::scalar("v");
        exported.attrs.exported = true;
        vars.insert("E", exported);
        vars.insert("L", Variable::scalar("x"));
        let mut array = Variable {
            value: Some(Value::indexed(["a".to_string()])),
            attrs: Attrs::default(),
        };
        array.attrs.exported = true;
        vars.insert("A", array);
        assert_eq!(vars.environment(), [("E".to_string(), "v".to_string())]);
    }
}
