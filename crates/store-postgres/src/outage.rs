//! When the database was last out of reach, as this process saw it: after that, pooled
//! connections are pinged before use for a while, whatever their idle time.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long after an outage every connection handed out is pinged.
const CAREFUL_FOR: Duration = Duration::from_secs(60);

static START: LazyLock<Instant> = LazyLock::new(Instant::now);
/// Milliseconds since `START` of the last error that said the database is out of reach, plus
/// one (0: none seen).
static LAST: AtomicU64 = AtomicU64::new(0);

/// An error said the database is out of reach.
pub(crate) fn seen() {
    let at = START.elapsed().as_millis() as u64 + 1;
    LAST.fetch_max(at, Ordering::Relaxed);
}

/// Whether one did within the last minute.
pub(crate) fn lately() -> bool {
    let last = LAST.load(Ordering::Relaxed);
    last != 0 && START.elapsed().as_millis() as u64 + 1 - last < CAREFUL_FOR.as_millis() as u64
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_outage_is_remembered_for_a_while() {
        super::seen();
        assert!(super::lately());
    }
}
