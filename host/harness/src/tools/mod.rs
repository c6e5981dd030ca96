//! The built-in tools an agent calls on its sandbox.
