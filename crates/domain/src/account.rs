//! Workspaces and the people who work in them.

use crate::error::DomainError;
use crate::ids::{OperatorId, WorkspaceId};
use crate::time::Timestamp;

/// What an operator may do. Ordered: an admin can do all a supervisor can, and so on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Operator,
    Supervisor,
    Admin,
}

impl Role {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s {
            "admin" => Ok(Self::Admin),
            "supervisor" => Ok(Self::Supervisor),
            "operator" => Ok(Self::Operator),
            _ => Err(DomainError::invalid("role", "must be admin, supervisor or operator")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Supervisor => "supervisor",
            Self::Operator => "operator",
        }
    }

    /// Admins and supervisors see every channel of the workspace.
    pub fn sees_all_channels(self) -> bool {
        self >= Self::Supervisor
    }
}

/// An e-mail address, trimmed and lower-cased. Deliberately a light check: one `@`, a
/// non-empty local part and a domain with a dot, at most 254 characters as sent; the mail
/// server is the final judge.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let bad = || DomainError::invalid("email", "not an e-mail address");
        if s.chars().count() > 254 {
            return Err(bad());
        }
        let s = s.trim().to_lowercase();
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad());
        }
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        if local.is_empty()
            || domain.contains('@')
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
        {
            return Err(bad());
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The name an operator shows to visitors ("Анна"), 1–80 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        parse_name(s, "display_name").map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub fn parse_name(s: &str, field: &'static str) -> Result<String, DomainError> {
    let cleaned = crate::text::clean_name(s);
    let s = cleaned.trim();
    if s.is_empty() {
        return Err(DomainError::invalid(field, "must not be empty"));
    }
    if s.chars().count() > 80 {
        return Err(DomainError::invalid(field, "must be at most 80 characters"));
    }
    if s.chars().any(char::is_control) {
        return Err(DomainError::invalid(field, "must not contain control characters"));
    }
    Ok(s.to_owned())
}

/// A password as typed: 8 to 256 characters. Never stored; only its argon2id hash is.
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 8;

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let n = s.chars().count();
        if n < Self::MIN_CHARS {
            return Err(DomainError::invalid("password", "must be at least 8 characters"));
        }
        if n > 256 {
            return Err(DomainError::invalid("password", "must be at most 256 characters"));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A workspace's short name used at login when an e-mail exists in several workspaces:
/// 2–40 characters of `a-z`, `0-9` and `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WorkspaceSlug(String);

impl WorkspaceSlug {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim().to_lowercase();
        let ok_len = (2..=40).contains(&s.len());
        let ok_chars = s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok_len || !ok_chars || s.starts_with('-') || s.ends_with('-') {
            return Err(DomainError::invalid("workspace", "2–40 characters: a-z, 0-9 and -"));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One company's account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    pub id: WorkspaceId,
    pub slug: WorkspaceSlug,
    pub name: String,
    pub created_at: Timestamp,
}

/// A person who answers visitors (or administers the workspace).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    pub id: OperatorId,
    pub workspace_id: WorkspaceId,
    pub email: Email,
    pub display_name: DisplayName,
    pub role: Role,
    /// argon2id PHC string.
    pub password_hash: String,
    pub created_at: Timestamp,
    /// Most active dialogs at once.
    pub capacity: crate::assignment::Capacity,
    pub presence: crate::assignment::Presence,
    /// Set when an admin deactivated him: he cannot sign in, his history stays.
    pub deactivated_at: Option<Timestamp>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(Email::parse("  Anna@Example.COM ").map(|e| e.0), Ok("anna@example.com".into()));
        for bad in ["", "anna", "anna@", "@example.com", "anna@example", "a b@example.com", "a@b@c.com", "a@.com"] {
            assert!(Email::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(DisplayName::parse(" Анна ").map(|n| n.0), Ok("Анна".into()));
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"я".repeat(80)).is_ok());
        assert!(DisplayName::parse(&"я".repeat(81)).is_err());
        assert!(DisplayName::parse("a\u{7}b").is_err());
    }

    #[test]
    fn roles_order_and_parse() {
        assert!(Role::Admin.sees_all_channels());
        assert!(Role::Supervisor.sees_all_channels());
        assert!(!Role::Operator.sees_all_channels());
        for r in [Role::Admin, Role::Supervisor, Role::Operator] {
            assert_eq!(Role::parse(r.as_str()), Ok(r));
        }
        assert!(Role::parse("root").is_err());
    }

    #[test]
    fn passwords_have_a_minimum() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse("long enough").is_ok());
        assert_eq!(format!("{:?}", Password::parse("long enough").ok()), "Some(Password(***))");
    }

    #[test]
    fn slugs() {
        assert!(WorkspaceSlug::parse("kitchen-msk").is_ok());
        for bad in ["a", "-ab", "ab-", "Кухня", "a b"] {
            assert!(WorkspaceSlug::parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}
