//! What a call costs: list prices per model, and [`Usage`] turned into
//! dollars.
//!
//! A [`PriceTable`] maps model ids to a [`Price`] (USD per million input,
//! output, cache-read and cache-write tokens). Each standard provider
//! carries the table of its own models ([`PriceTable::anthropic`],
//! [`PriceTable::openai`]); any provider's table can be changed in its
//! configuration, for negotiated prices or models not listed here.
//! An unknown model has no price: [`PriceTable::cost`] answers `None`
//! rather than guess.
//!
//! A table entry names a model id; it also prices that id's dated
//! snapshots and `-latest` alias (`claude-sonnet-4-5-20250929`,
//! `gpt-4.1-2025-04-14`). Nothing looser: a plain prefix would price
//! `claude-opus-4-5` as `claude-opus-4` (three times the price) and
//! `gpt-5-pro` as `gpt-5`.

use std::collections::BTreeMap;
use std::ops::AddAssign;

use crate::message::Usage;

/// List prices of one model, in USD per million tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Price {
    /// Prompt tokens not read from or written to a cache.
    pub input: f64,
    /// Generated tokens, reasoning included.
    pub output: f64,
    /// Prompt tokens read from the provider's cache.
    pub cache_read: f64,
    /// Prompt tokens written to the provider's cache.
    pub cache_write: f64,
}

impl Price {
    /// What `usage` costs at these prices.
    pub fn cost(&self, usage: &Usage) -> Cost {
        // `input_tokens` counts cached prompt tokens too (see `Usage`);
        // they are billed at their own rates, so they come off here.
        let uncached = usage
            .input_tokens
            .saturating_sub(usage.cache_read_tokens)
            .saturating_sub(usage.cache_write_tokens);
        let usd = |tokens: u64, per_million: f64| tokens as f64 * per_million / 1e6;
        Cost {
            input: usd(uncached, self.input),
            output: usd(usage.output_tokens, self.output),
            cache_read: usd(usage.cache_read_tokens, self.cache_read),
            cache_write: usd(usage.cache_write_tokens, self.cache_write),
        }
    }
}

/// What a call (or a run of calls, added up) cost, in USD.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Cost {
    /// For uncached prompt tokens.
    pub input: f64,
    /// For generated tokens.
    pub output: f64,
    /// For prompt tokens read from the cache.
    pub cache_read: f64,
    /// For prompt tokens written to the cache.
    pub cache_write: f64,
}

impl Cost {
    /// The whole amount.
    pub fn total(&self) -> f64 {
        self.input + self.output + self.cache_read + self.cache_write
    }
}

impl AddAssign for Cost {
    fn add_assign(&mut self, other: Cost) {
        self.input += other.input;
        self.output += other.output;
        self.cache_read += other.cache_read;
        self.cache_write += other.cache_write;
    }
}

/// Prices by model id; see the module docs for how ids match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PriceTable {
    by_model: BTreeMap<String, Price>,
}

/// A price with OpenAI's shape: cache writes are billed as plain input.
const fn openai(input: f64, cache_read: f64, output: f64) -> Price {
    Price {
        input,
        output,
        cache_read,
        cache_write: input,
    }
}

/// A price with Anthropic's shape: cache writes (5-minute) at 1.25 times
/// the input price, reads at a tenth, both listed.
const fn anthropic(input: f64, cache_write: f64, cache_read: f64, output: f64) -> Price {
    Price {
        input,
        output,
        cache_read,
        cache_write,
    }
}

// Public list prices, USD per million tokens, as published on
// docs.anthropic.com (pricing) and openai.com/api/pricing; collected
// 2026-11-22. Standard tier only: no batch, flex or priority rates, and
// no long-context surcharge (Sonnet 4 and 4.5 past 200K prompt tokens).
// Cache writes are the 5-minute rate, the one the harness's requests use.
const ANTHROPIC: &[(&str, Price)] = &[
    ("claude-opus-4-6", anthropic(5.0, 6.25, 0.50, 25.0)),
    ("claude-opus-4-5", anthropic(5.0, 6.25, 0.50, 25.0)),
    ("claude-opus-4-1", anthropic(15.0, 18.75, 1.50, 75.0)),
    ("claude-opus-4-0", anthropic(15.0, 18.75, 1.50, 75.0)),
    ("claude-opus-4", anthropic(15.0, 18.75, 1.50, 75.0)),
    ("claude-sonnet-4-6", anthropic(3.0, 3.75, 0.30, 15.0)),
    ("claude-sonnet-4-5", anthropic(3.0, 3.75, 0.30, 15.0)),
    ("claude-sonnet-4-0", anthropic(3.0, 3.75, 0.30, 15.0)),
    ("claude-sonnet-4", anthropic(3.0, 3.75, 0.30, 15.0)),
    ("claude-haiku-4-5", anthropic(1.0, 1.25, 0.10, 5.0)),
    ("claude-3-7-sonnet", anthropic(3.0, 3.75, 0.30, 15.0)),
    ("claude-3-5-haiku", anthropic(0.80, 1.0, 0.08, 4.0)),
    ("claude-3-haiku", anthropic(0.25, 0.30, 0.03, 1.25)),
];

