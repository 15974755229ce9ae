//! Secrets kept at rest (a Telegram bot's token): sealed with ChaCha20-Poly1305 under the
//! install's key, bound to the row they belong to, so a database copy alone reveals nothing
//! and a sealed value moved to another row does not open.
//!
//! The key is 32 bytes: `FRONTLINE_SECRET_KEY` (base64; every node of an install must have
//! the same), or a file the server makes in its data folder at first start.

use crate::error::CoreError;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};

/// What a sealed value starts with (the format's version).
const PREFIX: &str = "v1.";

/// The install's sealing key.
#[derive(Clone)]
pub struct SealKey([u8; 32]);

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealKey(…)")
    }
}

impl SealKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// An HMAC-SHA256 of `data` under a key derived from the install's for `purpose` (each
    /// purpose its own key, so a tag of one use never passes for another).
    pub fn tag(&self, purpose: &str, data: &[u8]) -> [u8; 32] {
        use hmac::{KeyInit, Mac};
        type HmacSha256 = hmac::Hmac<sha2_sign::Sha256>;
        let derive = |key: &[u8], what: &[u8]| -> [u8; 32] {
            let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
            mac.update(what);
            mac.finalize().into_bytes().into()
        };
        derive(&derive(&self.0, purpose.as_bytes()), data)
    }

    /// A new random key.
    pub fn generate() -> Result<Self, CoreError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| CoreError::Internal(format!("no randomness: {e}")))?;
        Ok(Self(bytes))
    }

    /// A key written as base64 (standard alphabet, padded or not).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim().trim_end_matches('=');
        let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(text)
            .map_err(|e| format!("the secret key is not base64: {e}"))?;
        let bytes: [u8; 32] =
            bytes.try_into().map_err(|b: Vec<u8>| format!("the secret key must be 32 bytes, not {}", b.len()))?;
        Ok(Self(bytes))
    }

    /// The key as base64, to be kept in a file or the environment.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// Seals `secret` for the row `bound_to` (its id).
    pub fn seal(&self, secret: &str, bound_to: &[u8]) -> Result<String, CoreError> {
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut nonce).map_err(|e| CoreError::Internal(format!("no randomness: {e}")))?;
        let cipher = ChaCha20Poly1305::new(&Key::from(self.0));
        let sealed = cipher
            .encrypt(&Nonce::from(nonce), Payload { msg: secret.as_bytes(), aad: bound_to })
            .map_err(|_| CoreError::Internal("sealing failed".into()))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{}", STANDARD.encode(out)))
    }

    /// Opens what [`SealKey::seal`] made for the same row; an error when the key is another or
    /// the value was altered or moved.
    pub fn open(&self, sealed: &str, bound_to: &[u8]) -> Result<String, CoreError> {
        let refused = || CoreError::Internal("a sealed secret does not open with this install's key".into());
        let raw = sealed.strip_prefix(PREFIX).ok_or_else(refused)?;
        let raw = STANDARD.decode(raw).map_err(|_| refused())?;
        if raw.len() < 12 + 16 {
            return Err(refused());
        }
        let (nonce, body) = raw.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| refused())?;
        let cipher = ChaCha20Poly1305::new(&Key::from(self.0));
        let plain = cipher.decrypt(&Nonce::from(nonce), Payload { msg: body, aad: bound_to }).map_err(|_| refused())?;
        String::from_utf8(plain).map_err(|_| refused())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_for_its_row() {
        let key = SealKey::generate().expect("key");
        let sealed = key.seal("123456:ABC-token", b"bot-1").expect("seal");
        assert!(!sealed.contains("ABC-token"), "{sealed}");
        assert_eq!(key.open(&sealed, b"bot-1").expect("open"), "123456:ABC-token");
        assert_ne!(key.seal("123456:ABC-token", b"bot-1").expect("again"), sealed, "a fresh nonce each time");
        assert!(key.open(&sealed, b"bot-2").is_err(), "moved to another row");
        assert!(SealKey::generate().expect("other").open(&sealed, b"bot-1").is_err(), "another install's key");
        let mut altered = sealed.clone();
        altered.pop();
        altered.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert!(key.open(&altered, b"bot-1").is_err(), "altered");
        assert!(key.open("plain-token", b"bot-1").is_err());
    }

    #[test]
    fn keys_are_read_back_from_base64() {
        let key = SealKey::generate().expect("key");
        let again = SealKey::parse(&key.to_base64()).expect("parse");
        let sealed = key.seal("x", b"r").expect("seal");
        assert_eq!(again.open(&sealed, b"r").expect("open"), "x");
        assert!(SealKey::parse("c2hvcnQ=").expect_err("short").contains("32 bytes"));
        assert!(SealKey::parse("not base64 at all!").is_err());
        assert_eq!(format!("{key:?}"), "SealKey(…)", "never printed");
    }
}
