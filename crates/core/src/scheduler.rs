//! The one task that does what time decides: operators whose sockets went quiet become
//! offline, waiting alerts fire, snoozes wake, SLA breaches are recorded, silent dialogs are
//! prompted and closed, auto-assign channels get a sweep.
//!
//! It looks every `scheduler_tick_ms` (1 s) rather than sleeping until the earliest deadline:
//! a deadline written on another node could not wake this node's sleep without a bus message
//! for every timer write, and each look is a few indexed probes that find nothing when nothing
//! is due (the partial indexes hold only pending timers).
//!
//! Nothing here keeps state of its own: every deadline is a column (an operator's `seen_at`,
//! a dialog's `queued_at` with its channel's limit), so a restart loses nothing, and each
//! firing is a conditional update, so no timer fires twice, whichever node runs it.

use crate::App;
use crate::error::CoreError;
use crate::{assignment, presence};
use frontline_domain::{OperatorId, Presence, Timestamp, WorkspaceId};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// Operators with a live socket on this node, counted per operator.
#[derive(Default)]
pub struct Sockets {
    live: Mutex<HashMap<(WorkspaceId, OperatorId), usize>>,
}

impl Sockets {
    /// Counts a socket until the guard drops.
    pub fn opened(self: &std::sync::Arc<Self>, ws: WorkspaceId, op: OperatorId) -> SocketGuard {
        if let Ok(mut live) = self.live.lock() {
            *live.entry((ws, op)).or_default() += 1;
        }
        SocketGuard { sockets: self.clone(), key: (ws, op) }
    }

    pub fn operators(&self) -> Vec<OperatorId> {
        self.live.lock().map(|l| l.keys().map(|(_, op)| *op).collect()).unwrap_or_default()
    }
}

pub struct SocketGuard {
    sockets: std::sync::Arc<Sockets>,
    key: (WorkspaceId, OperatorId),
}

impl Drop for SocketGuard {
    fn drop(&mut self) {
        if let Ok(mut live) = self.sockets.live.lock()
            && let Some(n) = live.get_mut(&self.key)
        {
            *n -= 1;
            if *n == 0 {
                live.remove(&self.key);
            }
        }
    }
}

/// What one tick did (for tests and logs).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tick {
    pub went_offline: usize,
    pub wait_alerts: usize,
    /// Snoozed dialogs back in the open list.
    pub woke: usize,
    pub uploads_deleted: usize,
    /// Expired or idle sessions deleted.
    pub sessions_purged: u64,
    /// SLA breaches recorded, auto-close prompts sent, dialogs closed by themselves.
    pub automation: crate::automation::Fired,
    /// Telegram chats whose bot stage timed out.
    pub bot_timeouts: usize,
    /// Operator notices recorded (the mail loop sends them: SMTP never holds this tick up).
    pub notices: usize,
}

/// Records that this node's operators with a socket are still there.
pub async fn heartbeat(app: &App) -> Result<(), CoreError> {
    let ops = app.sockets.operators();
    Ok(app.store.touch_operators(&ops, app.clock.now()).await?)
}

/// Does everything due at the clock's current time.
pub async fn tick(app: &App) -> Result<Tick, CoreError> {
    let now = app.clock.now();
    let mut done = Tick::default();
    let seen_before = Timestamp(now.0 - app.config.presence_grace_ms);
    for op in app.store.expire_presence(seen_before).await? {
        done.went_offline += 1;
        // Whatever it was (online or away), it is offline now.
        presence::presence_changed(app, &op, Presence::Online).await?;
    }
    done.wait_alerts = assignment::fire_wait_alerts(app, now).await?;
    done.woke = crate::conversation::wake_due(app).await?;
    done.automation = crate::automation::fire_due(app, now).await?;
    done.bot_timeouts = crate::telegram::inbound::close_idle(app).await?;
    done.notices = crate::mail::notices::collect(app).await?;
    // Unsent uploads are few and not urgent: looked at once a minute.
    if now.0 / 60_000 != (now.0 - app.config.scheduler_tick_ms.max(1)) / 60_000 {
        done.uploads_deleted = crate::files::sweep_unsent(app, now).await?;
        // Sessions past their expiry or idle limit no longer sign anyone in; their rows go.
        done.sessions_purged = crate::operators::purge_sessions(app, now).await?;
    }
    for (ws, channel) in app.store.auto_queues().await? {
        assignment::auto_assign(app, ws, channel).await;
    }
    Ok(done)
}

/// Runs [`heartbeat`] and [`tick`] until `stop` fires.
pub async fn run(app: App, mut stop: tokio::sync::watch::Receiver<bool>) {
    let every = Duration::from_millis(app.config.scheduler_tick_ms.max(10) as u64);
    let beat_every = (app.config.presence_grace_ms / 3).max(1);
    let mut last_beat = i64::MIN;
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => break,
        }
        let now = app.clock.now().0;
        if now.saturating_sub(last_beat) >= beat_every {
            match heartbeat(&app).await {
                Ok(()) => last_beat = now,
                Err(e) => tracing::warn!(error = %e, "presence heartbeat failed"),
            }
        }
        if let Err(e) = tick(&app).await {
            tracing::warn!(error = %e, "scheduler tick failed");
        }
    }
    tracing::debug!("scheduler stopped");
}