// Columns: input, cached input, output. Models without a cached-input
// price bill cached tokens as input.
const OPENAI: &[(&str, Price)] = &[
    ("gpt-5.1", openai(1.25, 0.125, 10.0)),
    ("gpt-5.1-codex", openai(1.25, 0.125, 10.0)),
    ("gpt-5", openai(1.25, 0.125, 10.0)),
    ("gpt-5-codex", openai(1.25, 0.125, 10.0)),
    ("gpt-5-chat-latest", openai(1.25, 0.125, 10.0)),
    ("gpt-5-mini", openai(0.25, 0.025, 2.0)),
    ("gpt-5-nano", openai(0.05, 0.005, 0.40)),
    ("gpt-5-pro", openai(15.0, 15.0, 120.0)),
    ("gpt-4.1", openai(2.0, 0.50, 8.0)),
    ("gpt-4.1-mini", openai(0.40, 0.10, 1.60)),
    ("gpt-4.1-nano", openai(0.10, 0.025, 0.40)),
    ("gpt-4o", openai(2.50, 1.25, 10.0)),
    // The first gpt-4o snapshot kept its launch price.
    ("gpt-4o-2024-05-13", openai(5.0, 5.0, 15.0)),
    ("gpt-4o-mini", openai(0.15, 0.075, 0.60)),
    ("o1", openai(15.0, 7.50, 60.0)),
    ("o1-mini", openai(1.10, 0.55, 4.40)),
    ("o1-pro", openai(150.0, 150.0, 600.0)),
    ("o3", openai(2.0, 0.50, 8.0)),
    ("o3-mini", openai(1.10, 0.55, 4.40)),
    ("o3-pro", openai(20.0, 20.0, 80.0)),
    ("o4-mini", openai(1.10, 0.275, 4.40)),
];

impl PriceTable {
    /// A table pricing nothing.
    pub fn empty() -> PriceTable {
        PriceTable::default()
    }

    /// Anthropic's Claude models (4.x, and the 3.x still served).
    pub fn anthropic() -> PriceTable {
        PriceTable::from_list(ANTHROPIC)
    }

    /// OpenAI's GPT-5, GPT-4.1, GPT-4o and o-series models.
    pub fn openai() -> PriceTable {
        PriceTable::from_list(OPENAI)
    }

    fn from_list(list: &[(&str, Price)]) -> PriceTable {
        PriceTable {
            by_model: list.iter().map(|(m, p)| ((*m).to_owned(), *p)).collect(),
        }
    }

    /// Prices `model` (and its snapshots) at `price`, replacing any
    /// price it had.
    pub fn set(&mut self, model: impl Into<String>, price: Price) -> &mut Self {
        self.by_model.insert(model.into(), price);
        self
    }

    /// Forgets `model`'s price; its calls then have no cost.
    pub fn remove(&mut self, model: &str) -> &mut Self {
        self.by_model.remove(model);
        self
    }

    /// The price of `model`: its own entry, else the entry of the model
    /// it is a dated snapshot or `-latest` alias of.
    pub fn price(&self, model: &str) -> Option<Price> {
        if let Some(price) = self.by_model.get(model) {
            return Some(*price);
        }
        self.by_model.get(without_snapshot(model)?).copied()
    }

    /// What `usage` of `model` cost; `None` for a model without a price.
    pub fn cost(&self, model: &str, usage: &Usage) -> Option<Cost> {
        Some(self.price(model)?.cost(usage))
    }
}

