//! Which provider API a request speaks, and the dispatch from neutral script to its format.

use serde_json::Value;

use crate::http::Event;
use crate::script::{Failure, Reply};
use crate::{anthropic, openai_chat, openai_responses};

/// The wire format of a request, chosen by its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Api {
    /// Anthropic Messages, `POST /v1/messages`.
    Anthropic,
    /// OpenAI Chat Completions, `POST /v1/chat/completions`.
    OpenAiChat,
    /// OpenAI Responses, `POST /v1/responses`.
    OpenAiResponses,
}

/// What a reply needs to know about the request it answers.
pub(crate) struct Ctx {
    /// 1-based request number, used in ids so every reply's ids differ.
    pub seq: usize,
    /// The request's `model`, echoed back as providers do.
    pub model: String,
    /// OpenAI chat `stream_options.include_usage`.
    pub include_usage: bool,
}

impl Api {
    /// The API served at `path` (query string ignored), if any.
    pub fn from_path(path: &str) -> Option<Api> {
        match path.split('?').next().unwrap_or("") {
            "/v1/messages" => Some(Api::Anthropic),
            "/v1/chat/completions" => Some(Api::OpenAiChat),
            "/v1/responses" => Some(Api::OpenAiResponses),
            _ => None,
        }
    }

    pub(crate) fn check_headers(self, headers: &[(String, String)]) -> Result<(), (u16, String)> {
        match self {
            Api::Anthropic => anthropic::check_headers(headers),
            Api::OpenAiChat | Api::OpenAiResponses => openai_chat::check_headers(headers),
        }
        .map_err(|(status, body)| (status, body.to_string()))
    }

    /// A 400 body in this API's shape, for requests the server cannot use.
    pub(crate) fn invalid_request(self, message: &str) -> String {
        match self {
            Api::Anthropic => anthropic::error("invalid_request_error", message),
            _ => openai_chat::error(message, "invalid_request_error", None, None),
        }
        .to_string()
    }

    /// A 500 body in this API's shape, for faults of the script rather than the client.
    pub(crate) fn internal(self, message: &str) -> String {
        match self {
            Api::Anthropic => anthropic::error("api_error", message),
            _ => openai_chat::error(message, "server_error", None, None),
        }
        .to_string()
    }

    pub(crate) fn failure(self, failure: &Failure, ctx: &Ctx) -> (u16, String) {
        match self {
            Api::Anthropic => anthropic::failure(failure),
            Api::OpenAiChat => openai_chat::failure(failure, &ctx.model, "messages"),
            Api::OpenAiResponses => openai_chat::failure(failure, &ctx.model, "input"),
        }
    }

    pub(crate) fn stream(self, reply: &Reply, ctx: &Ctx) -> Vec<Event> {
        match self {
            Api::Anthropic => anthropic::stream(reply, ctx),
            Api::OpenAiChat => openai_chat::stream(reply, ctx),
            Api::OpenAiResponses => openai_responses::stream(reply, ctx),
        }
    }

    /// The events reporting a failure inside a stream; `sequence` is the next Responses
    /// `sequence_number`.
    pub(crate) fn error_events(self, ctx: &Ctx, sequence: usize) -> Vec<Event> {
        match self {
            Api::Anthropic => vec![Event::typed(anthropic::error(
                "overloaded_error",
                "Overloaded",
            ))],
            Api::OpenAiChat => vec![Event::data(
                openai_chat::failure(&Failure::Server, &ctx.model, "messages").1,
            )],
            Api::OpenAiResponses => openai_responses::error_events(ctx, sequence),
        }
    }

    pub(crate) fn json(self, reply: &Reply, ctx: &Ctx) -> Value {
        match self {
            Api::Anthropic => anthropic::json(reply, ctx),
            Api::OpenAiChat => openai_chat::json(reply, ctx),
            Api::OpenAiResponses => openai_responses::json(reply, ctx),
        }
    }

    pub(crate) fn response_headers(self, ctx: &Ctx) -> Vec<(String, String)> {
        match self {
            Api::Anthropic => anthropic::response_headers(ctx),
            _ => openai_chat::response_headers(ctx),
        }
    }
}
