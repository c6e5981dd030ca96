//! Parameter expansion: `$x`, `${x}`, and every `${…}` operator.
//!
//! A parameter resolves to nothing (unset), one string, or several
//! (`$@`, `${arr[@]}`); operators apply to each element; the result goes
//! back as [`Part`]s, with field breaks between the elements of `"$@"`.

use super::pattern::Pattern;
use super::Part;
use crate::error::Exec;
use crate::interp::Interp;
use crate::state::Value;
use brush_parser::word::{
    Parameter, ParameterExpr, ParameterTestType, ParameterTransformOp, SpecialParameter,
    SubstringMatchKind,
};

/// What a parameter refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Resolved {
    Unset,
    One(String),
    Many {
        values: Vec<String>,
        concatenate: bool,
    },
}

impl Resolved {
    /// Unset, or null (`""`, or an empty `$@`) for the `:` tests.
    fn is_null(&self) -> bool {
        match self {
            Resolved::Unset => true,
            Resolved::One(s) => s.is_empty(),
            Resolved::Many { values, .. } => {
                values.is_empty() || values.iter().all(String::is_empty)
            }
        }
    }

    fn is_unset(&self) -> bool {
        match self {
            Resolved::Unset => true,
            Resolved::Many { values, .. } => values.is_empty(),
            Resolved::One(_) => false,
        }
    }

    /// Applies `f` to each element.
    fn map(self, mut f: impl FnMut(String) -> String) -> Resolved {
        match self {
            Resolved::Unset => Resolved::Unset,
            Resolved::One(s) => Resolved::One(f(s)),
            Resolved::Many {
                values,
                concatenate,
            } => Resolved::Many {
                values: values.into_iter().map(f).collect(),
                concatenate,
            },
        }
    }
}

/// The parameter of an expression and its indirection flag.
fn parameter_of(expr: &ParameterExpr) -> Option<(&Parameter, bool)> {
    Some(match expr {
        ParameterExpr::Parameter {
            parameter,
            indirect,
        }
        | ParameterExpr::UseDefaultValues {
            parameter,
            indirect,
            ..
        }
        | ParameterExpr::AssignDefaultValues {
            parameter,
            indirect,
            ..
        }
        | ParameterExpr::IndicateErrorIfNullOrUnset {
            parameter,
            indirect,
            ..
        }
        | ParameterExpr::UseAlternativeValue {
            parameter,
            indirect,
            ..
        }
        | ParameterExpr::ParameterLength {
            parameter,
            indirect,
        }
        | ParameterExpr::RemoveSmallestSuffixPattern {
            parameter,
            indirect,
            ..
        }
        | ParameterExpr::RemoveLargestSuffixPattern {
            parameter,
            indirect,
            ..
        }
        | ParameterExpr::RemoveSmallestPrefixPattern {
            parameter,
            indirect,
            ..
        }
        | ParameterExpr::RemoveLargestPrefixPattern {
            parameter,
            indirect,
            ..
        }
        | ParameterExpr::Substring {
            parameter,
            indirect,
            ..
        } => (parameter, *indirect),
        ParameterExpr::Transform { parameter, .. }
        | ParameterExpr::UppercaseFirstChar { parameter, .. }
        | ParameterExpr::UppercasePattern { parameter, .. }
        | ParameterExpr::LowercaseFirstChar { parameter, .. }
        | ParameterExpr::LowercasePattern { parameter, .. }
        | ParameterExpr::ReplaceSubstring { parameter, .. } => (parameter, false),
        ParameterExpr::VariableNames { .. } | ParameterExpr::MemberKeys { .. } => return None,
    })
}

/// The name to report in errors about `parameter`.
fn display_name(parameter: &Parameter) -> String {
    match parameter {
        Parameter::Positional(n) => n.to_string(),
        Parameter::Special(s) => s.to_string(),
        Parameter::Named(name) => name.clone(),
        Parameter::NamedWithIndex { name, index } => format!("{name}[{index}]"),
        Parameter::NamedWithAllIndices { name, concatenate } => {
            format!("{name}[{}]", if *concatenate { '*' } else { '@' })
        }
    }
}

