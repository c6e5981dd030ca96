//! How to connect: server name, extra headers, timeout, how the client introduces itself.

use std::fmt;
use std::time::Duration;

/// Options for [`McpClient::connect`](crate::McpClient::connect).
///
/// Header values are secrets (API keys, bearer tokens): `Debug` prints their names only,
/// and no error message ever contains them.
#[derive(Clone)]
pub struct ConnectOptions {
    /// The server's name in error messages (e.g. `github`). Default: empty, so messages
    /// show the URL alone.
    pub name: String,
    /// Headers sent with every HTTP request (e.g. `Authorization`). Default: none.
    pub headers: Vec<(String, String)>,
    /// The longest wait for one answer, including connecting and reading a response
    /// stream. Default: 60 s.
    pub timeout: Duration,
    /// The `clientInfo.name` sent in `initialize`. Default: `wasm-agent`.
    pub client_name: String,
    /// The `clientInfo.version` sent in `initialize`. Default: this crate's version.
    pub client_version: String,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        Self {
            name: String::new(),
            headers: Vec::new(),
            timeout: Duration::from_secs(60),
            client_name: "wasm-agent".to_owned(),
            client_version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }
}

impl ConnectOptions {
    /// Default options for a server called `name`.
    pub fn named(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            ..Self::default()
        }
    }

    /// Adds a header sent with every request.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets the timeout for each answer.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

impl fmt::Debug for ConnectOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<String> = self
            .headers
            .iter()
            .map(|(name, _)| format!("{name}: <redacted>"))
            .collect();
        f.debug_struct("ConnectOptions")
            .field("name", &self.name)
            .field("headers", &headers)
            .field("timeout", &self.timeout)
            .field("client_name", &self.client_name)
            .field("client_version", &self.client_version)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_header_values() {
        let options = ConnectOptions::named("gh").header("Authorization", "Bearer s3cr3t");
        let shown = format!("{options:?}");
        assert!(shown.contains("Authorization: <redacted>"), "{shown}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
    }
}
