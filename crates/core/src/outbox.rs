//! The outbox worker: delivers the jobs the store wrote with each change, at least once.
//!
//! One task per node. It claims due jobs under a lease (another node's claim never takes a
//! job this one holds; a crash lets the lease run out and the job is delivered again with the
//! same webhook id), delivers them concurrently (jobs of one dialog to one endpoint are never
//! claimed together, so they arrive in order), and reports each attempt: done on a 2xx within
//! the timeout; otherwise again after the next step of [`RETRY_SCHEDULE`] (with jitter), and
//! failed when the schedule is over. An endpoint failing for [`DISABLE_AFTER_MS`] without a
//! success is switched off and its admins are told.
//!
//! It wakes when this node commits a change (`App::outbox_wake`), and at least every
//! `outbox_tick_ms` for jobs written on other nodes and retries that came due.

use crate::App;
use crate::error::CoreError;
use frontline_domain::Timestamp;
use frontline_store::events::{JobAttempt, JobNext, OutboxJob, WebhookEndpoint};
use std::collections::HashMap;
use std::time::Duration;

/// The waits after the first attempt: about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (eight
/// attempts in all over about a day and a quarter).
pub const RETRY_SCHEDULE: [i64; 7] = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

/// An endpoint whose deliveries keep failing this long, with no success between, is
/// switched off.
pub const DISABLE_AFTER_MS: i64 = 5 * 24 * 3600 * 1000;

/// How long a claim holds a job: well over the send timeout, so a live worker always reports
/// before another may take the job.
const LEASE_MS: i64 = 60_000;

/// Jobs claimed at once, and delivered at once.
const CLAIM_BATCH: u32 = 256;
const IN_FLIGHT: usize = 64;

/// One webhook call as the sender makes it: the body and the id are the same on every
/// attempt; the sender signs `id.timestamp.body` with each secret.
#[derive(Debug, Clone)]
pub struct WebhookRequest {
    pub url: String,
    /// `webhook-id`: `msg_` and the event's id (stable across retries and replays).
    pub id: String,
    /// `webhook-timestamp`, in seconds: the time of this attempt.
    pub timestamp: i64,
    pub body: String,
    /// The endpoint's secrets (`whsec_…`): one, or two while a rotation lets the old one sign.
    pub secrets: Vec<String>,
}

/// What came back.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WebhookResponse {
    pub status: Option<u16>,
    /// The first bytes of the answer (lossy UTF-8).
    pub excerpt: Option<String>,
    pub latency_ms: i64,
    /// Why there was no answer, or why the answer is not a success (a redirect, a refused
    /// address, a timeout).
    pub error: Option<String>,
}