impl Interp {
    /// Expands one `${…}` into `parts`.
    pub(crate) async fn expand_parameter(
        &mut self,
        expr: &ParameterExpr,
        quoted: bool,
        parts: &mut Vec<Part>,
    ) -> Exec<()> {
        let resolved = match expr {
            ParameterExpr::VariableNames {
                prefix,
                concatenate,
            } => Resolved::Many {
                values: self.state.vars.names_with_prefix(prefix),
                concatenate: *concatenate,
            },
            ParameterExpr::MemberKeys {
                variable_name,
                concatenate,
            } => Resolved::Many {
                values: self
                    .value(variable_name)
                    .map(|v| v.keys())
                    .unwrap_or_default(),
                concatenate: *concatenate,
            },
            _ => {
                let (parameter, indirect) = parameter_of(expr).expect("has a parameter");
                let resolved = self.resolve(parameter, indirect).await?;
                match self.apply(expr, parameter, resolved, quoted, parts).await? {
                    Some(resolved) => resolved,
                    // The operator produced its parts itself.
                    None => return Ok(()),
                }
            }
        };
        self.emit(resolved, quoted, parts);
        Ok(())
    }

    /// Pushes the parts of a resolved value.
    fn emit(&mut self, resolved: Resolved, quoted: bool, parts: &mut Vec<Part>) {
        match resolved {
            Resolved::Unset => {}
            Resolved::One(s) => parts.push(Part::expanded(s, quoted)),
            Resolved::Many {
                values,
                concatenate,
            } => {
                if quoted && concatenate {
                    let ifs = self.ifs();
                    let separator = ifs.chars().next().map(String::from).unwrap_or_default();
                    parts.push(Part::quoted(values.join(&separator)));
                } else {
                    if quoted && values.is_empty() {
                        parts.push(Part::NoFields);
                    }
                    for (i, value) in values.into_iter().enumerate() {
                        if i > 0 {
                            parts.push(Part::Break);
                        }
                        parts.push(Part::expanded(value, quoted));
                    }
                }
            }
        }
    }

    /// Resolves a parameter (following `${!name}` indirection).
    async fn resolve(&mut self, parameter: &Parameter, indirect: bool) -> Exec<Resolved> {
        if indirect {
            // `${!ref}` of a nameref is the name it refers to.
            if let Parameter::Named(name) = parameter {
                if let Some(var) = self.state.vars.get(name).filter(|v| v.attrs.nameref) {
                    let target = var.value.as_ref().and_then(Value::as_scalar);
                    return Ok(target.map_or(Resolved::Unset, |t| Resolved::One(t.to_string())));
                }
            }
        }
        let resolved = self.resolve_direct(parameter).await?;
        if !indirect {
            return Ok(resolved);
        }
        let target = match resolved {
            Resolved::One(name) => name,
            Resolved::Many { values, .. } => values.join(" "),
            Resolved::Unset => {
                let message = format!("{}: invalid indirect expansion", display_name(parameter));
                return Err(self.fatal(1, message).await);
            }
        };
        match brush_parser::word::parse_parameter(
            &target,
            &crate::parse::options(self.state.options.extglob),
        ) {
            Ok(inner) => self.resolve_direct(&inner).await,
            Err(_) => {
                let message = format!("{target}: invalid variable name");
                Err(self.fatal(1, message).await)
            }
        }
    }

