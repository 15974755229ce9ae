//! Secrets given to browsers (session and visitor tokens, site keys). Only a SHA-256 of a
//! token is stored, so a database leak does not hand out sessions.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// A new random token: 32 bytes, base64url (43 characters).
pub fn new_token() -> Result<String, crate::CoreError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| crate::CoreError::Internal(format!("no randomness: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// What is stored for a token.
pub fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// A random string of `n` characters from `[a-z0-9]`, for readable keys and passwords.
pub fn random_alnum(n: usize) -> Result<String, crate::CoreError> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| crate::CoreError::Internal(format!("no randomness: {e}")))?;
    Ok(bytes.iter().map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char).collect())
}

/// Compares two secrets without leaking where the first difference is.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_random_and_hash_stably() {
        let (a, b) = (super::new_token().expect("a"), super::new_token().expect("b"));
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(super::hash(&a), super::hash(&a));
        assert_ne!(super::hash(&a), super::hash(&b));
        assert_eq!(super::random_alnum(12).expect("alnum").len(), 12);
    }
}