impl WebhookResponse {
    pub fn succeeded(&self) -> bool {
        self.error.is_none() && self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// How webhooks leave the server (`frontline-integrations` makes the real one).
#[async_trait::async_trait]
pub trait WebhookSender: Send + Sync {
    async fn send(&self, request: WebhookRequest) -> WebhookResponse;
}

/// The sender of an app built without one: every delivery fails and says why.
pub struct NoSender;

#[async_trait::async_trait]
impl WebhookSender for NoSender {
    async fn send(&self, _: WebhookRequest) -> WebhookResponse {
        WebhookResponse { error: Some("this server has no webhook sender".into()), ..Default::default() }
    }
}

/// When attempt `attempts` (1 = the first) failed at `now`: the next try, or `Failed`.
/// `jitter` in [0, 1) spreads retries over ±10 % of the wait.
pub fn next_after_failure(attempts: i64, now: Timestamp, jitter: f64) -> JobNext {
    let Some(wait) = usize::try_from(attempts - 1).ok().and_then(|i| RETRY_SCHEDULE.get(i)) else {
        return JobNext::Failed;
    };
    let spread = (*wait as f64 * 0.2 * (jitter - 0.5)) as i64;
    JobNext::RetryAt(Timestamp(now.0 + wait + spread))
}

fn jitter() -> f64 {
    let mut b = [0u8; 4];
    if getrandom::fill(&mut b).is_err() {
        return 0.5;
    }
    f64::from(u32::from_le_bytes(b)) / (f64::from(u32::MAX) + 1.0)
}

/// Runs until `stop` turns true.
pub async fn run(app: App, mut stop: tokio::sync::watch::Receiver<bool>) {
    let every = Duration::from_millis(app.config.outbox_tick_ms.max(5) as u64);
    // After a wake, a pause this short before the next look: a busy message path wakes the
    // worker often, and it looks at most this often.
    let settle = Duration::from_millis(5);
    let mut last_purge = i64::MIN;
    let mut last_look: Option<std::time::Instant> = None;
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = app.outbox_wake.notified() => tokio::time::sleep(settle).await,
            _ = stop.changed() => break,
        }
        if *stop.borrow() {
            break;
        }
        // Whether endpoints exist at all, read at most once a second (an endpoint made on
        // another node is delivered to by this tick meanwhile).
        if last_look.is_none_or(|t| t.elapsed() >= Duration::from_secs(1)) {
            last_look = Some(std::time::Instant::now());
            match app.store.any_enabled_webhook().await {
                Ok(any) => app.webhooks_exist.store(any, std::sync::atomic::Ordering::Relaxed),
                Err(e) => tracing::warn!(error = %e, "outbox: reading whether endpoints exist failed"),
            }
        }
        loop {
            match pass(&app).await {
                // Something was delivered: the next event of the same dialogs may be due now
                // (they are claimed one at a time, in order).
                Ok(n) if n > 0 => continue,
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "outbox pass failed");
                    break;
                }
            }
        }
        let now = app.clock.now().0;
        if now.saturating_sub(last_purge) >= 3_600_000 {
            last_purge = now;
            purge(&app).await;
        }
    }
    tracing::debug!("outbox worker stopped");
}

/// Deletes the events and finished jobs older than the retention.
async fn purge(app: &App) {
    let before = Timestamp(app.clock.now().0 - app.config.event_retention_ms);
    loop {
        match app.store.purge_events(before, 5_000).await {
            Ok(n) if n >= 5_000 => continue,
            Ok(_) => break,
            Err(e) => {
                tracing::warn!(error = %e, "purging old events failed");
                break;
            }
        }
    }
    let before = Timestamp(app.clock.now().0 - app.config.visitor_event_retention_ms);
    loop {
        match app.store.purge_visitor_events(before, 5_000).await {
            Ok(n) if n >= 5_000 => continue,
            Ok(_) => break,
            Err(e) => {
                tracing::warn!(error = %e, "purging visitors' old events failed");
                break;
            }
        }
    }
}

type Delivered = (OutboxJob, JobAttempt, JobNext, bool, Option<String>);

/// Claims what is due and delivers it; answers how many jobs it claimed. A pass writes twice
/// whatever its size: the claim, and the reports (with the bodies of first attempts).
pub async fn pass(app: &App) -> Result<usize, CoreError> {
    use futures_util::StreamExt;
    let now = app.clock.now();
    let claim = uuid::Uuid::now_v7();
    let jobs = app.store.claim_jobs(now, claim, Timestamp(now.0 + LEASE_MS), CLAIM_BATCH).await?;
    let n = jobs.len();
    if n == 0 {
        return Ok(0);
    }
    // Telegram messages and mail go their own ways (the bot's API, SMTP); webhooks below.
    let (channels, jobs): (Vec<OutboxJob>, Vec<OutboxJob>) = jobs
        .into_iter()
        .partition(|j| matches!(j.kind.as_str(), "telegram" | "email" | "email_followup" | "ticket_mail"));
    // Telegram's pace may hold its sends a second or so: webhooks go meanwhile.
    let telegram = futures_util::stream::iter(channels)
        .map(|job| async move {
            let sent = match job.kind.as_str() {
                "email" => crate::mail::channel::deliver(app, &job).await,
                "email_followup" => crate::mail::followup::deliver(app, &job).await,
                "ticket_mail" => crate::forms::deliver(app, &job).await,
                _ => crate::telegram::outbound::deliver(app, &job).await,
            };
            let fresh = if job.body.is_none() { sent.body } else { None };
            (job, sent.attempt, sent.next, sent.delivered, fresh)
        })
        .buffer_unordered(IN_FLIGHT)
        .collect::<Vec<Delivered>>();
    let (telegram_results, results) = futures_util::future::join(telegram, webhooks(app, jobs)).await;
    match results {
        Ok(results) => report(app, claim, results, telegram_results).await?,
        // What went to Telegram is reported all the same (it is not sent twice).
        Err(e) => {
            report(app, claim, Vec::new(), telegram_results).await?;
            return Err(e);
        }
    }
    Ok(n)
}