    async fn resolve_direct(&mut self, parameter: &Parameter) -> Exec<Resolved> {
        Ok(match parameter {
            Parameter::Positional(0) => Resolved::One(self.state.arg0.to_string()),
            Parameter::Positional(n) => match self.state.positional.get(*n as usize - 1) {
                Some(value) => Resolved::One(value.clone()),
                None => Resolved::Unset,
            },
            Parameter::Special(special) => match special {
                SpecialParameter::AllPositionalParameters { concatenate } => Resolved::Many {
                    values: self.state.positional.to_vec(),
                    concatenate: *concatenate,
                },
                SpecialParameter::PositionalParameterCount => {
                    Resolved::One(self.state.positional.len().to_string())
                }
                SpecialParameter::LastExitStatus => {
                    Resolved::One(self.state.last_status.to_string())
                }
                SpecialParameter::CurrentOptionFlags => Resolved::One(self.state.options.flags()),
                SpecialParameter::ProcessId => Resolved::One(self.env.shell_pid.to_string()),
                SpecialParameter::LastBackgroundProcessId => match self.state.last_background {
                    Some(pid) => Resolved::One(pid.to_string()),
                    None => Resolved::Unset,
                },
                SpecialParameter::ShellName => Resolved::One(self.state.arg0.to_string()),
            },
            Parameter::Named(name) => match self.scalar(name) {
                Some(value) => Resolved::One(value),
                None => Resolved::Unset,
            },
            Parameter::NamedWithIndex { name, index } => {
                let key = self.subscript(name, index).await?;
                if let (Some(Value::Indexed(map)), Ok(n)) = (self.value(name), key.parse::<i64>()) {
                    let end = map.keys().next_back().map_or(0, |last| last + 1);
                    if n < 0 && end + n < 0 {
                        // `${a[-5]}` past the start: bash complains and
                        // expands to nothing.
                        self.error_line(&format!("{name}: bad array subscript"))
                            .await;
                        return Ok(Resolved::Unset);
                    }
                }
                match self.element(name, &key) {
                    Some(value) => Resolved::One(value),
                    None => Resolved::Unset,
                }
            }
            Parameter::NamedWithAllIndices { name, concatenate } => match self.value(name) {
                Some(value) => Resolved::Many {
                    values: value.elements(),
                    concatenate: *concatenate,
                },
                None => Resolved::Many {
                    values: Vec::new(),
                    concatenate: *concatenate,
                },
            },
        })
    }

    /// The subscript of `name[index]`: the key of an associative array, or
    /// the evaluated index of an indexed one.
    pub(crate) async fn subscript(&mut self, name: &str, index: &str) -> Exec<String> {
        if self.is_assoc(name) {
            return self.expand_string(index).await;
        }
        let text = self.expand_arith_text(index).await?;
        match self.eval_arith_str(&text) {
            Ok(n) => Ok(n.to_string()),
            Err(message) => Err(self.fatal(1, message).await),
        }
    }

    /// True if the shell's locale (`LC_ALL`, else `LC_CTYPE`, else `LANG`;
    /// the C locale when none is set) encodes characters in UTF-8. In any
    /// other, the C locale above all, bash measures strings in bytes.
    fn utf8_locale(&mut self) -> bool {
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
            .into_iter()
            .find_map(|var| self.scalar(var).filter(|value| !value.is_empty()))
            .unwrap_or_default()
            .to_ascii_lowercase();
        locale.contains("utf-8") || locale.contains("utf8")
    }

    /// The offset or length of `${parameter:offset:length}`: an arithmetic
    /// expression whose errors bash reports after the parameter's name
    /// (`s: 1+: syntax error…`), ending the shell.
    async fn substring_bound(&mut self, parameter: &Parameter, expr: &str) -> Exec<i64> {
        let text = self.expand_arith_text(expr).await?;
        match self.eval_arith_str(&text) {
            Ok(value) => Ok(value),
            Err(message) => {
                let message = format!("{}: {message}", display_name(parameter));
                Err(self.fatal(1, message).await)
            }
        }
    }

