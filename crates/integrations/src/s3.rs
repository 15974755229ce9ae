//! Files kept in an S3-compatible bucket (Amazon S3, MinIO, Ceph, and the object storage of
//! most clouds): one object per file, put, read and deleted with requests signed by AWS
//! Signature Version 4, over the same HTTP(S) client as webhooks. Several nodes with their own
//! data folders then share files without a shared folder.

use frontline_core::files::{FileStorage, Received};
use frontline_domain::AttachmentId;
use http_body_util::{BodyExt, Empty, StreamBody, combinators::UnsyncBoxBody};
use hyper::body::{Bytes, Frame};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use std::time::Duration;

type Body = UnsyncBoxBody<Bytes, std::io::Error>;
type Https = hyper_rustls::HttpsConnector<HttpConnector>;

/// Where the bucket is and how to sign in to it.
#[derive(Clone)]
pub struct S3Config {
    /// `https://s3.eu-central-1.amazonaws.com`, `http://127.0.0.1:9000`, …
    pub endpoint: String,
    pub bucket: String,
    pub region: String,
    pub access_key: String,
    pub secret_key: String,
    /// Put before every object's name (`frontline/`), so one bucket can hold several installs.
    pub prefix: String,
    /// `https://endpoint/bucket/key` (true: MinIO and most others) or
    /// `https://bucket.endpoint/key` (false: Amazon's virtual-hosted style).
    pub path_style: bool,
}

impl std::fmt::Debug for S3Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Config")
            .field("endpoint", &self.endpoint)
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("prefix", &self.prefix)
            .field("path_style", &self.path_style)
            .finish_non_exhaustive()
    }
}

/// A request without an answer this long fails (a file is at most 100 MB).
const TIMEOUT: Duration = Duration::from_secs(120);
/// Bytes read from the local file per piece of a PUT's body.
const CHUNK: usize = 64 * 1024;

/// The real S3-compatible [`FileStorage`].
pub struct S3Storage {
    config: S3Config,
    /// The endpoint's scheme, and its path without the final `/`.
    scheme: String,
    base_path: String,
    /// `host[:port]` of the endpoint (path style) or of the bucket (virtual-hosted style).
    host: String,
    client: tokio::sync::OnceCell<Client<Https, Body>>,
}

