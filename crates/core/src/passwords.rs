//! Passwords: argon2id hashes, computed and checked off the async threads.

use crate::App;
use crate::error::CoreError;
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use frontline_domain::Password;

fn argon2(app: &App) -> Result<Argon2<'static>, CoreError> {
    let params = Params::new(app.config.argon2_m_kib, app.config.argon2_t, 1, None)
        .map_err(|e| CoreError::Internal(format!("argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// The argon2id PHC string of a password, computed off the async threads.
pub async fn hash_password(app: &App, password: &Password) -> Result<String, CoreError> {
    let hasher = argon2(app)?;
    let pw = password.expose().to_owned();
    tokio::task::spawn_blocking(move || hasher.hash_password(pw.as_bytes()).map(|h| h.to_string()))
        .await
        .map_err(|e| CoreError::Internal(format!("hashing task: {e}")))?
        .map_err(|e| CoreError::Internal(format!("hashing: {e}")))
}

pub(crate) async fn verify(app: &App, hash: String, password: String) -> Result<bool, CoreError> {
    let verifier = argon2(app)?;
    tokio::task::spawn_blocking(move || verifier.verify_password(password.as_bytes(), hash.as_str()).is_ok())
        .await
        .map_err(|e| CoreError::Internal(format!("verify task: {e}")))
}
