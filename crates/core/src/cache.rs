//! A per-node cache of values read from the store, each kept `ttl` ms.
//!
//! When an entry expires, the first caller to notice refreshes it and every other caller keeps
//! the old value meanwhile (stale while one revalidates), so a hot entry never sends every
//! request in flight to the store at the same moment. Changes made on this node are put in at
//! once; other nodes' changes show within `ttl`.
//!
//! Only a transient failure (the store unreachable) keeps serving the old value; an answer
//! about the data ("no such channel" — deleted, or asked for by another workspace) removes the
//! entry, so nothing is served that the store itself would refuse.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

/// Whether a failed read may fall back to the previous value.
pub trait Transient {
    fn is_transient(&self) -> bool;
}

impl Transient for crate::CoreError {
    fn is_transient(&self) -> bool {
        matches!(self, crate::CoreError::Unavailable(_))
    }
}

pub struct TtlCache<K, V> {
    entries: Mutex<HashMap<K, (Arc<V>, i64)>>,
    /// Held while a missing entry is read, so a cold start reads it once, not once per request
    /// in flight.
    loading: tokio::sync::Mutex<()>,
}

impl<K, V> Default for TtlCache<K, V> {
    fn default() -> Self {
        Self { entries: Mutex::new(HashMap::new()), loading: tokio::sync::Mutex::new(()) }
    }
}

/// What a lookup found.
pub enum Lookup<V> {
    /// Fresh, or expired but another caller is reading it again: use it.
    Use(Arc<V>),
    /// This caller reads it again; the old value (if any) is the fallback if that fails.
    Refresh(Option<Arc<V>>),
}

impl<K: Eq + Hash + Copy, V> TtlCache<K, V> {
    pub fn lookup(&self, key: K, now: i64, ttl: i64) -> Lookup<V> {
        let Ok(mut entries) = self.entries.lock() else { return Lookup::Refresh(None) };
        match entries.get_mut(&key) {
            Some((v, at)) if now - *at < ttl => Lookup::Use(v.clone()),
            Some((v, at)) => {
                // This caller refreshes; the others see it fresh until then.
                *at = now;
                Lookup::Refresh(Some(v.clone()))
            }
            None => Lookup::Refresh(None),
        }
    }

    fn fresh(&self, key: K, now: i64, ttl: i64) -> Option<Arc<V>> {
        let entries = self.entries.lock().ok()?;
        entries.get(&key).filter(|(_, at)| now - *at < ttl).map(|(v, _)| v.clone())
    }

    pub fn put(&self, key: K, value: Arc<V>, now: i64) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(key, (value, now));
        }
    }

    pub fn forget(&self, key: K) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(&key);
        }
    }

    /// The value of `key`: cached, or read by `load` (one caller at a time per expiry; a
    /// transient failure keeps serving the old value when there is one).
    pub async fn get_or_load<E: std::fmt::Display + Transient, F: std::future::Future<Output = Result<V, E>>>(
        &self,
        key: K,
        now: i64,
        ttl: i64,
        load: impl FnOnce() -> F,
    ) -> Result<Arc<V>, E> {
        let stale = match self.lookup(key, now, ttl) {
            Lookup::Use(v) => return Ok(v),
            Lookup::Refresh(stale) => stale,
        };
        let _loading = match stale {
            Some(_) => None,
            None => {
                let guard = self.loading.lock().await;
                // Someone else may have read it while this caller waited.
                if let Some(v) = self.fresh(key, now, ttl) {
                    return Ok(v);
                }
                Some(guard)
            }
        };
        match load().await {
            Ok(v) => {
                let v = Arc::new(v);
                self.put(key, v.clone(), now);
                Ok(v)
            }
            Err(e) => match stale {
                Some(v) if e.is_transient() => {
                    tracing::warn!(error = %e, "cache refresh failed; serving the previous value");
                    Ok(v)
                }
                _ => {
                    self.forget(key);
                    Err(e)
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Test errors: "down" is transient, "gone" is an answer about the data.
    impl Transient for &str {
        fn is_transient(&self) -> bool {
            *self == "down"
        }
    }

    #[tokio::test]
    async fn an_answer_about_the_data_is_not_covered_by_the_old_value() {
        let c: TtlCache<u8, &str> = TtlCache::default();
        c.get_or_load(1, 0, 100, || async { Ok::<_, &str>("first") }).await.expect("load");
        assert!(c.get_or_load(1, 200, 100, || async { Err::<&str, _>("gone") }).await.is_err());
        assert!(matches!(c.lookup(1, 201, 100), Lookup::Refresh(None)), "the entry is gone");
    }

    #[tokio::test]
    async fn one_caller_refreshes_an_expired_entry_and_the_others_keep_the_old_value() {
        let c: TtlCache<u8, &str> = TtlCache::default();
        let v = c.get_or_load(1, 0, 100, || async { Ok::<_, &str>("first") }).await.expect("load");
        assert_eq!(*v, "first");
        assert!(matches!(c.lookup(1, 50, 100), Lookup::Use(_)));
        // Expired: the first caller gets to refresh, the next one uses the old value.
        assert!(matches!(c.lookup(1, 150, 100), Lookup::Refresh(Some(_))));
        assert!(matches!(c.lookup(1, 151, 100), Lookup::Use(v) if *v == "first"));
        // A failed refresh serves what was there; with nothing there, it fails.
        let v = c.get_or_load(1, 400, 100, || async { Err::<&str, _>("down") }).await.expect("stale");
        assert_eq!(*v, "first");
        assert!(c.get_or_load(2, 400, 100, || async { Err::<&str, _>("down") }).await.is_err());
        c.forget(1);
        assert!(matches!(c.lookup(1, 401, 100), Lookup::Refresh(None)));
    }
}
