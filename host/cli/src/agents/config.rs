//! `wasm-agent.toml`: providers and defaults shared by a project's agents.
//!
//! ```toml
//! [defaults]
//! model = "local/qwen3"            # when neither flag, env nor agent names one
//!
//! [providers.local]                # adds a provider (or changes a standard one)
//! base_url = "http://127.0.0.1:8000/v1"
//! format = "openai"                # anthropic | openai | openai-responses
//! api_key_env = "LOCAL_KEY"        # the key's variable; no key needed without it
//! headers = { "X-Team" = "infra" }
//! ```
//!
//! The file is read from the project root, or from `--config FILE` /
//! `WASM_AGENT_CONFIG` instead. Keys never go into it: `api_key_env`
//! names the variable, read from `--env` files first, then the process.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use wasm_agent_harness::provider::pricing::PriceTable;
use wasm_agent_harness::provider::{Format, ProviderConfig, Providers};

use super::error::DefinitionError;

/// The config file's name at the project root.
pub const CONFIG_FILE: &str = "wasm-agent.toml";

/// A project's configuration (empty without a file).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// The file it came from.
    pub path: Option<PathBuf>,
    /// The model of agents that name none.
    pub default_model: Option<String>,
    /// Providers added or changed, by name.
    pub providers: BTreeMap<String, ProviderEntry>,
}

/// One `[providers.<name>]` table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderEntry {
    /// Base URL of the API.
    pub base_url: String,
    /// `anthropic`, `openai` (Chat Completions) or `openai-responses`.
    #[serde(default)]
    pub format: Option<String>,
    /// The variable holding the key.
    #[serde(default)]
    pub api_key_env: Option<String>,
    /// Headers added to every request.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    defaults: Defaults,
    #[serde(default)]
    providers: BTreeMap<String, ProviderEntry>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Defaults {
    model: Option<String>,
}

impl Config {
    /// Reads the config file at `path`.
    pub fn load(path: &Path) -> Result<Config, DefinitionError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| DefinitionError::new(path, format!("cannot read the config file: {e}")))?;
        Config::parse(path, &text)
    }

    /// Reads the config file at the project `root`, if there is one.
    pub fn load_root(root: &Path) -> Result<Config, DefinitionError> {
        let path = root.join(CONFIG_FILE);
        if path.is_file() {
            Config::load(&path)
        } else {
            Ok(Config::default())
        }
    }

    /// Parses `text`, the contents of `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Config, DefinitionError> {
        let file: File = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
            DefinitionError::new(path, e.message().trim().to_owned()).at_line(line)
        })?;
        let line_of = |needle: &str| {
            text.lines()
                .position(|l| l.contains(needle))
                .map(|index| index + 1)
        };
        for (name, entry) in &file.providers {
            if let Some(format) = &entry.format {
                parse_format(format).map_err(|message| {
                    DefinitionError::new(path, message)
                        .at_line(line_of(&format!("[providers.{name}]")))
                        .in_field(format!("providers.{name}.format"))
                })?;
            }
        }
        Ok(Config {
            path: Some(path.to_path_buf()),
            default_model: file.defaults.model,
            providers: file.providers,
        })
    }

    /// The standard providers with this file's changes; keys named by
    /// `api_key_env` are looked up with `env` first (the `--env` files),
    /// then in the process environment when a call is made.
    pub fn providers(&self, env: &dyn Fn(&str) -> Option<String>) -> Providers {
        let mut providers = Providers::standard();
        for (name, entry) in &self.providers {
            let format = entry
                .format
                .as_deref()
                .and_then(|f| parse_format(f).ok())
                .unwrap_or(Format::OpenAiChat);
            let pricing = match providers.get_mut(name) {
                Some(existing) => existing.pricing.clone(),
                None => PriceTable::empty(),
            };
            providers.configure(
                name.clone(),
                ProviderConfig {
                    format,
                    base_url: entry.base_url.clone(),
                    api_key: None,
                    api_key_env: entry.api_key_env.clone(),
                    needs_key: entry.api_key_env.is_some(),
                    headers: entry
                        .headers
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                    pricing,
                },
            );
        }
        for name in ["anthropic", "openai", "openrouter", "ollama"]
            .into_iter()
            .map(str::to_owned)
            .chain(self.providers.keys().cloned())
        {
            if let Some(config) = providers.get_mut(&name) {
                if let Some(key) = config.api_key_env.as_deref().and_then(env) {
                    config.api_key = Some(key);
                }
            }
        }
        providers
    }
}

fn parse_format(format: &str) -> Result<Format, String> {
    match format {
        "anthropic" => Ok(Format::Anthropic),
        "openai" | "openai-chat" => Ok(Format::OpenAiChat),
        "openai-responses" => Ok(Format::OpenAiResponses),
        other => Err(format!(
            "unknown format '{other}'; use anthropic, openai or openai-responses"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn providers_and_defaults_read() {
        let config = Config::parse(
            Path::new("wasm-agent.toml"),
            "[defaults]\nmodel = \"x/m\"\n[providers.x]\nbase_url = \"http://127.0.0.1:9\"\n\
             format = \"anthropic\"\napi_key_env = \"X_KEY\"\n",
        )
        .unwrap();
        assert_eq!(config.default_model.as_deref(), Some("x/m"));
        let env = |name: &str| (name == "X_KEY").then(|| "k".to_owned());
        let mut providers = config.providers(&env);
        let x = providers.get_mut("x").unwrap();
        assert_eq!(
            (x.format, x.api_key.as_deref()),
            (Format::Anthropic, Some("k"))
        );
    }

    #[test]
    fn errors_name_the_line() {
        let err = Config::parse(Path::new("c.toml"), "[defaults]\nmodle = 1\n").unwrap_err();
        assert_eq!(err.line(), Some(2), "{err}");
        let err = Config::parse(
            Path::new("c.toml"),
            "[providers.p]\nbase_url = \"u\"\nformat = \"grpc\"\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("unknown format 'grpc'"), "{err}");
    }
}
