//! The Telegram Bot API over HTTPS: `POST {base}/bot{token}/{method}` with a JSON body, the
//! answer's `ok`/`result`/`error_code`/`description`/`parameters.retry_after` read as the
//! public documentation describes them. The base address is the configuration's
//! (`https://api.telegram.org`, or a fake one in tests), never a user's, so no address guard.

use frontline_core::telegram::api::{BotApi, BotApiError, FilePart};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use std::time::Duration;

type Https = hyper_rustls::HttpsConnector<HttpConnector>;

/// Answers larger than this are not Telegram's (a getUpdates page is well under it).
const MAX_ANSWER: usize = 8 * 1024 * 1024;

/// The real [`BotApi`].
pub struct HttpBotApi {
    base: String,
    /// Made at the first call (the system's root certificates cost memory an install without
    /// bots need not hold).
    client: tokio::sync::OnceCell<Client<Https, Full<Bytes>>>,
}

impl HttpBotApi {
    /// `base`: `https://api.telegram.org` in production.
    pub fn new(base: &str) -> Result<Self, String> {
        let parsed = url::Url::parse(base).map_err(|e| format!("the Telegram API address: {e}"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err("the Telegram API address must be http or https".into());
        }
        Ok(Self { base: base.trim_end_matches('/').to_owned(), client: tokio::sync::OnceCell::new() })
    }

    fn build_client() -> Result<Client<Https, Full<Bytes>>, String> {
        crate::webhooks::client(HttpConnector::new(), Duration::from_secs(10), 32, "Telegram")
    }

    async fn client(&self) -> Result<&Client<Https, Full<Bytes>>, BotApiError> {
        self.client.get_or_try_init(|| async { Self::build_client() }).await.map_err(BotApiError::Unreachable)
    }

    /// Posts a body to a method and reads Telegram's answer.
    async fn post(
        &self,
        token: &str,
        method: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Result<serde_json::Value, BotApiError> {
        let unreachable = BotApiError::Unreachable;
        let request = hyper::Request::post(format!("{}/bot{token}/{method}", self.base))
            .header("content-type", content_type)
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| unreachable(format!("building the request: {e}")))?;
        // The token is in the path: errors are described without the request.
        let response =
            self.client().await?.request(request).await.map_err(|e| unreachable(crate::webhooks::describe(&e)))?;
        let status = response.status();
        let limited = http_body_util::Limited::new(response.into_body(), MAX_ANSWER);
        let bytes = limited.collect().await.map_err(|e| unreachable(format!("reading the answer: {e}")))?.to_bytes();
        let answer: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|_| unreachable(format!("the answer ({status}) is not Telegram's JSON")))?;
        if answer.get("ok").and_then(serde_json::Value::as_bool) == Some(true) {
            return Ok(answer.get("result").cloned().unwrap_or(serde_json::Value::Null));
        }
        Err(BotApiError::Refused {
            code: answer.get("error_code").and_then(serde_json::Value::as_i64).unwrap_or(i64::from(status.as_u16())),
            description: answer.get("description").and_then(serde_json::Value::as_str).unwrap_or("").to_owned(),
            retry_after: answer.pointer("/parameters/retry_after").and_then(serde_json::Value::as_i64),
        })
    }

    async fn fetch(&self, token: &str, path: &str, max: u64) -> Result<Vec<u8>, BotApiError> {
        let unreachable = BotApiError::Unreachable;
        // `getFile` paths are Telegram's own (`photos/file_1.jpg`); anything that could leave
        // the file folder is refused.
        if path.is_empty() || path.split('/').any(|s| s.is_empty() || s == "..") || path.contains(['?', '#', '\\']) {
            return Err(unreachable("a file path that is not Telegram's".into()));
        }
        let request = hyper::Request::get(format!("{}/file/bot{token}/{path}", self.base))
            .body(Full::new(Bytes::new()))
            .map_err(|e| unreachable(format!("building the request: {e}")))?;
        let response =
            self.client().await?.request(request).await.map_err(|e| unreachable(crate::webhooks::describe(&e)))?;
        let status = response.status();
        if !status.is_success() {
            return Err(BotApiError::Refused {
                code: i64::from(status.as_u16()),
                description: format!("downloading a file: {status}"),
                retry_after: None,
            });
        }
        let declared =
            response.headers().get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
        let too_large = || BotApiError::Refused {
            code: 413,
            description: format!("the file is over {max} bytes"),
            retry_after: None,
        };
        if declared.is_some_and(|n| n > max) {
            return Err(too_large());
        }
        let limited = http_body_util::Limited::new(response.into_body(), usize::try_from(max).unwrap_or(usize::MAX));
        match limited.collect().await {
            Ok(body) => Ok(body.to_bytes().to_vec()),
            Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(too_large()),
            Err(e) => Err(unreachable(format!("reading a file: {e}"))),
        }
    }
}

/// A `multipart/form-data` body: each parameter a field (strings as they are, other values as
/// JSON), then each file a part with its name and type.
pub fn multipart(params: &serde_json::Value, files: &[FilePart], boundary: &str) -> Vec<u8> {
    // Quotes and line breaks cannot be in a quoted header value.
    let quoted = |s: &str| s.replace('"', "%22").replace(['\r', '\n'], " ");
    let mut out = Vec::new();
    if let Some(fields) = params.as_object() {
        for (name, value) in fields {
            let text = match value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            out.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"\r\n\r\n", quoted(name)).as_bytes(),
            );
            out.extend_from_slice(text.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
    }
    for f in files {
        out.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
                quoted(&f.field),
                quoted(&f.name),
                quoted(&f.content_type)
            )
            .as_bytes(),
        );
        out.extend_from_slice(&f.bytes);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    out
}

#[async_trait::async_trait]
impl BotApi for HttpBotApi {
    async fn call(
        &self,
        token: &str,
        method: &str,
        params: serde_json::Value,
        wait: Duration,
    ) -> Result<serde_json::Value, BotApiError> {
        let body = serde_json::to_vec(&params).map_err(|e| BotApiError::Unreachable(format!("encoding: {e}")))?;
        within(wait, method, self.post(token, method, "application/json", body)).await
    }

    async fn call_with_files(
        &self,
        token: &str,
        method: &str,
        params: serde_json::Value,
        files: Vec<FilePart>,
        wait: Duration,
    ) -> Result<serde_json::Value, BotApiError> {
        let boundary = format!("frontline-{}", uuid::Uuid::now_v7().simple());
        let body = multipart(&params, &files, &boundary);
        let content_type = format!("multipart/form-data; boundary={boundary}");
        within(wait, method, self.post(token, method, &content_type, body)).await
    }

    async fn download(&self, token: &str, path: &str, max: u64, wait: Duration) -> Result<Vec<u8>, BotApiError> {
        within(wait, "a file download", self.fetch(token, path, max)).await
    }
}

async fn within<T>(
    wait: Duration,
    what: &str,
    f: impl std::future::Future<Output = Result<T, BotApiError>>,
) -> Result<T, BotApiError> {
    match tokio::time::timeout(wait, f).await {
        Ok(result) => result,
        Err(_) => Err(BotApiError::Unreachable(format!("{what}: no answer within {} s", wait.as_secs()))),
    }
}
