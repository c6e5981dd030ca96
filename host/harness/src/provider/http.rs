//! Calling a provider over HTTP: the request, the stream, and retries.
//!
//! [`HttpProvider`] speaks one wire format ([`Format`]) to one base URL:
//! Anthropic's API, OpenAI's, or any OpenAI-compatible server (OpenRouter,
//! Ollama, vLLM…). Throttling (429), overload (529) and server errors
//! (5xx), and connections that fail before any byte of an answer, are
//! retried with exponential backoff, honouring `retry-after` up to a cap.
//! A context overflow is never retried: it is returned as
//! [`ProviderErrorKind::ContextOverflow`], the caller's signal to compact.
//! API keys are sent as headers and never appear in errors.

use std::fmt;
use std::time::Duration;

use serde_json::Value;

use super::sse::Decoder;
use super::types::{Delta, Request, Response, StreamError};
use super::{anthropic, openai_chat, openai_responses};

/// A provider's wire format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Anthropic Messages (`POST {base}/v1/messages`).
    Anthropic,
    /// OpenAI Chat Completions (`POST {base}/chat/completions`; the base
    /// usually ends in `/v1`).
    OpenAiChat,
    /// OpenAI Responses (`POST {base}/responses`; the base usually ends
    /// in `/v1`). Only OpenAI's own models and a few compatible servers
    /// speak it; it is the one that returns reasoning summaries.
    OpenAiResponses,
}

/// How failed calls are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub attempts: u32,
    /// Wait before the first retry; doubled for each further one.
    pub initial_backoff: Duration,
    /// Longest wait, also for a provider's `retry-after`.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
        }
    }
}

/// What went wrong with a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderErrorKind {
    /// The prompt does not fit the model's context window.
    ContextOverflow,
    /// Still throttled after every retry.
    RateLimited,
    /// The provider kept failing (5xx, overload) after every retry.
    Unavailable,
    /// The key was refused (401/403).
    Auth,
    /// The provider refused the request (other 4xx).
    BadRequest,
    /// The connection failed after every retry.
    Network,
    /// The answer did not follow the format.
    Malformed,
}

/// A failed call: what, the HTTP status if any, and the provider's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderError {
    /// The kind of failure.
    pub kind: ProviderErrorKind,
    /// HTTP status, when the provider answered.
    pub status: Option<u16>,
    /// The provider's message or the transport's error.
    pub message: String,
    /// Attempts made.
    pub attempts: u32,
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            ProviderErrorKind::ContextOverflow => "the conversation is too long for the model",
            ProviderErrorKind::RateLimited => "the provider is rate-limiting requests",
            ProviderErrorKind::Unavailable => "the provider is failing",
            ProviderErrorKind::Auth => "the provider refused the API key",
            ProviderErrorKind::BadRequest => "the provider refused the request",
            ProviderErrorKind::Network => "cannot reach the provider",
            ProviderErrorKind::Malformed => "the provider's answer was malformed",
        };
        write!(f, "{what}")?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {status})")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if self.attempts > 1 {
            write!(f, " [{} attempts]", self.attempts)?;
        }
        Ok(())
    }
}

impl std::error::Error for ProviderError {}

/// One provider endpoint; see the module docs.
#[derive(Debug, Clone)]
pub struct HttpProvider {
    client: reqwest::Client,
    format: Format,
    base_url: String,
    api_key: Option<String>,
    headers: Vec<(String, String)>,
    retry: RetryPolicy,
}

impl HttpProvider {
    /// A provider speaking `format` at `base_url` (e.g.
    /// `https://api.anthropic.com`, `https://api.openai.com/v1`).
    pub fn new(format: Format, base_url: impl Into<String>) -> HttpProvider {
        HttpProvider {
            client: reqwest::Client::new(),
            format,
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            api_key: None,
            headers: Vec::new(),
            retry: RetryPolicy::default(),
        }
    }

    /// Sends this key (as `x-api-key` for Anthropic, a bearer token for
    /// OpenAI).
    pub fn api_key(mut self, key: impl Into<String>) -> HttpProvider {
        self.api_key = Some(key.into());
        self
    }

