//! Rate limits of everything the public can reach: sign-in attempts, and what a widget visitor
//! may do (new sessions per address, messages, typing, sockets, uploads, new dialogs).
//!
//! Each limit is a rate with a burst ("30 a minute"), kept per key (an e-mail, an address, a
//! visitor) by the generic cell rate algorithm: one instant per key, the time at which the key
//! would be back to a full burst. A refusal says which limit and when to come back
//! ([`CoreError::RateLimited`]). The counters live in this node's memory: with several nodes
//! behind a balancer each node counts its own share, which bounds abuse all the same, and a
//! restart forgets them (nothing a user could lose).

use crate::error::CoreError;
use std::collections::HashMap;
use std::sync::Mutex;

/// A rate: `burst` events at once, then one every `window_ms / burst`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
pub struct Rate {
    pub burst: u32,
    pub window_ms: i64,
}

impl Rate {
    pub const fn per_minute(burst: u32) -> Self {
        Self { burst, window_ms: 60_000 }
    }

    pub const fn per_hour(burst: u32) -> Self {
        Self { burst, window_ms: 3_600_000 }
    }

    /// Milliseconds one unit costs.
    fn interval(self) -> f64 {
        self.window_ms as f64 / f64::from(self.burst.max(1))
    }
}

/// Every limit's rate, from the configuration (`[limits]` in the README's table).
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimits {
    /// Off only for load tests (`rate_limits = false`).
    pub enabled: bool,
    /// Failed sign-ins per account (e-mail), then a wait that grows with each further failure.
    pub login_failures_per_account: Rate,
    /// Sign-in attempts per address.
    pub login_per_ip: Rate,
    /// New visitor sessions (new visitors, not returning ones) per address.
    pub widget_sessions_per_ip: Rate,
    /// Messages a visitor sends (REST and socket).
    pub widget_messages: Rate,
    /// Typing frames a visitor sends (the widget sends one every 2 s at most).
    pub widget_typing: Rate,
    /// Dialogs a visitor opens (a first message, an offline request, an answer to a proactive one).
    pub widget_dialogs: Rate,
    /// Files a visitor uploads, sent or not.
    pub widget_uploads: Rate,
    /// Bytes a visitor uploads (`burst` is bytes).
    pub widget_upload_bytes: Rate,
    /// Sockets one visitor holds open at once.
    pub widget_sockets_per_visitor: u32,
    /// Calls one Web API key makes (an event in a batch counts as a call).
    pub web_api_per_key: Rate,
    /// Events one visitor's page tracks (the widget's `track`).
    pub widget_events: Rate,
    /// Segment counts (previews) one workspace asks for.
    pub segment_counts: Rate,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            enabled: true,
            login_failures_per_account: Rate { burst: 5, window_ms: 15 * 60_000 },
            login_per_ip: Rate { burst: 30, window_ms: 10 * 60_000 },
            widget_sessions_per_ip: Rate { burst: 60, window_ms: 10 * 60_000 },
            widget_messages: Rate::per_minute(30),
            widget_typing: Rate::per_minute(60),
            widget_dialogs: Rate::per_hour(10),
            widget_uploads: Rate::per_hour(20),
            widget_upload_bytes: Rate::per_hour(100 * 1024 * 1024),
            widget_sockets_per_visitor: 10,
            web_api_per_key: Rate::per_minute(30_000),
            widget_events: Rate::per_minute(120),
            segment_counts: Rate::per_minute(120),
        }
    }
}

/// Which limit a key counts against; the name is what a refusal says (`details.limit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limit {
    LoginAccount,
    LoginIp,
    WidgetSessions,
    WidgetMessages,
    WidgetTyping,
    WidgetDialogs,
    WidgetUploads,
    WidgetUploadBytes,
    WidgetSockets,
    WebApi,
    WidgetEvents,
    SegmentCounts,
}