/// Delivers a pass's webhook jobs.
async fn webhooks(app: &App, jobs: Vec<OutboxJob>) -> Result<Vec<Delivered>, CoreError> {
    use futures_util::StreamExt;
    // The endpoints of the pass, read once each.
    let mut endpoints: HashMap<uuid::Uuid, Option<WebhookEndpoint>> = HashMap::new();
    for job in &jobs {
        if let std::collections::hash_map::Entry::Vacant(e) = endpoints.entry(job.target_id) {
            e.insert(match app.store.webhook(job.workspace_id, job.target_id).await {
                Ok(found) => Some(found),
                Err(frontline_store::StoreError::NotFound) => None,
                Err(err) => return Err(err.into()),
            });
        }
    }
    // The bodies of first attempts, rendered now and kept (one transaction for the pass).
    let to_render: Vec<OutboxJob> = jobs
        .iter()
        .filter(|j| j.body.is_none() && endpoints.get(&j.target_id).is_some_and(Option::is_some))
        .cloned()
        .collect();
    let mut bodies: HashMap<i64, Result<String, String>> = crate::webhooks::render_many(app, &to_render)
        .await?
        .into_iter()
        .map(|(pos, r)| (pos, r.map_err(|e| format!("the event could not be rendered: {e}"))))
        .collect();
    let work: Vec<Work> = jobs
        .into_iter()
        .map(|job| {
            let endpoint = endpoints.get(&job.target_id).cloned().flatten();
            let body = job.body.clone().map(Ok).or_else(|| bodies.remove(&job.pos));
            (job, endpoint, body)
        })
        .collect();
    Ok(futures_util::stream::iter(work)
        .map(|(job, endpoint, body): Work| async move {
            let fresh = if job.body.is_none() { body.clone().and_then(Result::ok) } else { None };
            let (attempt, next, delivered) = deliver(app, &job, endpoint.as_ref(), body).await;
            (job, attempt, next, delivered, fresh)
        })
        .buffer_unordered(IN_FLIGHT)
        .collect()
        .await)
}

async fn report(
    app: &App,
    claim: uuid::Uuid,
    mut results: Vec<Delivered>,
    telegram_results: Vec<Delivered>,
) -> Result<(), CoreError> {
    results.extend(telegram_results);
    // A first attempt's body is kept with its report: every later attempt and replay sends
    // the same bytes. (A worker that dies before reporting leaves no body: the redelivery
    // renders it again.)
    let reports: Vec<(OutboxJob, Option<String>, JobAttempt, JobNext)> =
        results.iter().map(|(j, a, next, _, fresh)| (j.clone(), fresh.clone(), a.clone(), *next)).collect();
    let done = app.store.report_jobs(claim, &reports, Timestamp(app.clock.now().0 - DISABLE_AFTER_MS)).await?;
    for ((job, _, _, delivered, _), report) in results.iter().zip(done) {
        if job.kind == "webhook" {
            app.metrics.webhook_attempt(*delivered);
        }
        if report.stale {
            tracing::warn!(job = job.pos, "a delivery's claim ran out before its report; it will be sent again");
        }
        if report.endpoint_disabled
            && let Ok(e) = app.store.webhook(job.workspace_id, job.target_id).await
        {
            crate::webhooks::disabled_for_failing(app, &e).await;
        }
    }
    Ok(())
}