    /// Applies the operator of `expr` to `resolved`. Returns `None` when
    /// the operator pushed parts itself (defaults keep their own quoting).
    async fn apply(
        &mut self,
        expr: &ParameterExpr,
        parameter: &Parameter,
        resolved: Resolved,
        quoted: bool,
        parts: &mut Vec<Part>,
    ) -> Exec<Option<Resolved>> {
        let test = |test_type: &ParameterTestType, r: &Resolved| match test_type {
            ParameterTestType::UnsetOrNull => r.is_null(),
            ParameterTestType::Unset => r.is_unset(),
        };
        Ok(Some(match expr {
            ParameterExpr::Parameter { .. } => self.check_unset(parameter, resolved).await?,
            ParameterExpr::UseDefaultValues {
                test_type,
                default_value,
                ..
            } => {
                if test(test_type, &resolved) {
                    let word = default_value.as_deref().unwrap_or("");
                    let mut default = self.expand_parts(word, quoted).await?;
                    if quoted && default.is_empty() {
                        default.push(Part::quoted(""));
                    }
                    parts.extend(unquoted_text_splits(default, quoted));
                    return Ok(None);
                }
                resolved
            }
            ParameterExpr::AssignDefaultValues {
                test_type,
                default_value,
                ..
            } => {
                if test(test_type, &resolved) {
                    let value = self
                        .expand_string(default_value.as_deref().unwrap_or(""))
                        .await?;
                    self.assign_parameter(parameter, value.clone()).await?;
                    Resolved::One(value)
                } else {
                    resolved
                }
            }
            ParameterExpr::IndicateErrorIfNullOrUnset {
                test_type,
                error_message,
                ..
            } => {
                if test(test_type, &resolved) {
                    let message = match error_message.as_deref().filter(|w| !w.is_empty()) {
                        Some(word) => self.expand_string(word).await?,
                        // `${u?}` says "not set", `${u:?}` "null or not set".
                        None if matches!(test_type, ParameterTestType::Unset) => {
                            "parameter not set".to_string()
                        }
                        None => "parameter null or not set".to_string(),
                    };
                    let message = format!("{}: {message}", display_name(parameter));
                    return Err(self.fatal(127, message).await);
                }
                resolved
            }
            ParameterExpr::UseAlternativeValue {
                test_type,
                alternative_value,
                ..
            } => {
                if !test(test_type, &resolved) {
                    let word = alternative_value.as_deref().unwrap_or("");
                    let mut alternative = self.expand_parts(word, quoted).await?;
                    if quoted && alternative.is_empty() {
                        alternative.push(Part::quoted(""));
                    }
                    parts.extend(unquoted_text_splits(alternative, quoted));
                }
                return Ok(None);
            }
            ParameterExpr::ParameterLength { .. } => {
                let resolved = self.check_unset(parameter, resolved).await?;
                Resolved::One(match resolved {
                    Resolved::Unset => "0".to_string(),
                    Resolved::One(s) if self.utf8_locale() => s.chars().count().to_string(),
                    Resolved::One(s) => s.len().to_string(),
                    Resolved::Many { values, .. } => values.len().to_string(),
                })
            }
            ParameterExpr::RemoveSmallestSuffixPattern { pattern, .. }
            | ParameterExpr::RemoveLargestSuffixPattern { pattern, .. }
            | ParameterExpr::RemoveSmallestPrefixPattern { pattern, .. }
            | ParameterExpr::RemoveLargestPrefixPattern { pattern, .. } => {
                let resolved = self.check_unset(parameter, resolved).await?;
                let pattern = self
                    .expand_pattern(pattern.as_deref().unwrap_or(""))
                    .await?;
                let matcher = Pattern::new(&pattern, self.state.options.extglob, false);
                resolved.map(|value| match expr {
                    ParameterExpr::RemoveSmallestPrefixPattern { .. } => {
                        let lens = matcher.matching_prefixes(&value);
                        lens.first()
                            .map_or(value.clone(), |&n| value[n..].to_string())
                    }
                    ParameterExpr::RemoveLargestPrefixPattern { .. } => {
                        let lens = matcher.matching_prefixes(&value);
                        lens.last()
                            .map_or(value.clone(), |&n| value[n..].to_string())
                    }
                    ParameterExpr::RemoveSmallestSuffixPattern { .. } => {
                        let starts = matcher.matching_suffixes(&value);
                        starts
                            .last()
                            .map_or(value.clone(), |&n| value[..n].to_string())
                    }
                    _ => {
                        let starts = matcher.matching_suffixes(&value);
                        starts
                            .first()
                            .map_or(value.clone(), |&n| value[..n].to_string())
                    }
                })
            }
            ParameterExpr::Substring { offset, length, .. } => {
                let resolved = self.check_unset(parameter, resolved).await?;
                let offset = self.substring_bound(parameter, &offset.value).await?;
                let length = match length {
                    Some(length) => Some(self.substring_bound(parameter, &length.value).await?),
                    None => None,
                };
                match resolved {
                    Resolved::Unset => Resolved::Unset,
                    Resolved::One(s) => {
                        let chars: Vec<char> = s.chars().collect();
                        match slice(chars.len(), offset, length) {
                            Some((start, end)) => Resolved::One(chars[start..end].iter().collect()),
                            None => {
                                if length.is_some_and(|l| l < 0)
                                    && start_of(chars.len(), offset).is_some()
                                {
                                    let message = format!(
                                        "{}: substring expression < 0",
                                        length.unwrap_or(0)
                                    );
                                    return Err(self.fatal(1, message).await);
                                }
                                Resolved::One(String::new())
                            }
                        }
                    }
                    Resolved::Many {
                        values,
                        concatenate,
                    } => {
                        // `${@:0}` starts with `$0`, `${@:1}` with `$1`.
                        let positional = matches!(
                            parameter,
                            Parameter::Special(SpecialParameter::AllPositionalParameters { .. })
                        );
                        let all: Vec<String> = if positional {
                            std::iter::once(self.state.arg0.to_string())
                                .chain(values)
                                .collect()
                        } else {
                            values
                        };
                        let values = match slice(all.len(), offset, length) {
                            Some((start, end)) => all[start..end].to_vec(),
                            None => Vec::new(),
                        };
                        Resolved::Many {
                            values,
                            concatenate,
                        }
                    }
                }
            }
            ParameterExpr::Transform { op, .. } => {
                let resolved = self.check_unset(parameter, resolved).await?;
                self.transform(parameter, op, resolved)
            }
            ParameterExpr::UppercaseFirstChar { pattern, .. }
            | ParameterExpr::UppercasePattern { pattern, .. }
            | ParameterExpr::LowercaseFirstChar { pattern, .. }
            | ParameterExpr::LowercasePattern { pattern, .. } => {
                let resolved = self.check_unset(parameter, resolved).await?;
                let pattern = match pattern {
                    Some(p) if !p.is_empty() => Some(Pattern::new(
                        &self.expand_pattern(p).await?,
                        self.state.options.extglob,
                        false,
                    )),
                    _ => None,
                };
                let upper = matches!(
                    expr,
                    ParameterExpr::UppercaseFirstChar { .. }
                        | ParameterExpr::UppercasePattern { .. }
                );
                let all = matches!(
                    expr,
                    ParameterExpr::UppercasePattern { .. } | ParameterExpr::LowercasePattern { .. }
                );
                resolved.map(|value| change_case(&value, upper, all, pattern.as_ref()))
            }
            ParameterExpr::ReplaceSubstring {
                pattern,
                replacement,
                match_kind,
                ..
            } => {
                let resolved = self.check_unset(parameter, resolved).await?;
                let pattern = self.expand_pattern(pattern).await?;
                let template = match replacement {
                    Some(r) => self.expand_parts(r, false).await?,
                    None => Vec::new(),
                };
                let matcher = Pattern::new(
                    &pattern,
                    self.state.options.extglob,
                    self.state.options.nocasematch,
                );
                resolved.map(|value| replace(&value, &matcher, &template, match_kind))
            }
            ParameterExpr::VariableNames { .. } | ParameterExpr::MemberKeys { .. } => {
                unreachable!("handled by the caller")
            }
        }))
    }

