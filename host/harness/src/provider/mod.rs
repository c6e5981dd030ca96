//! LLM providers: the wire formats and their streams.
//!
//! What exists so far: the server-sent-events decoder every streaming
//! provider needs ([`sse`]).

pub mod sse;
