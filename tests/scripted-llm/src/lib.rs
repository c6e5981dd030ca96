//! A scripted LLM provider for tests.