/// `model` without its snapshot suffix (`-20250929`, `-2025-04-14`,
/// `-latest`); `None` when it has none.
fn without_snapshot(model: &str) -> Option<&str> {
    if let Some(base) = model.strip_suffix("-latest") {
        return Some(base);
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (rest, day) = model.rsplit_once('-')?;
    if day.len() == 8 && digits(day) {
        return Some(rest);
    }
    // `-YYYY-MM-DD`: dash-separated groups of 4, 2 and 2 digits.
    let (rest, month) = rest.rsplit_once('-')?;
    let (base, year) = rest.rsplit_once('-')?;
    let dated = [(year, 4), (month, 2), (day, 2)]
        .iter()
        .all(|(part, len)| part.len() == *len && digits(part));
    dated.then_some(base)
}

/// What `usage` of `model` (a bare model id, no provider) cost at the
/// standard Anthropic and OpenAI list prices; `None` for other models.
pub fn cost(model: &str, usage: &Usage) -> Option<Cost> {
    PriceTable::anthropic()
        .cost(model, usage)
        .or_else(|| PriceTable::openai().cost(model, usage))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage(input: u64, output: u64, read: u64, write: u64) -> Usage {
        Usage {
            input_tokens: input,
            output_tokens: output,
            cache_read_tokens: read,
            cache_write_tokens: write,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn usage_becomes_dollars_with_cached_tokens_at_their_rates() {
        // 1M prompt tokens of which 600K read and 100K written to the
        // cache, 200K out, on Sonnet 4.5: 0.3M×3 + 0.6M×0.30 + 0.1M×3.75 +
        // 0.2M×15.
        let cost = cost(
            "claude-sonnet-4-5-20250929",
            &usage(1_000_000, 200_000, 600_000, 100_000),
        )
        .unwrap();
        assert!(close(cost.input, 0.9), "{cost:?}");
        assert!(close(cost.cache_read, 0.18), "{cost:?}");
        assert!(close(cost.cache_write, 0.375), "{cost:?}");
        assert!(close(cost.output, 3.0), "{cost:?}");
        assert!(close(cost.total(), 4.455), "{cost:?}");
        let gpt = super::cost("gpt-4.1-mini", &usage(10_000, 1_000, 4_000, 0)).unwrap();
        assert!(close(gpt.total(), 0.0024 + 0.0004 + 0.0016), "{gpt:?}");
    }

    #[test]
    fn ids_match_their_snapshots_but_not_their_siblings() {
        let anthropic = PriceTable::anthropic();
        let opus = |m: &str| anthropic.price(m).map(|p| p.input);
        assert_eq!(opus("claude-opus-4-20250514"), Some(15.0));
        assert_eq!(opus("claude-opus-4-5-20251101"), Some(5.0));
        assert_eq!(opus("claude-opus-4-5"), Some(5.0));
        assert_eq!(opus("claude-3-7-sonnet-latest"), Some(3.0));
        assert_eq!(opus("claude-opus-4-9"), None);
        assert_eq!(opus("claude-opus-4-5-preview"), None);
        let openai = PriceTable::openai();
        let gpt = |m: &str| openai.price(m).map(|p| p.output);
        assert_eq!(gpt("gpt-5-2025-08-07"), Some(10.0));
        assert_eq!(gpt("gpt-5-pro-2025-10-06"), Some(120.0));
        assert_eq!(gpt("gpt-4o-2024-05-13"), Some(15.0));
        assert_eq!(gpt("gpt-4o-2024-08-06"), Some(10.0));
        assert_eq!(gpt("gpt-5.9"), None);
        assert_eq!(gpt("gpt-4o-2024-8-06"), None);
        assert_eq!(gpt("o3-deep-research"), None);
    }

    #[test]
    fn unknown_models_have_no_cost_and_tables_can_be_changed() {
        assert_eq!(cost("llama-4-scout", &usage(10, 10, 0, 0)), None);
        let mut table = PriceTable::openai();
        table.set(
            "gpt-4.1",
            Price {
                input: 1.0,
                output: 4.0,
                cache_read: 0.25,
                cache_write: 1.0,
            },
        );
        let cost = table.cost("gpt-4.1-2025-04-14", &usage(1_000_000, 0, 0, 0));
        assert_eq!(cost.map(|c| c.input), Some(1.0));
        table.remove("gpt-4.1");
        assert_eq!(table.price("gpt-4.1"), None);
        assert_eq!(PriceTable::empty().price("gpt-5"), None);
    }

    #[test]
    fn costs_add_up() {
        let price = PriceTable::openai().price("gpt-5").unwrap();
        let mut total = Cost::default();
        total += price.cost(&usage(1_000_000, 0, 0, 0));
        total += price.cost(&usage(0, 1_000_000, 0, 0));
        assert!(close(total.total(), 11.25), "{total:?}");
    }
}
