//! What both transports share: the HTTP client, the URL, the headers, the timeout, and
//! the label errors name the server by.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Url;

use crate::error::{ErrorKind, McpError};
use crate::options::ConnectOptions;

/// Longest piece of an HTTP error body quoted in an error message.
const BODY_QUOTE: usize = 300;

/// One server's connection settings.
pub(crate) struct Conn {
    pub http: reqwest::Client,
    pub url: Url,
    pub headers: HeaderMap,
    pub timeout: Duration,
    /// `name (url)` with the URL's credentials and query removed.
    pub label: String,
}

impl Conn {
    pub fn new(url: &str, options: &ConnectOptions) -> Result<Self, McpError> {
        let shown = redact(url);
        let label = if options.name.is_empty() {
            shown.clone()
        } else {
            format!("`{}` ({shown})", options.name)
        };
        let config = |detail: String| McpError::new(ErrorKind::Config, &label, "connect", detail);
        let parsed =
            Url::parse(url).map_err(|e| config(format!("`{shown}` is not a URL ({e})")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(config(format!(
                "`{shown}` is not an http:// or https:// URL; MCP over HTTP needs one"
            )));
        }
        let mut headers = HeaderMap::new();
        for (name, value) in &options.headers {
            let header = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| config(format!("`{name}` is not a valid HTTP header name")))?;
            let mut value = HeaderValue::from_str(value).map_err(|_| {
                config(format!(
                    "the value of header `{name}` is not valid in HTTP (control characters or non-ASCII?)"
                ))
            })?;
            value.set_sensitive(true);
            headers.append(header, value);
        }
        let http = reqwest::Client::builder()
            .connect_timeout(options.timeout)
            .build()
            .map_err(|e| config(format!("cannot set up HTTP: {}", e.without_url())))?;
        Ok(Self {
            http,
            url: parsed,
            headers,
            timeout: options.timeout,
            label,
        })
    }

    /// An error about `method` on this server.
    pub fn error(&self, kind: ErrorKind, method: &str, detail: impl Into<String>) -> McpError {
        McpError::new(kind, &self.label, method, detail.into())
    }

    /// A failed HTTP exchange, without the URL (its query may hold a token).
    pub fn http_error(&self, method: &str, e: reqwest::Error) -> McpError {
        let kind = if e.is_timeout() {
            ErrorKind::Timeout
        } else {
            ErrorKind::Connect
        };
        let mut detail = describe(e);
        if kind == ErrorKind::Connect {
            detail.push_str("; is the server running and the URL right?");
        }
        self.error(kind, method, detail)
    }

    /// An HTTP error status, quoting the start of the body.
    pub async fn status_error(&self, method: &str, response: reqwest::Response) -> McpError {
        let status = response.status();
        let body = self.scrub(&response.text().await.unwrap_or_default());
        let body: String = body.trim().chars().take(BODY_QUOTE).collect();
        let detail = if body.is_empty() {
            format!("HTTP {status}")
        } else {
            format!("HTTP {status}: {body}")
        };
        self.error(ErrorKind::Http, method, detail)
            .with_status(status.as_u16())
    }

    /// `text` with every configured header value blotted out: some servers echo the
    /// request (token included) in their error pages.
    fn scrub(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for value in self.headers.values() {
            // Short values ("1", "yes") are no secrets and would blot out ordinary words.
            match value.to_str() {
                Ok(v) if v.len() >= 8 => text = text.replace(v, "<redacted>"),
                _ => {}
            }
        }
        text
    }

    /// A timeout of `method`.
    pub fn timeout_error(&self, method: &str) -> McpError {
        self.error(
            ErrorKind::Timeout,
            method,
            format!(
                "no answer within {:?}; the server may be stuck (raise ConnectOptions::timeout if it is only slow)",
                self.timeout
            ),
        )
    }
}

/// A reqwest error with its causes (reqwest's own text is generic, "error sending
/// request"; the reason is below it), without the URL (its query may hold a token).
pub(crate) fn describe(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut detail = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        detail.push_str(": ");
        detail.push_str(&cause.to_string());
        source = cause.source();
    }
    detail
}

/// The URL without user info and query, which may carry credentials.
fn redact(url: &str) -> String {
    match Url::parse(url) {
        Ok(u) if !matches!(u.scheme(), "http" | "https") => format!("(a {}: URL)", u.scheme()),
        Ok(mut u) => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            let had_query = u.query().is_some();
            u.set_query(None);
            u.set_fragment(None);
            if had_query {
                format!("{u}?…")
            } else {
                u.to_string()
            }
        }
        Err(_) => {
            let before_query = url.split('?').next().unwrap_or_default();
            before_query
                .rsplit('@')
                .next()
                .unwrap_or_default()
                .to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_urls_lose_credentials_and_query() {
        assert_eq!(
            redact("https://bob:pw@mcp.example.com/mcp?token=abc"),
            "https://mcp.example.com/mcp?…"
        );
        assert_eq!(redact("ftp://bob:pw@host/x"), "(a ftp: URL)");
        assert_eq!(redact("bob:pw@host/mcp?token=abc"), "(a bob: URL)");
        assert_eq!(redact("/mcp@x?token=abc"), "x");
    }

    #[test]
    fn header_values_are_blotted_out_of_quoted_bodies() {
        let options = ConnectOptions::named("t")
            .header("Authorization", "Bearer abc-123-xyz")
            .header("X-Small", "on");
        let conn = Conn::new("http://127.0.0.1:1/mcp", &options).unwrap();
        assert_eq!(
            conn.scrub("bad token Bearer abc-123-xyz; flags on"),
            "bad token <redacted>; flags on"
        );
    }
}
