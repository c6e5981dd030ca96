//! How hard the model thinks before it answers.
//!
//! One [`ThinkingLevel`] names the effort independent of the provider; each
//! provider turns it into its own knob: Anthropic's extended thinking takes a
//! token budget ([`ThinkingLevel::budget_tokens`]), OpenAI's reasoning
//! models an effort word ([`ThinkingLevel::effort`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The thinking effort asked of a model, from none to the most.
///
/// Written as lowercase words (`off`, `minimal`, `low`, `medium`, `high`)
/// in role files, options and JSON; parsing ignores case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ThinkingLevel {
    /// No thinking: the model answers at once.
    #[default]
    Off,
    /// The least thinking a provider offers.
    Minimal,
    /// A little thinking.
    Low,
    /// Moderate thinking.
    Medium,
    /// The most thinking.
    High,
}

impl ThinkingLevel {
    /// Every level, from least to most thinking.
    pub const ALL: [ThinkingLevel; 5] = [
        ThinkingLevel::Off,
        ThinkingLevel::Minimal,
        ThinkingLevel::Low,
        ThinkingLevel::Medium,
        ThinkingLevel::High,
    ];

    /// The level's name as written in files and options.
    pub fn as_str(self) -> &'static str {
        match self {
            ThinkingLevel::Off => "off",
            ThinkingLevel::Minimal => "minimal",
            ThinkingLevel::Low => "low",
            ThinkingLevel::Medium => "medium",
            ThinkingLevel::High => "high",
        }
    }

    /// The thinking budget in tokens for providers that take one (Anthropic);
    /// `None` when thinking is off.
    ///
    /// 1024 is the smallest budget Anthropic accepts, so `Minimal` is the
    /// least thinking that is still thinking there.
    pub fn budget_tokens(self) -> Option<u32> {
        match self {
            ThinkingLevel::Off => None,
            ThinkingLevel::Minimal => Some(1024),
            ThinkingLevel::Low => Some(4096),
            ThinkingLevel::Medium => Some(10_000),
            ThinkingLevel::High => Some(32_000),
        }
    }

    /// The reasoning effort word for providers that take one (OpenAI's
    /// `reasoning_effort` / `reasoning.effort`); `None` when thinking is off,
    /// so the request leaves the field out and the model's default applies.
    pub fn effort(self) -> Option<&'static str> {
        match self {
            ThinkingLevel::Off => None,
            level => Some(level.as_str()),
        }
    }
}

impl fmt::Display for ThinkingLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word that names no thinking level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseThinkingLevelError {
    given: String,
}

impl fmt::Display for ParseThinkingLevelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let levels: Vec<&str> = ThinkingLevel::ALL.iter().map(|l| l.as_str()).collect();
        write!(
            f,
            "unknown thinking level '{}': use one of {}",
            self.given,
            levels.join(", ")
        )
    }
}

impl std::error::Error for ParseThinkingLevelError {}

impl FromStr for ThinkingLevel {
    type Err = ParseThinkingLevelError;

    fn from_str(s: &str) -> Result<ThinkingLevel, ParseThinkingLevelError> {
        let word = s.trim();
        ThinkingLevel::ALL
            .into_iter()
            .find(|level| level.as_str().eq_ignore_ascii_case(word))
            .ok_or_else(|| ParseThinkingLevelError {
                given: s.to_owned(),
            })
    }
}

impl Serialize for ThinkingLevel {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

// By hand rather than derived, so JSON and options accept any case and a
// wrong word gets the same message (listing the levels) as FromStr.
impl<'de> Deserialize<'de> for ThinkingLevel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ThinkingLevel, D::Error> {
        let word = String::deserialize(deserializer)?;
        word.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for level in ThinkingLevel::ALL {
            assert_eq!(level.to_string().parse::<ThinkingLevel>(), Ok(level));
        }
    }

    #[test]
    fn budgets_grow_with_the_level() {
        let budgets: Vec<u32> = ThinkingLevel::ALL
            .iter()
            .filter_map(|l| l.budget_tokens())
            .collect();
        assert_eq!(budgets, [1024, 4096, 10_000, 32_000]);
        assert!(budgets.windows(2).all(|w| w[0] < w[1]));
    }
}
