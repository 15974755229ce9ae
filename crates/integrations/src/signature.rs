//! Standard Webhooks signatures: `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body` under
//! the key a `whsec_` secret carries in base64.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{KeyInit, Mac};

type HmacSha256 = hmac::Hmac<sha2_sign::Sha256>;

/// The key of a `whsec_…` secret (`None`: not such a secret).
pub fn key_of(secret: &str) -> Option<Vec<u8>> {
    STANDARD.decode(secret.strip_prefix("whsec_")?).ok().filter(|k| !k.is_empty())
}

/// `v1,<signature>` of one message under one secret.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = key_of(secret)?;
    let mut mac = HmacSha256::new_from_slice(&key).ok()?;
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    Some(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

/// The `webhook-signature` header: one signature per secret, separated by spaces.
pub fn header(secrets: &[String], id: &str, timestamp: i64, body: &str) -> String {
    secrets.iter().filter_map(|s| sign(s, id, timestamp, body)).collect::<Vec<_>>().join(" ")
}

/// Whether `header` holds a valid signature of the message under `secret` (what a receiver
/// does; used by tests and by the documentation's example).
pub fn verify(secret: &str, header: &str, id: &str, timestamp: i64, body: &str) -> bool {
    let Some(expected) = sign(secret, id, timestamp, body) else { return false };
    header
        .split(' ')
        .any(|candidate| frontline_core::tokens::constant_time_eq(candidate.as_bytes(), expected.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Computed independently with Python's hmac and base64 modules:
    // base64(hmac.new(b"frontline-test-key-0123456789abc", b"msg_1.1700000000.{\"a\":1}", sha256))
    const SECRET: &str = "whsec_ZnJvbnRsaW5lLXRlc3Qta2V5LTAxMjM0NTY3ODlhYmM=";

    #[test]
    fn signs_id_timestamp_and_body_as_the_specification_says() {
        let sig = sign(SECRET, "msg_1", 1_700_000_000, "{\"a\":1}").expect("sign");
        assert_eq!(sig, "v1,Pk9TYTTITAU1a78mSU0bVKmGhabc79MoMzOApy5/V04=");
        assert!(verify(SECRET, &format!("v1,bm9wZQ== {sig}"), "msg_1", 1_700_000_000, "{\"a\":1}"));
        assert!(!verify(SECRET, &sig, "msg_1", 1_700_000_001, "{\"a\":1}"), "another timestamp");
        assert!(!verify(SECRET, &sig, "msg_1", 1_700_000_000, "{\"a\":2}"), "another body");
        assert!(sign("not-a-secret", "m", 1, "b").is_none());
        let two = header(&[SECRET.into(), "whsec_b3RoZXI=".into()], "msg_1", 1_700_000_000, "{\"a\":1}");
        assert_eq!(two.split(' ').count(), 2);
        assert!(verify("whsec_b3RoZXI=", &two, "msg_1", 1_700_000_000, "{\"a\":1}"));
    }
}