impl S3Storage {
    /// Checks the settings (not the bucket: see [`S3Storage::check`]).
    pub fn new(config: S3Config) -> Result<Self, String> {
        let url = url::Url::parse(config.endpoint.trim()).map_err(|e| format!("s3.endpoint: not an address: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err("s3.endpoint: only http and https addresses".into());
        }
        if url.query().is_some() || !url.username().is_empty() {
            return Err("s3.endpoint: no query or user name in the address".into());
        }
        let host = url.host_str().ok_or("s3.endpoint: the address has no host")?;
        let valid_bucket = (3..=63).contains(&config.bucket.len())
            && config.bucket.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
        if !valid_bucket {
            return Err("s3.bucket: 3–63 lowercase letters, digits, dots and hyphens".into());
        }
        for (name, value) in [
            ("s3.region", &config.region),
            ("s3.access_key", &config.access_key),
            ("s3.secret_key", &config.secret_key),
        ] {
            if value.trim().is_empty() {
                return Err(format!("{name} is required"));
            }
        }
        if config.prefix.starts_with('/') || config.prefix.chars().any(char::is_control) {
            return Err("s3.prefix: no leading / and no control characters".into());
        }
        // The TLS configuration is checked now, so a broken one fails at start.
        crate::webhooks::tls_config("S3")?;
        let host = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        let host = if config.path_style { host } else { format!("{}.{host}", config.bucket) };
        Ok(Self {
            scheme: url.scheme().to_owned(),
            base_path: url.path().trim_end_matches('/').to_owned(),
            host,
            config,
            client: tokio::sync::OnceCell::new(),
        })
    }

    /// Whether the bucket is there and these keys may use it (`HEAD` of the bucket): the
    /// server checks at start, so a wrong setting is said at once, not at the first upload.
    pub async fn check(&self) -> Result<(), String> {
        let response = self.send("HEAD", None, empty(), EMPTY_SHA256, None).await?;
        match response.status().as_u16() {
            200 => Ok(()),
            404 => Err(format!("the bucket {} does not exist at {}", self.config.bucket, self.config.endpoint)),
            403 => Err(format!("the bucket {} refuses these keys (403)", self.config.bucket)),
            s => Err(format!("the bucket {} answered {s}", self.config.bucket)),
        }
    }

    fn key(&self, id: AttachmentId) -> String {
        format!("{}{}", self.config.prefix, id.0.simple())
    }

    /// The request's path as signed and sent: each part URI-encoded.
    fn path(&self, key: Option<&str>) -> String {
        let mut path = self.base_path.clone();
        if self.config.path_style {
            path.push('/');
            path.push_str(&self.config.bucket);
        }
        path.push('/');
        if let Some(key) = key {
            path.push_str(&encode_path(key));
        }
        path
    }

    async fn client(&self) -> Result<&Client<Https, Body>, String> {
        self.client
            .get_or_try_init(|| async {
                crate::webhooks::client(HttpConnector::new(), Duration::from_secs(10), 16, "S3")
            })
            .await
    }

    async fn send(
        &self,
        method: &str,
        key: Option<&str>,
        body: Body,
        payload_sha256: &str,
        put: Option<(u64, &str)>,
    ) -> Result<hyper::Response<hyper::body::Incoming>, String> {
        let path = self.path(key);
        let now = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string();
        let mut headers = vec![
            ("host", self.host.clone()),
            ("x-amz-content-sha256", payload_sha256.to_owned()),
            ("x-amz-date", now.clone()),
        ];
        if let Some((length, content_type)) = put {
            headers.push(("content-length", length.to_string()));
            headers.push(("content-type", content_type.to_owned()));
        }
        let signing = Signing {
            method,
            path: &path,
            query: "",
            headers: &headers,
            payload_sha256,
            amz_date: &now,
            region: &self.config.region,
            access_key: &self.config.access_key,
            secret_key: &self.config.secret_key,
        };
        let mut request = hyper::Request::builder()
            .method(method)
            .uri(format!("{}://{}{}", self.scheme, self.host, path))
            .header("authorization", signing.authorization())
            .header("user-agent", concat!("Frontline/", env!("CARGO_PKG_VERSION")));
        for (name, value) in &headers {
            request = request.header(*name, value);
        }
        let request = request.body(body).map_err(|e| format!("building the request: {e}"))?;
        let client = self.client().await?;
        tokio::time::timeout(TIMEOUT, client.request(request))
            .await
            .map_err(|_| format!("no answer from {} within {} s", self.config.endpoint, TIMEOUT.as_secs()))?
            .map_err(|e| crate::webhooks::describe(&e))
    }

    /// The answer's body (an error's XML, or a read object), read whole.
    async fn body(response: hyper::Response<hyper::body::Incoming>) -> Result<Bytes, String> {
        tokio::time::timeout(TIMEOUT, response.into_body().collect())
            .await
            .map_err(|_| "the answer stalled".to_owned())?
            .map(|b| b.to_bytes())
            .map_err(|e| format!("reading the answer: {e}"))
    }

    async fn failed(what: &str, response: hyper::Response<hyper::body::Incoming>) -> String {
        let status = response.status();
        let body = Self::body(response).await.unwrap_or_default();
        match error_code(&body) {
            Some(code) => format!("{what}: the bucket answered {status} {code}"),
            None => format!("{what}: the bucket answered {status}"),
        }
    }
}

#[async_trait::async_trait]
impl FileStorage for S3Storage {
    async fn keep(&self, file: Received<'_>) -> Result<(), String> {
        let result = async {
            let local = tokio::fs::File::open(file.path).await.map_err(|e| format!("opening the upload: {e}"))?;
            let key = self.key(file.id);
            let response = self
                .send("PUT", Some(&key), file_body(local), file.sha256, Some((file.size, file.content_type)))
                .await?;
            if response.status().is_success() { Ok(()) } else { Err(Self::failed("putting the file", response).await) }
        }
        .await;
        let _ = tokio::fs::remove_file(file.path).await;
        result
    }

    async fn read(&self, id: AttachmentId) -> Result<Vec<u8>, String> {
        let response = self.send("GET", Some(&self.key(id)), empty(), EMPTY_SHA256, None).await?;
        if !response.status().is_success() {
            return Err(Self::failed("reading the file", response).await);
        }
        Ok(Self::body(response).await?.to_vec())
    }

    async fn delete(&self, id: AttachmentId) -> Result<(), String> {
        let response = self.send("DELETE", Some(&self.key(id)), empty(), EMPTY_SHA256, None).await?;
        // S3 answers 204 whether or not the object was there; some servers say 404.
        if response.status().is_success() || response.status().as_u16() == 404 {
            Ok(())
        } else {
            Err(Self::failed("deleting the file", response).await)
        }
    }
}

/// SHA-256 of no bytes.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn empty() -> Body {
    Empty::new().map_err(|never| match never {}).boxed_unsync()
}

/// A local file as a request body, read a piece at a time (never held whole).
fn file_body(file: tokio::fs::File) -> Body {
    use tokio::io::AsyncReadExt;
    let pieces = futures_util::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut buf = vec![0u8; CHUNK];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(Frame::data(Bytes::from(buf))), Some(file)))
            }
            Err(e) => Some((Err(e), None)),
        }
    });
    StreamBody::new(pieces).boxed_unsync()
}

/// The `<Code>` of an S3 error answer.
fn error_code(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let start = text.find("<Code>")? + "<Code>".len();
    let len = text[start..].find("</Code>")?;
    Some(text[start..start + len].chars().take(64).collect())
}

