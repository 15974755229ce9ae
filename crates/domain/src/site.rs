//! Sites (where the widget runs) and channels (where dialogs land).

use crate::error::DomainError;
use crate::ids::{ChannelId, SiteId, WorkspaceId};

/// The public key in a site's widget tag: 8–64 characters of `A-Za-z0-9_-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SiteKey(String);

impl SiteKey {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let ok = (8..=64).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !ok {
            return Err(DomainError::invalid("key", "not a widget key"));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A web origin, `scheme://host[:port]`, lower-cased, without a path or a default port.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin(String);

impl Origin {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let bad = || DomainError::invalid("origin", "must look like https://shop.example.com");
        let s = s.trim().trim_end_matches('/').to_lowercase();
        let (scheme, rest) = s.split_once("://").ok_or_else(bad)?;
        if scheme != "http" && scheme != "https" {
            return Err(bad());
        }
        if rest.is_empty() || rest.contains(['/', '?', '#', '@', ' ']) {
            return Err(bad());
        }
        let (host, port) = match rest.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || rest.starts_with('[') => (h, Some(p)),
            _ => (rest, None),
        };
        if host.is_empty() {
            return Err(bad());
        }
        let port = match port {
            Some(p) => Some(p.parse::<u16>().map_err(|_| bad())?),
            None => None,
        };
        let default = if scheme == "https" { 443 } else { 80 };
        Ok(Self(match port {
            Some(p) if p != default => format!("{scheme}://{host}:{p}"),
            _ => format!("{scheme}://{host}"),
        }))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A site with the widget: its key and the origins allowed to embed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub id: SiteId,
    pub workspace_id: WorkspaceId,
    pub name: String,
    pub key: SiteKey,
    pub allowed_origins: Vec<Origin>,
    /// Where this site's new dialogs land.
    pub channel_id: ChannelId,
}

impl Site {
    /// Whether a page of `origin` may talk to this site's widget.
    pub fn allows(&self, origin: &Origin) -> bool {
        self.allowed_origins.iter().any(|o| o == origin)
    }
}

/// A channel's name ("Москва", "Сервисный центр"): 1–80 characters after trimming.
pub fn parse_channel_name(s: &str) -> Result<String, DomainError> {
    crate::account::parse_name(s, "name")
}

/// A group of dialogs and the operators who answer them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    pub id: ChannelId,
    pub workspace_id: WorkspaceId,
    pub name: String,
    pub is_default: bool,
    pub settings: crate::queue::ChannelSettings,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised() {
        let o = |s: &str| Origin::parse(s).map(|o| o.0);
        assert_eq!(o("HTTPS://Shop.Example.com/"), Ok("https://shop.example.com".into()));
        assert_eq!(o("https://shop.example.com:443"), Ok("https://shop.example.com".into()));
        assert_eq!(o("http://127.0.0.1:8080"), Ok("http://127.0.0.1:8080".into()));
        for bad in [
            "shop.example.com",
            "ftp://x.example",
            "https://",
            "https://a.example/path",
            "https://a.example:99999",
            "https://u@a.example",
        ] {
            assert!(Origin::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn sites_allow_only_their_origins() {
        let site = Site {
            id: SiteId::new(),
            workspace_id: WorkspaceId::new(),
            name: "Shop".into(),
            key: SiteKey::parse("demo_key_123").expect("valid"),
            allowed_origins: vec![Origin::parse("https://shop.example.com").expect("valid")],
            channel_id: ChannelId::new(),
        };
        assert!(site.allows(&Origin::parse("https://shop.example.com").expect("valid")));
        assert!(!site.allows(&Origin::parse("https://evil.example.org").expect("valid")));
        assert!(!site.allows(&Origin::parse("http://shop.example.com").expect("valid")));
    }

    #[test]
    fn keys() {
        assert!(SiteKey::parse("fl_abcdEFGH1234").is_ok());
        assert!(SiteKey::parse("short").is_err());
        assert!(SiteKey::parse("has space in it").is_err());
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn parsing_an_origin_twice_changes_nothing(
            scheme in "https?|HTTPS?",
            host in "[a-zA-Z0-9]{1,10}(\\.[a-zA-Z0-9]{1,10}){0,3}",
            port in proptest::option::of(1u16..),
            slash in proptest::bool::ANY,
        ) {
            let raw = format!("{scheme}://{host}{}{}", port.map(|p| format!(":{p}")).unwrap_or_default(), if slash { "/" } else { "" });
            let once = Origin::parse(&raw).expect("a well-formed origin parses");
            let twice = Origin::parse(once.as_str()).expect("its normal form parses");
            prop_assert_eq!(&once, &twice);
            prop_assert_eq!(once.as_str(), once.as_str().to_lowercase());
            prop_assert!(!once.as_str().ends_with('/'));
        }

        #[test]
        fn anything_with_a_path_or_credentials_is_refused(host in "[a-z]{1,10}\\.example", extra in "/[a-z]{1,5}|@x|\\?q|#f") {
            let with_path = format!("https://{host}{extra}");
            let with_credentials = format!("https://{extra}{host}");
            prop_assert!(Origin::parse(&with_path).is_err());
            prop_assert!(Origin::parse(&with_credentials).is_err() || extra.starts_with('/'));
        }
    }
}