/// A job of a pass with its endpoint (none: deleted) and its body (an error: not renderable).
type Work = (OutboxJob, Option<WebhookEndpoint>, Option<Result<String, String>>);

/// One attempt of one job: what happened, and what becomes of the job.
async fn deliver(
    app: &App,
    job: &OutboxJob,
    endpoint: Option<&WebhookEndpoint>,
    body: Option<Result<String, String>>,
) -> (JobAttempt, JobNext, bool) {
    let started = app.clock.now();
    // A replay or a test goes to an endpoint that is off too: an admin asked for it.
    let asked = job.generation > 0 || job.event_kind == "webhook.test";
    let refused = match endpoint {
        None => Some("the endpoint was deleted"),
        Some(e) if !e.enabled && !asked => Some("the endpoint is disabled"),
        Some(_) => None,
    };
    let response = match (endpoint, body) {
        (Some(e), Some(Ok(body))) if refused.is_none() => {
            let mut secrets = vec![e.secret.clone()];
            if let (Some(old), Some(until)) = (&e.previous_secret, e.previous_until)
                && until.0 > started.0
            {
                secrets.push(old.clone());
            }
            let request = WebhookRequest {
                url: e.url.clone(),
                id: crate::webhooks::message_id(job.event_id),
                timestamp: started.0.div_euclid(1000),
                body,
                secrets,
            };
            app.webhooks.send(request).await
        }
        (_, Some(Err(why))) if refused.is_none() => WebhookResponse { error: Some(why), ..Default::default() },
        _ => WebhookResponse { error: Some(refused.unwrap_or("nothing to send").to_owned()), ..Default::default() },
    };
    let now = app.clock.now();
    let next = if response.succeeded() {
        JobNext::Done
    } else if refused.is_some() {
        JobNext::Failed
    } else {
        next_after_failure(job.attempts, now, jitter())
    };
    let attempt = JobAttempt {
        attempt: job.attempts,
        at: now,
        status_code: response.status.map(i64::from),
        response_excerpt: response.excerpt.clone(),
        latency_ms: Some(response.latency_ms),
        error: response.error.clone(),
    };
    (attempt, next, response.succeeded())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_grows_with_jitter_and_ends() {
        let now = Timestamp(1_000_000);
        assert_eq!(next_after_failure(1, now, 0.5), JobNext::RetryAt(Timestamp(1_005_000)));
        assert_eq!(next_after_failure(2, now, 0.5), JobNext::RetryAt(Timestamp(1_300_000)));
        let JobNext::RetryAt(low) = next_after_failure(3, now, 0.0) else { panic!("retry") };
        let JobNext::RetryAt(high) = next_after_failure(3, now, 0.999) else { panic!("retry") };
        assert!(low.0 >= now.0 + 1_620_000 && high.0 <= now.0 + 1_980_000 && low < high);
        assert_eq!(next_after_failure(8, now, 0.5), JobNext::Failed, "eight attempts in all");
        assert_eq!(next_after_failure(7, now, 0.5), JobNext::RetryAt(Timestamp(now.0 + 36_000_000)));
        let total: i64 = RETRY_SCHEDULE.iter().sum();
        assert!((27 * 3_600_000..=28 * 3_600_000).contains(&total), "about a day and a quarter: {total}");
    }

    #[test]
    fn only_a_2xx_without_an_error_succeeds() {
        let ok = |status| WebhookResponse { status: Some(status), ..Default::default() };
        assert!(ok(200).succeeded() && ok(204).succeeded());
        assert!(!ok(301).succeeded() && !ok(500).succeeded() && !ok(199).succeeded());
        assert!(!WebhookResponse { status: Some(200), error: Some("late".into()), ..Default::default() }.succeeded());
    }
}
