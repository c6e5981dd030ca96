//! Named providers and `provider/model-id` strings.
//!
//! A model is named `provider/model-id` (`anthropic/claude-sonnet-4-5`,
//! `openai/gpt-5`, `openrouter/meta-llama/llama-4`: the provider is what
//! comes before the first `/`). [`Providers::standard`] knows Anthropic,
//! OpenAI, OpenRouter and a local Ollama; [`Providers::configure`] changes
//! one (another base URL, headers, a key) or adds any OpenAI-compatible
//! server (vLLM, LM Studio, a gateway). Keys are given, or read from the
//! provider's environment variable when a call is made.
//!
//! The wire format is the provider's [`ProviderConfig::format`]: `openai`
//! speaks Chat Completions unless set to [`Format::OpenAiResponses`]
//! (which returns reasoning summaries). Each provider also carries the
//! [`PriceTable`] of its models, so [`Providers::cost`] prices a call's
//! usage; `anthropic` and `openai` start with the list prices, others
//! with none (their calls have no cost until prices are set).

use std::collections::BTreeMap;
use std::fmt;

use super::http::{Format, HttpProvider};
use super::pricing::{Cost, Price, PriceTable};
use crate::message::Usage;

/// How to reach one provider, and what its models cost.
#[derive(Clone, PartialEq)]
pub struct ProviderConfig {
    /// Its wire format.
    pub format: Format,
    /// Base URL (`https://api.openai.com/v1`, `http://127.0.0.1:11434/v1`).
    pub base_url: String,
    /// The key, if given directly.
    pub api_key: Option<String>,
    /// Environment variable holding the key when none is given.
    pub api_key_env: Option<String>,
    /// Whether the provider needs a key at all (a local server may not).
    pub needs_key: bool,
    /// Headers added to every request.
    pub headers: Vec<(String, String)>,
    /// Prices of its models, by model id (without the provider name).
    pub pricing: PriceTable,
}

impl ProviderConfig {
    /// An OpenAI-compatible server at `base_url` needing no key.
    pub fn openai_compatible(base_url: impl Into<String>) -> ProviderConfig {
        ProviderConfig {
            format: Format::OpenAiChat,
            base_url: base_url.into(),
            api_key: None,
            api_key_env: None,
            needs_key: false,
            headers: Vec::new(),
            pricing: PriceTable::empty(),
        }
    }

    fn hosted(format: Format, base_url: &str, env: &str, pricing: PriceTable) -> ProviderConfig {
        ProviderConfig {
            format,
            base_url: base_url.to_owned(),
            api_key: None,
            api_key_env: Some(env.to_owned()),
            needs_key: true,
            headers: Vec::new(),
            pricing,
        }
    }
}

// Hand-written so a key never reaches a log line.
impl fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("format", &self.format)
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "** redacted **"))
            .field("api_key_env", &self.api_key_env)
            .field("needs_key", &self.needs_key)
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("pricing", &self.pricing)
            .finish()
    }
}

/// A model string that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError(String);

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ModelError {}

/// The providers a harness can call, by name.
#[derive(Debug, Clone, Default)]
pub struct Providers {
    by_name: BTreeMap<String, ProviderConfig>,
}

impl Providers {
    /// No providers at all.
    pub fn empty() -> Providers {
        Providers::default()
    }

    /// `anthropic` (`ANTHROPIC_API_KEY`), `openai` (`OPENAI_API_KEY`),
    /// `openrouter` (`OPENROUTER_API_KEY`) and `ollama` (local, no key).
    pub fn standard() -> Providers {
        let mut providers = Providers::empty();
        providers.configure(
            "anthropic",
            ProviderConfig::hosted(
                Format::Anthropic,
                "https://api.anthropic.com",
                "ANTHROPIC_API_KEY",
                PriceTable::anthropic(),
            ),
        );
        providers.configure(
            "openai",
            ProviderConfig::hosted(
                Format::OpenAiChat,
                "https://api.openai.com/v1",
                "OPENAI_API_KEY",
                PriceTable::openai(),
            ),
        );
        providers.configure(
            "openrouter",
            ProviderConfig::hosted(
                Format::OpenAiChat,
                "https://openrouter.ai/api/v1",
                "OPENROUTER_API_KEY",
                PriceTable::empty(),
            ),
        );
        providers.configure(
            "ollama",
            ProviderConfig::openai_compatible("http://127.0.0.1:11434/v1"),
        );
        providers
    }

    /// Adds a provider, or replaces the one of that name.
    pub fn configure(&mut self, name: impl Into<String>, config: ProviderConfig) -> &mut Self {
        self.by_name.insert(name.into(), config);
        self
    }

