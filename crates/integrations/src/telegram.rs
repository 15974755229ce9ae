//! The Telegram Bot API over HTTPS: `POST {base}/bot{token}/{method}` with a JSON body, the
//! answer's `ok`/`result`/`error_code`/`description`/`parameters.retry_after` read as the
//! public documentation describes them. The base address is the configuration's
//! (`https://api.telegram.org`, or a fake one in tests), never a user's, so no address guard.

use frontline_core::telegram::api::{BotApi, BotApiError};
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

    async fn attempt(
        &self,
        token: &str,
        method: &str,
        params: serde_json::Value,
    ) -> Result<serde_json::Value, BotApiError> {
        let unreachable = BotApiError::Unreachable;
        let body = serde_json::to_vec(&params).map_err(|e| unreachable(format!("encoding: {e}")))?;
        let request = hyper::Request::post(format!("{}/bot{token}/{method}", self.base))
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| unreachable(format!("building the request: {e}")))?;
        let client = self.client.get_or_try_init(|| async { Self::build_client() }).await.map_err(unreachable)?;
        // The token is in the path: errors are described without the request.
        let response = client.request(request).await.map_err(|e| unreachable(crate::webhooks::describe(&e)))?;
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
        match tokio::time::timeout(wait, self.attempt(token, method, params)).await {
            Ok(result) => result,
            Err(_) => Err(BotApiError::Unreachable(format!("{method}: no answer within {} s", wait.as_secs()))),
        }
    }
}