    /// Under `set -u`, expanding an unset parameter is an error.
    async fn check_unset(&mut self, parameter: &Parameter, resolved: Resolved) -> Exec<Resolved> {
        if self.state.options.nounset && resolved == Resolved::Unset {
            let name = display_name(parameter);
            // bash names positionals `$1` in this message, and exits 127.
            let name = match parameter {
                Parameter::Positional(_) => format!("${name}"),
                _ => name,
            };
            let message = format!("{name}: unbound variable");
            return Err(self.fatal(127, message).await);
        }
        Ok(resolved)
    }

    /// `${x:=value}` assigns to `x` (positional and special parameters
    /// cannot be assigned this way).
    async fn assign_parameter(&mut self, parameter: &Parameter, value: String) -> Exec<()> {
        let result = match parameter {
            Parameter::Named(name) => self.set_scalar(name, value),
            Parameter::NamedWithIndex { name, index } => {
                let key = self.subscript(name, index).await?;
                self.set_element(name, &key, value, false)
            }
            other => {
                let message = format!("${}: cannot assign in this way", display_name(other));
                return Err(self.fatal(1, message).await);
            }
        };
        if let Err(err) = result {
            return Err(self.fatal(1, err.message()).await);
        }
        Ok(())
    }

    /// `${x@Q}`, `${x@E}`, `${x@U}`…
    fn transform(
        &mut self,
        parameter: &Parameter,
        op: &ParameterTransformOp,
        resolved: Resolved,
    ) -> Resolved {
        match op {
            ParameterTransformOp::ToUpperCase => resolved.map(|v| v.to_uppercase()),
            ParameterTransformOp::ToLowerCase => resolved.map(|v| v.to_lowercase()),
            ParameterTransformOp::CapitalizeInitial => {
                resolved.map(|v| change_case(&v, true, false, None))
            }
            ParameterTransformOp::Quoted => resolved.map(|v| quote(&v)),
            ParameterTransformOp::ExpandEscapeSequences => {
                resolved.map(|v| super::text::ansi_c(&v))
            }
            ParameterTransformOp::PromptExpand => resolved,
            ParameterTransformOp::PossiblyQuoteWithArraysExpanded { .. } => {
                resolved.map(|v| quote(&v))
            }
            ParameterTransformOp::ToAssignmentLogic => {
                let name = display_name(parameter);
                resolved.map(|v| format!("{name}={}", quote(&v)))
            }
            ParameterTransformOp::ToAttributeFlags => {
                let name = match parameter {
                    Parameter::Named(n)
                    | Parameter::NamedWithIndex { name: n, .. }
                    | Parameter::NamedWithAllIndices { name: n, .. } => n.clone(),
                    _ => return Resolved::One(String::new()),
                };
                let attrs = self.attrs(&name);
                let mut flags = String::new();
                match self.value(&name) {
                    Some(Value::Indexed(_)) => flags.push('a'),
                    Some(Value::Assoc(_)) => flags.push('A'),
                    _ => {}
                }
                for (on, letter) in [
                    (attrs.integer, 'i'),
                    (attrs.lowercase, 'l'),
                    (attrs.nameref, 'n'),
                    (attrs.readonly, 'r'),
                    (attrs.uppercase, 'u'),
                    (attrs.exported, 'x'),
                ] {
                    if on {
                        flags.push(letter);
                    }
                }
                Resolved::One(flags)
            }
        }
    }
}