    /// Adds a header to every request.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> HttpProvider {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Replaces the retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> HttpProvider {
        self.retry = policy;
        self
    }

    /// Calls the model; with `request.stream`, `on_delta` sees the answer
    /// as it comes. Retries as the module docs say; a stream that breaks
    /// after some of it was shown is not retried (the caller already
    /// showed part of an answer).
    pub async fn complete(
        &self,
        request: &Request<'_>,
        on_delta: &mut (dyn FnMut(Delta) + Send),
    ) -> Result<Response, ProviderError> {
        let body = match self.format {
            Format::Anthropic => anthropic::request_body(request),
            Format::OpenAiChat => openai_chat::request_body(request),
            Format::OpenAiResponses => openai_responses::request_body(request),
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut shown = false;
            let mut show = |d| {
                shown = true;
                on_delta(d);
            };
            let result = self.attempt(&body, request.stream, &mut show).await;
            let (error, retry_after) = match result {
                Ok(response) => return Ok(response),
                Err(failure) => failure,
            };
            let retryable = matches!(
                error.kind,
                ProviderErrorKind::RateLimited
                    | ProviderErrorKind::Unavailable
                    | ProviderErrorKind::Network
            ) && !shown;
            if !retryable || attempt >= self.retry.attempts {
                return Err(ProviderError {
                    attempts: attempt,
                    ..error
                });
            }
            let backoff = self
                .retry
                .initial_backoff
                .saturating_mul(1 << (attempt - 1).min(16));
            let wait = retry_after.unwrap_or(backoff).min(self.retry.max_backoff);
            tokio::time::sleep(wait).await;
        }
    }

    /// One HTTP exchange; on failure, the error and the provider's
    /// `retry-after`.
    async fn attempt(
        &self,
        body: &Value,
        stream: bool,
        on_delta: &mut (dyn FnMut(Delta) + Send),
    ) -> Result<Response, (ProviderError, Option<Duration>)> {
        let url = match self.format {
            Format::Anthropic => format!("{}/v1/messages", self.base_url),
            Format::OpenAiChat => format!("{}/chat/completions", self.base_url),
            Format::OpenAiResponses => format!("{}/responses", self.base_url),
        };
        let mut request = self
            .client
            .post(&url)
            .header("content-type", "application/json")
            .body(body.to_string());
        match (self.format, &self.api_key) {
            (Format::Anthropic, key) => {
                request = request.header("anthropic-version", anthropic::API_VERSION);
                if let Some(key) = key {
                    request = request.header("x-api-key", key);
                }
            }
            (Format::OpenAiChat | Format::OpenAiResponses, Some(key)) => {
                request = request.bearer_auth(key)
            }
            (Format::OpenAiChat | Format::OpenAiResponses, None) => {}
        }
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        let network = |e: reqwest::Error| {
            let error = ProviderError {
                kind: ProviderErrorKind::Network,
                status: None,
                message: format!("{url}: {}", without_url(&e)),
                attempts: 1,
            };
            (error, None)
        };
        let mut response = request.send().await.map_err(network)?;
        let status = response.status().as_u16();
        if status != 200 {
            let retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<f64>().ok())
                .map(Duration::from_secs_f64);
            let text = response.text().await.unwrap_or_default();
            return Err((self.http_error(status, &text), retry_after));
        }
        if !stream {
            let bytes = response.bytes().await.map_err(network)?;
            let json: Value = serde_json::from_slice(&bytes).map_err(|e| {
                (
                    malformed(StreamError::Malformed(format!("the body is not JSON: {e}"))),
                    None,
                )
            })?;
            let parsed = match self.format {
                Format::Anthropic => anthropic::parse_response(&json),
                Format::OpenAiChat => openai_chat::parse_response(&json),
                Format::OpenAiResponses => openai_responses::parse_response(&json),
            };
            return parsed.map_err(|e| (stream_error(e), None));
        }
        let mut decoder = Decoder::new();
        let mut assembler = Assembler::new(self.format);
        while let Some(chunk) = response.chunk().await.map_err(network)? {
            for event in decoder.push(chunk.as_ref()) {
                for delta in assembler
                    .push(&event)
                    .map_err(|e| (stream_error(e), None))?
                {
                    on_delta(delta);
                }
            }
        }
        if let Some(event) = decoder.finish() {
            for delta in assembler
                .push(&event)
                .map_err(|e| (stream_error(e), None))?
            {
                on_delta(delta);
            }
        }
        assembler.finish().map_err(|e| (stream_error(e), None))
    }

    /// The error an HTTP failure status and body describe.
    fn http_error(&self, status: u16, text: &str) -> ProviderError {
        let parsed = serde_json::from_str::<Value>(text)
            .ok()
            .and_then(|json| match self.format {
                Format::Anthropic => anthropic::provider_error(&json),
                Format::OpenAiChat => openai_chat::provider_error(&json),
                Format::OpenAiResponses => openai_responses::provider_error(&json),
            });
        let overflow = parsed
            .as_ref()
            .is_some_and(StreamError::is_context_overflow);
        let message = match parsed {
            Some(StreamError::Provider { kind, message }) => format!("{kind}: {message}"),
            _ => text.chars().take(500).collect(),
        };
        let kind = match status {
            _ if overflow => ProviderErrorKind::ContextOverflow,
            429 => ProviderErrorKind::RateLimited,
            401 | 403 => ProviderErrorKind::Auth,
            500.. => ProviderErrorKind::Unavailable,
            _ => ProviderErrorKind::BadRequest,
        };
        ProviderError {
            kind,
            status: Some(status),
            message,
            attempts: 1,
        }
    }
}