    /// The provider named `name`, to change it in place.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut ProviderConfig> {
        self.by_name.get_mut(name)
    }

    /// The configuration of the provider `model` (`provider/model-id`)
    /// names, its name, and the model id.
    fn lookup<'m>(
        &self,
        model: &'m str,
    ) -> Result<(&ProviderConfig, &'m str, &'m str), ModelError> {
        let (name, id) = model
            .split_once('/')
            .filter(|(n, id)| !n.is_empty() && !id.is_empty())
            .ok_or_else(|| {
                ModelError(format!(
                    "model '{model}' must be written provider/model-id \
                     (for example anthropic/claude-sonnet-4-5)"
                ))
            })?;
        let config = self.by_name.get(name).ok_or_else(|| {
            let known: Vec<&str> = self.by_name.keys().map(String::as_str).collect();
            ModelError(format!(
                "unknown provider '{name}' in model '{model}'; known providers: {}. \
                 Add it with configure_provider.",
                known.join(", ")
            ))
        })?;
        Ok((config, name, id))
    }

    /// The list price of `model` (`provider/model-id`), if its provider
    /// prices it.
    pub fn price(&self, model: &str) -> Result<Option<Price>, ModelError> {
        let (config, _, id) = self.lookup(model)?;
        Ok(config.pricing.price(id))
    }

    /// What `usage` of `model` (`provider/model-id`) cost, as its
    /// provider's price table says; `None` for a model it does not price.
    pub fn cost(&self, model: &str, usage: &Usage) -> Result<Option<Cost>, ModelError> {
        let (config, _, id) = self.lookup(model)?;
        Ok(config.pricing.cost(id, usage))
    }

    /// The provider and model id `model` (`provider/model-id`) names,
    /// ready to call.
    pub fn resolve(&self, model: &str) -> Result<(HttpProvider, String), ModelError> {
        let (config, name, id) = self.lookup(model)?;
        let key = match (&config.api_key, &config.api_key_env) {
            (Some(key), _) => Some(key.clone()),
            (None, Some(var)) => std::env::var(var).ok().filter(|k| !k.is_empty()),
            (None, None) => None,
        };
        if key.is_none() && config.needs_key {
            let hint = match &config.api_key_env {
                Some(var) => format!("set {var} or give the key with configure_provider"),
                None => "give the key with configure_provider".to_owned(),
            };
            return Err(ModelError(format!(
                "provider '{name}' needs an API key: {hint}"
            )));
        }
        let mut provider = HttpProvider::new(config.format, config.base_url.clone());
        if let Some(key) = key {
            provider = provider.api_key(key);
        }
        for (header, value) in &config.headers {
            provider = provider.header(header.clone(), value.clone());
        }
        Ok((provider, id.to_owned()))
    }
}

/// Checks that `model` has the form `provider/model-id` (without
/// whitespace), before any provider is looked up; the error says what the
/// form is.
pub fn check_model(model: &str) -> Result<(), String> {
    match model.split_once('/') {
        Some((provider, id))
            if !provider.is_empty() && !id.is_empty() && !model.contains(char::is_whitespace) =>
        {
            Ok(())
        }
        _ => Err(format!(
            "model '{model}' is not of the form provider/model-id \
             (for example anthropic/claude-sonnet-4-5)"
        )),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn models_need_a_provider_and_an_id() {
        assert!(check_model("openrouter/anthropic/claude-sonnet-4").is_ok());
        for bad in ["claude", "/x", "x/", "a/b c"] {
            assert!(check_model(bad).is_err(), "{bad}");
        }
    }

    use super::*;

    #[test]
    fn models_name_their_provider() {
        let mut providers = Providers::standard();
        providers.get_mut("anthropic").unwrap().api_key = Some("sk-direct".into());
        let (_, id) = providers.resolve("anthropic/claude-x").unwrap();
        assert_eq!(id, "claude-x");
        let (_, id) = providers.resolve("ollama/qwen3:8b").unwrap();
        assert_eq!(id, "qwen3:8b");
        providers.get_mut("openrouter").unwrap().api_key = Some("k".into());
        let (_, id) = providers.resolve("openrouter/meta-llama/llama-4").unwrap();
        assert_eq!(id, "meta-llama/llama-4");
    }

    #[test]
    fn bad_models_say_what_to_do() {
        let mut providers = Providers::standard();
        let err = providers.resolve("claude-x").unwrap_err().to_string();
        assert!(err.contains("provider/model-id"), "{err}");
        let err = providers.resolve("acme/model").unwrap_err().to_string();
        assert!(
            err.contains("unknown provider 'acme'") && err.contains("anthropic"),
            "{err}"
        );
        providers.configure(
            "vendor",
            ProviderConfig {
                api_key_env: Some("WASM_AGENT_TEST_UNSET_KEY_VAR".into()),
                needs_key: true,
                ..ProviderConfig::openai_compatible("http://127.0.0.1:9/v1")
            },
        );
        let err = providers.resolve("vendor/m").unwrap_err().to_string();
        assert!(err.contains("WASM_AGENT_TEST_UNSET_KEY_VAR"), "{err}");
    }

    #[test]
    fn calls_are_priced_by_their_provider() {
        let mut providers = Providers::standard();
        let usage = Usage {
            input_tokens: 1_000_000,
            output_tokens: 1_000_000,
            ..Usage::default()
        };
        let haiku = providers
            .cost("anthropic/claude-haiku-4-5-20251001", &usage)
            .unwrap()
            .unwrap();
        assert_eq!(haiku.total(), 6.0);
        // Each provider prices its own models only: OpenRouter's ids and
        // prices are its own.
        assert_eq!(
            providers.cost("openai/claude-haiku-4-5", &usage).unwrap(),
            None
        );
        assert_eq!(
            providers
                .cost("openrouter/anthropic/claude-haiku-4.5", &usage)
                .unwrap(),
            None
        );
        let free = Price {
            input: 0.0,
            output: 0.0,
            cache_read: 0.0,
            cache_write: 0.0,
        };
        providers
            .get_mut("ollama")
            .unwrap()
            .pricing
            .set("qwen3:8b", free);
        assert_eq!(providers.price("ollama/qwen3:8b").unwrap(), Some(free));
        assert!(providers.cost("acme/x", &usage).is_err());
    }

    #[test]
    fn keys_never_print() {
        let mut config = ProviderConfig::openai_compatible("http://x/v1");
        config.api_key = Some("sk-very-secret".into());
        config
            .headers
            .push(("x-token".into(), "hidden-value".into()));
        let shown = format!("{config:?}");
        assert!(
            !shown.contains("sk-very-secret") && !shown.contains("hidden-value"),
            "{shown}"
        );
    }
}