/// bash's `${x@Q}` / `printf %q`-style quoting: `'…'` with embedded quotes
/// as `'\''`.
pub(crate) fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', "'\\''"))
}

/// The word of an unquoted `${x:-word}` or `${x:+word}` is part of an
/// expansion: its unquoted text is split like the rest of the result.
fn unquoted_text_splits(parts: Vec<Part>, quoted: bool) -> impl Iterator<Item = Part> {
    parts.into_iter().map(move |part| match part {
        Part::Text {
            text,
            quoted: false,
            ..
        } if !quoted => Part::Text {
            text,
            quoted: false,
            split: true,
        },
        other => other,
    })
}

/// The start index for `offset` into `len` items (negative from the end);
/// `None` if out of range.
fn start_of(len: usize, offset: i64) -> Option<usize> {
    let start = if offset < 0 {
        len as i64 + offset
    } else {
        offset
    };
    (0..=len as i64).contains(&start).then_some(start as usize)
}

/// The `[start, end)` range of `${x:offset:length}`.
fn slice(len: usize, offset: i64, length: Option<i64>) -> Option<(usize, usize)> {
    let start = start_of(len, offset)?;
    let end = match length {
        None => len,
        Some(l) if l < 0 => {
            let end = len as i64 + l;
            if end < start as i64 {
                return None;
            }
            end as usize
        }
        Some(l) => (start + l as usize).min(len),
    };
    Some((start, end))
}