impl Limit {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::LoginAccount => "login_failures_per_account",
            Self::LoginIp => "login_per_ip",
            Self::WidgetSessions => "widget_sessions_per_ip",
            Self::WidgetMessages => "widget_messages",
            Self::WidgetTyping => "widget_typing",
            Self::WidgetDialogs => "widget_dialogs",
            Self::WidgetUploads => "widget_uploads",
            Self::WidgetUploadBytes => "widget_upload_bytes",
            Self::WidgetSockets => "widget_sockets_per_visitor",
            Self::WebApi => "web_api_per_key",
            Self::WidgetEvents => "widget_events",
            Self::SegmentCounts => "segment_counts",
        }
    }

    fn rate(self, l: &RateLimits) -> Rate {
        match self {
            Self::LoginAccount => l.login_failures_per_account,
            Self::LoginIp => l.login_per_ip,
            Self::WidgetSessions => l.widget_sessions_per_ip,
            Self::WidgetMessages => l.widget_messages,
            Self::WidgetTyping => l.widget_typing,
            Self::WidgetDialogs => l.widget_dialogs,
            Self::WidgetUploads => l.widget_uploads,
            Self::WidgetUploadBytes => l.widget_upload_bytes,
            Self::WidgetSockets => Rate { burst: l.widget_sockets_per_visitor, window_ms: 1 },
            Self::WebApi => l.web_api_per_key,
            Self::WidgetEvents => l.widget_events,
            Self::SegmentCounts => l.segment_counts,
        }
    }
}

/// Keys are kept at most this many per limit; past it, the ones back to a full burst go.
const SWEEP_AT: usize = 50_000;

/// This node's counters.
#[derive(Default)]
pub struct Limiter {
    /// Per limit and key: the instant (ms, fractional) the key is back to a full burst.
    tat: Mutex<HashMap<(Limit, String), f64>>,
    /// Open sockets per visitor.
    sockets: Mutex<HashMap<String, u32>>,
}

impl Limiter {
    /// Counts `cost` units of `limit` for `key` at `now`, or refuses (counting nothing) with
    /// how long to wait.
    pub fn hit(&self, limits: &RateLimits, limit: Limit, key: &str, cost: u64, now: i64) -> Result<(), CoreError> {
        self.take(limits, limit, key, cost, now, true)
    }

    /// Whether `cost` units would be allowed now, counting nothing.
    pub fn check(&self, limits: &RateLimits, limit: Limit, key: &str, cost: u64, now: i64) -> Result<(), CoreError> {
        self.take(limits, limit, key, cost, now, false)
    }

    fn take(
        &self,
        limits: &RateLimits,
        limit: Limit,
        key: &str,
        cost: u64,
        now: i64,
        count: bool,
    ) -> Result<(), CoreError> {
        if !limits.enabled {
            return Ok(());
        }
        let rate = limit.rate(limits);
        let interval = rate.interval();
        let now = now as f64;
        let Ok(mut map) = self.tat.lock() else { return Ok(()) };
        if map.len() > SWEEP_AT {
            map.retain(|_, tat| *tat > now);
        }
        let k = (limit, key.to_owned());
        let tat = map.get(&k).copied().unwrap_or(now).max(now);
        let new_tat = tat + interval * cost as f64;
        // Allowed while the new instant stays within one window of now.
        let over = new_tat - now - rate.window_ms as f64;
        if over > 0.0 {
            return Err(CoreError::RateLimited { limit: limit.as_str(), retry_after_ms: over.ceil() as i64 });
        }
        if count {
            map.insert(k, new_tat);
        }
        Ok(())
    }

    /// Forgets a key's count (a successful sign-in clears the account's failures).
    pub fn clear(&self, limit: Limit, key: &str) {
        if let Ok(mut map) = self.tat.lock() {
            map.remove(&(limit, key.to_owned()));
        }
    }

