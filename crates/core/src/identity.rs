//! Who a widget visitor is on the site (issue 16): the page calls `identify(userId, {hash})`,
//! where `hash` is the lowercase hex HMAC-SHA256 of the user id under the site's identity
//! secret, computed by the site's backend. A verified visitor is the site's user `userId` in
//! every browser, with his history; nobody else can pose as him. A site that requires it
//! (the default) refuses an identify without a valid hash.

use crate::App;
use crate::actor::Admin;
use crate::error::CoreError;
use frontline_domain::{Site, SiteId};
use frontline_store::StoreError;
use frontline_store::leads::SiteIdentity;

/// A site's identity setting as admins see it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct IdentityView {
    /// The key of the HMAC the site's backend computes (keep it on the server).
    pub secret: String,
    /// An identify without a valid hash is refused (`403 identity_refused`).
    pub required: bool,
}

fn key(app: &App) -> Result<&crate::sealing::SealKey, CoreError> {
    app.config.seal_key.as_ref().ok_or_else(|| CoreError::Internal("no sealing key".into()))
}

fn site_missing(e: StoreError) -> CoreError {
    match e {
        StoreError::NotFound => CoreError::NotFound("site"),
        other => other.into(),
    }
}

/// The site's setting, with its secret (made on first asking).
pub async fn settings(app: &App, admin: &Admin<'_>, site: SiteId) -> Result<IdentityView, CoreError> {
    update(app, admin, site, None, false).await
}

/// Changes whether a hash is required, and makes a new secret when asked (`rotate`) or when
/// there is none yet. A new secret ends every hash the site's backend computed with the old one.
pub async fn update(
    app: &App,
    admin: &Admin<'_>,
    site: SiteId,
    required: Option<bool>,
    rotate: bool,
) -> Result<IdentityView, CoreError> {
    let ws = admin.workspace();
    let now = app.store.site_identity(ws, site).await.map_err(site_missing)?;
    let fresh = if rotate || now.secret.is_none() {
        Some(key(app)?.seal(&crate::tokens::new_token()?, site.0.as_bytes())?)
    } else {
        None
    };
    let after = if fresh.is_some() || required.is_some_and(|r| r != now.required) {
        app.store.set_site_identity(ws, site, fresh.as_deref(), required).await.map_err(site_missing)?
    } else {
        now
    };
    view(app, site, &after)
}

fn view(app: &App, site: SiteId, id: &SiteIdentity) -> Result<IdentityView, CoreError> {
    let sealed = id.secret.as_deref().ok_or_else(|| CoreError::Internal("no identity secret".into()))?;
    Ok(IdentityView { secret: key(app)?.open(sealed, site.0.as_bytes())?, required: id.required })
}

/// The hash a site's backend sends for `user_id` (lowercase hex of HMAC-SHA256).
pub fn hash(secret: &str, user_id: &str) -> String {
    use hmac::{KeyInit, Mac};
    type HmacSha256 = hmac::Hmac<sha2_sign::Sha256>;
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(user_id.as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether the page may say this visitor is `user_id`: with a valid hash always; without one
/// only where the site does not require it. A hash that is there but wrong is always refused.
pub(crate) async fn check(app: &App, site: &Site, user_id: &str, given: Option<&str>) -> Result<(), CoreError> {
    let id = app.store.site_identity(site.workspace_id, site.id).await?;
    match given.map(str::trim).filter(|h| !h.is_empty()) {
        Some(h) => {
            let sealed =
                id.secret.as_deref().ok_or(CoreError::IdentityRefused("this site has no identity secret yet"))?;
            let expected = hash(&key(app)?.open(sealed, site.id.0.as_bytes())?, user_id);
            if crate::tokens::constant_time_eq(h.to_ascii_lowercase().as_bytes(), expected.as_bytes()) {
                Ok(())
            } else {
                Err(CoreError::IdentityRefused("the hash does not match this user id"))
            }
        }
        None if id.required => Err(CoreError::IdentityRefused("this site requires the hash of the user id")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_hash_is_hmac_sha256_in_lowercase_hex() {
        // RFC 4231, test case 2.
        assert_eq!(
            super::hash("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