/// `${x^}`, `${x^^}`, `${x,}`, `${x,,}`, optionally only for characters
/// matching `pattern`.
fn change_case(value: &str, upper: bool, all: bool, pattern: Option<&Pattern>) -> String {
    let mut out = String::with_capacity(value.len());
    for (i, c) in value.chars().enumerate() {
        let eligible = (all || i == 0) && pattern.is_none_or(|p| p.matches(&c.to_string()));
        if eligible {
            if upper {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `${x/pattern/replacement}` and its `//`, `/#`, `/%` forms. In the
/// replacement, an unquoted `&` stands for the matched text (bash 5.2's
/// `patsub_replacement`).
fn replace(value: &str, matcher: &Pattern, template: &[Part], kind: &SubstringMatchKind) -> String {
    let render = |matched: &str| {
        let mut out = String::new();
        for part in template {
            if let Part::Text { text, quoted, .. } = part {
                if *quoted {
                    out.push_str(text);
                } else {
                    out.push_str(&text.replace('&', matched));
                }
            }
        }
        out
    };
    match kind {
        SubstringMatchKind::Prefix => match matcher.matching_prefixes(value).last() {
            Some(&n) => format!("{}{}", render(&value[..n]), &value[n..]),
            None => value.to_string(),
        },
        SubstringMatchKind::Suffix => match matcher.matching_suffixes(value).first() {
            Some(&n) => format!("{}{}", &value[..n], render(&value[n..])),
            None => value.to_string(),
        },
        SubstringMatchKind::FirstOccurrence | SubstringMatchKind::Anywhere => {
            let mut out = String::new();
            let mut from = 0;
            while let Some((start, end)) = matcher.find(value, from) {
                out.push_str(&value[from..start]);
                out.push_str(&render(&value[start..end]));
                if end == start {
                    // An empty match: keep one character and move on.
                    match value[end..].chars().next() {
                        Some(c) => {
                            out.push(c);
                            from = end + c.len_utf8();
                        }
                        None => {
                            from = end;
                            break;
                        }
                    }
                } else {
                    from = end;
                }
                if matches!(kind, SubstringMatchKind::FirstOccurrence) || from >= value.len() {
                    break;
                }
            }
            out.push_str(&value[from.min(value.len())..]);
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_like_bash() {
        assert_eq!(slice(5, 1, Some(2)), Some((1, 3)));
        assert_eq!(slice(5, -2, None), Some((3, 5)));
        assert_eq!(slice(5, 1, Some(-1)), Some((1, 4)));
        assert_eq!(slice(5, 9, None), None);
    }

    #[test]
    fn replaces_with_ampersand() {
        let m = Pattern::new("b", false, false);
        let template = vec![Part::Text {
            text: "[&]".into(),
            quoted: false,
            split: false,
        }];
        assert_eq!(
            replace("abcb", &m, &template, &SubstringMatchKind::Anywhere),
            "a[b]c[b]"
        );
        assert_eq!(
            replace("abcb", &m, &template, &SubstringMatchKind::FirstOccurrence),
            "a[b]cb"
        );
        let quoted = vec![Part::Text {
            text: "&".into(),
            quoted: true,
            split: false,
        }];
        assert_eq!(
            replace("abc", &m, &quoted, &SubstringMatchKind::Anywhere),
            "a&c"
        );
    }

    #[test]
    fn changes_case() {
        assert_eq!(change_case("hello world", true, false, None), "Hello world");
        assert_eq!(change_case("hello", true, true, None), "HELLO");
        let vowels = Pattern::new("[aeiou]", false, false);
        assert_eq!(change_case("hello", true, true, Some(&vowels)), "hEllO");
    }

    #[test]
    fn quotes_like_at_q() {
        assert_eq!(quote("it's"), "'it'\\''s'");
    }
}