/// Any format's stream assembler.
enum Assembler {
    Anthropic(anthropic::StreamAssembler),
    OpenAiChat(openai_chat::StreamAssembler),
    OpenAiResponses(openai_responses::StreamAssembler),
}

impl Assembler {
    fn new(format: Format) -> Assembler {
        match format {
            Format::Anthropic => Assembler::Anthropic(anthropic::StreamAssembler::new()),
            Format::OpenAiChat => Assembler::OpenAiChat(openai_chat::StreamAssembler::new()),
            Format::OpenAiResponses => {
                Assembler::OpenAiResponses(openai_responses::StreamAssembler::new())
            }
        }
    }

    fn push(&mut self, event: &super::sse::Event) -> Result<Vec<Delta>, StreamError> {
        match self {
            Assembler::Anthropic(a) => a.push(event),
            Assembler::OpenAiChat(a) => a.push(event),
            Assembler::OpenAiResponses(a) => a.push(event),
        }
    }

    fn finish(self) -> Result<Response, StreamError> {
        match self {
            Assembler::Anthropic(a) => a.finish(),
            Assembler::OpenAiChat(a) => a.finish(),
            Assembler::OpenAiResponses(a) => a.finish(),
        }
    }
}

/// A stream-level failure as a call error: an overload or server error
/// inside a stream is worth a retry, a broken format is not.
fn stream_error(error: StreamError) -> ProviderError {
    let kind = match &error {
        e if e.is_context_overflow() => ProviderErrorKind::ContextOverflow,
        StreamError::Provider { kind, .. }
            if kind.contains("overloaded")
                || kind.contains("api_error")
                || kind.contains("server") =>
        {
            ProviderErrorKind::Unavailable
        }
        StreamError::Provider { kind, .. } if kind.contains("rate_limit") => {
            ProviderErrorKind::RateLimited
        }
        StreamError::Provider { .. } => ProviderErrorKind::BadRequest,
        StreamError::Malformed(_) => ProviderErrorKind::Malformed,
    };
    ProviderError {
        kind,
        status: None,
        message: match error {
            StreamError::Malformed(why) => why,
            StreamError::Provider { kind, message } => format!("{kind}: {message}"),
        },
        attempts: 1,
    }
}

fn malformed(error: StreamError) -> ProviderError {
    stream_error(error)
}

/// A reqwest error's text without the URL (which could carry a key in a
/// query string on some compatible servers).
fn without_url(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    if let Some(url) = error.url() {
        text = text.replace(url.as_str(), "");
    }
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text.trim_matches([' ', ':'])
        .replace("( )", "")
        .replace("()", "")
}