    /// Opens a socket of `visitor`, or refuses past the limit; the guard closes it.
    pub fn open_socket(
        self: &std::sync::Arc<Self>,
        limits: &RateLimits,
        visitor: &str,
    ) -> Result<SocketSlot, CoreError> {
        let Ok(mut map) = self.sockets.lock() else { return Err(CoreError::Internal("limiter lock".into())) };
        let n = map.entry(visitor.to_owned()).or_default();
        if limits.enabled && *n >= limits.widget_sockets_per_visitor {
            return Err(CoreError::RateLimited { limit: Limit::WidgetSockets.as_str(), retry_after_ms: 0 });
        }
        *n += 1;
        Ok(SocketSlot { limiter: self.clone(), visitor: visitor.to_owned() })
    }
}

/// One open socket of a visitor; dropping it frees the place.
pub struct SocketSlot {
    limiter: std::sync::Arc<Limiter>,
    visitor: String,
}

impl Drop for SocketSlot {
    fn drop(&mut self) {
        if let Ok(mut map) = self.limiter.sockets.lock()
            && let Some(n) = map.get_mut(&self.visitor)
        {
            *n = n.saturating_sub(1);
            if *n == 0 {
                map.remove(&self.visitor);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retry(r: Result<(), CoreError>) -> Option<i64> {
        match r {
            Ok(()) => None,
            Err(CoreError::RateLimited { retry_after_ms, .. }) => Some(retry_after_ms),
            Err(e) => panic!("unexpected {e}"),
        }
    }

    #[test]
    fn a_burst_then_one_per_interval() {
        let (l, limits) = (Limiter::default(), RateLimits::default());
        // 30 a minute: thirty at once, the 31st waits two seconds.
        for _ in 0..30 {
            assert_eq!(retry(l.hit(&limits, Limit::WidgetMessages, "v", 1, 0)), None);
        }
        assert_eq!(retry(l.hit(&limits, Limit::WidgetMessages, "v", 1, 0)), Some(2000));
        assert_eq!(retry(l.hit(&limits, Limit::WidgetMessages, "v", 1, 1999)), Some(1));
        assert_eq!(retry(l.hit(&limits, Limit::WidgetMessages, "v", 1, 2000)), None);
        // Another visitor, another key.
        assert_eq!(retry(l.hit(&limits, Limit::WidgetMessages, "w", 1, 0)), None);
        // A refusal counted nothing; a quiet minute restores the whole burst.
        for _ in 0..30 {
            assert_eq!(retry(l.hit(&limits, Limit::WidgetMessages, "v", 1, 62_000)), None);
        }
    }

    #[test]
    fn check_counts_nothing_and_clear_forgets() {
        let (l, limits) = (Limiter::default(), RateLimits::default());
        for _ in 0..5 {
            l.hit(&limits, Limit::LoginAccount, "a@example.com", 1, 0).expect("within");
        }
        assert!(l.check(&limits, Limit::LoginAccount, "a@example.com", 1, 0).is_err());
        assert_eq!(retry(l.check(&limits, Limit::LoginAccount, "a@example.com", 1, 0)), Some(180_000));
        l.clear(Limit::LoginAccount, "a@example.com");
        assert!(l.check(&limits, Limit::LoginAccount, "a@example.com", 1, 0).is_ok());
    }

    #[test]
    fn bytes_are_a_cost_and_sockets_a_count() {
        let (l, limits) = (std::sync::Arc::new(Limiter::default()), RateLimits::default());
        let mb = 1024 * 1024;
        assert!(l.hit(&limits, Limit::WidgetUploadBytes, "v", 90 * mb, 0).is_ok());
        assert!(l.hit(&limits, Limit::WidgetUploadBytes, "v", 20 * mb, 0).is_err());
        assert!(l.hit(&limits, Limit::WidgetUploadBytes, "v", 10 * mb, 0).is_ok());
        let slots: Vec<_> = (0..10).map(|_| l.open_socket(&limits, "v").expect("slot")).collect();
        assert!(l.open_socket(&limits, "v").is_err());
        drop(slots);
        assert!(l.open_socket(&limits, "v").is_ok());
        let off = RateLimits { enabled: false, ..RateLimits::default() };
        assert!(l.hit(&off, Limit::WidgetUploadBytes, "v", 1000 * mb, 0).is_ok());
    }
}