/// A path URI-encoded as Signature Version 4 wants it: every byte but the unreserved ones and
/// `/` as `%XX`.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What a request's Signature Version 4 is computed from.
struct Signing<'a> {
    method: &'a str,
    /// Already URI-encoded.
    path: &'a str,
    /// Already canonical (sorted, encoded); empty for none.
    query: &'a str,
    /// Every signed header, names in lowercase.
    headers: &'a [(&'a str, String)],
    payload_sha256: &'a str,
    /// `YYYYMMDDTHHMMSSZ`.
    amz_date: &'a str,
    region: &'a str,
    access_key: &'a str,
    secret_key: &'a str,
}

impl Signing<'_> {
    fn authorization(&self) -> String {
        use sha2_sign::Digest;
        let mut headers: Vec<(&str, &str)> = self.headers.iter().map(|(n, v)| (*n, v.trim())).collect();
        headers.sort_by(|a, b| a.0.cmp(b.0));
        let signed: Vec<&str> = headers.iter().map(|(n, _)| *n).collect();
        let signed = signed.join(";");
        let canonical_headers: String = headers.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
        let canonical = format!(
            "{}\n{}\n{}\n{canonical_headers}\n{signed}\n{}",
            self.method, self.path, self.query, self.payload_sha256
        );
        let day = &self.amz_date[..8.min(self.amz_date.len())];
        let scope = format!("{day}/{}/s3/aws4_request", self.region);
        let to_sign =
            format!("AWS4-HMAC-SHA256\n{}\n{scope}\n{}", self.amz_date, hex(&sha2_sign::Sha256::digest(canonical)));
        let key = [day, self.region, "s3", "aws4_request"]
            .iter()
            .fold(format!("AWS4{}", self.secret_key).into_bytes(), |key, part| hmac(&key, part.as_bytes()));
        let signature = hex(&hmac(&key, to_sign.as_bytes()));
        format!("AWS4-HMAC-SHA256 Credential={}/{scope},SignedHeaders={signed},Signature={signature}", self.access_key)
    }
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    use hmac::{KeyInit, Mac};
    let mut mac = hmac::Hmac::<sha2_sign::Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of Amazon's Signature Version 4 documentation ("GET object" with a
    /// range, example keys and date).
    #[test]
    fn the_signature_matches_the_documented_example() {
        let headers = [
            ("host", "examplebucket.s3.amazonaws.com".to_owned()),
            ("range", "bytes=0-9".to_owned()),
            ("x-amz-content-sha256", EMPTY_SHA256.to_owned()),
            ("x-amz-date", "20130524T000000Z".to_owned()),
        ];
        let signing = Signing {
            method: "GET",
            path: "/test.txt",
            query: "",
            headers: &headers,
            payload_sha256: EMPTY_SHA256,
            amz_date: "20130524T000000Z",
            region: "us-east-1",
            access_key: "AKIAIOSFODNN7EXAMPLE",
            secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        };
        assert_eq!(
            signing.authorization(),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,\
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,\
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }

    fn config(endpoint: &str, path_style: bool) -> S3Config {
        S3Config {
            endpoint: endpoint.into(),
            bucket: "files".into(),
            region: "us-east-1".into(),
            access_key: "a".into(),
            secret_key: "s".into(),
            prefix: "chat/".into(),
            path_style,
        }
    }

    #[test]
    fn objects_are_addressed_in_path_or_virtual_hosted_style() {
        let id = AttachmentId(uuid::Uuid::nil());
        let s = S3Storage::new(config("http://127.0.0.1:9000/", true)).expect("valid");
        assert_eq!(
            (s.host.as_str(), s.path(Some(&s.key(id)))),
            ("127.0.0.1:9000", format!("/files/chat/{}", "0".repeat(32)))
        );
        let s = S3Storage::new(config("https://s3.example.net/base", false)).expect("valid");
        assert_eq!((s.host.as_str(), s.path(None)), ("files.s3.example.net", "/base/".to_owned()));
        assert_eq!(encode_path("a b/ü+"), "a%20b/%C3%BC%2B");
    }

    #[test]
    fn wrong_settings_name_the_setting() {
        let cases = [
            (config("ftp://x", true), "s3.endpoint"),
            (S3Config { bucket: "No_Caps".into(), ..config("http://x", true) }, "s3.bucket"),
            (S3Config { secret_key: " ".into(), ..config("http://x", true) }, "s3.secret_key"),
            (S3Config { prefix: "/abs".into(), ..config("http://x", true) }, "s3.prefix"),
        ];
        for (c, field) in cases {
            let e = S3Storage::new(c).err().expect("refused");
            assert!(e.starts_with(field), "{e}");
        }
    }

    #[test]
    fn an_error_answer_gives_its_code() {
        assert_eq!(
            error_code(b"<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>x</Message></Error>").as_deref(),
            Some("NoSuchKey")
        );
        assert_eq!(error_code(b"not xml"), None);
    }
}
