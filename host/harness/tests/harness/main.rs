//! The harness end to end: sessions driven by a scripted model (real
//! Anthropic and OpenAI wire formats on 127.0.0.1) acting on real
//! sandboxes.

mod commands;
mod context;
mod lifecycle;
mod mcp;
mod prompts;
mod sandboxes;
mod support;
mod tasks;
