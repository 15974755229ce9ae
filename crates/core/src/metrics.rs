//! Process counters, rendered in Prometheus text format by `/metrics`. Hand-rolled atomics:
//! a handful of numbers do not need a metrics framework.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

#[derive(Default)]
pub struct Metrics {
    pub messages_visitor: AtomicU64,
    pub messages_operator: AtomicU64,
    pub messages_duplicate: AtomicU64,
    pub dialogs_created: AtomicU64,
    pub ws_operator_sockets: AtomicI64,
    pub ws_visitor_sockets: AtomicI64,
    pub ws_resyncs: AtomicU64,
    pub http_requests: AtomicU64,
    pub http_errors_5xx: AtomicU64,
    pub logins_failed: AtomicU64,
    pub webhooks_delivered: AtomicU64,
    pub webhooks_failed_attempts: AtomicU64,
}

impl Metrics {
    pub fn inc(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a webhook attempt by its outcome.
    pub fn webhook_attempt(&self, succeeded: bool) {
        Self::inc(if succeeded { &self.webhooks_delivered } else { &self.webhooks_failed_attempts });
    }

    /// The Prometheus text exposition of every counter.
    pub fn render(&self, store_backend: &str) -> String {
        let g = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let gi = |a: &AtomicI64| a.load(Ordering::Relaxed);
        let mut out = String::new();
        let mut line = |name: &str, kind: &str, help: &str, series: &[(&str, String)]| {
            out.push_str(&format!("# HELP {name} {help}\n# TYPE {name} {kind}\n"));
            for (labels, v) in series {
                out.push_str(&format!("{name}{labels} {v}\n"));
            }
        };
        line(
            "frontline_messages_total",
            "counter",
            "Messages stored, by author.",
            &[
                ("{author=\"visitor\"}", g(&self.messages_visitor).to_string()),
                ("{author=\"operator\"}", g(&self.messages_operator).to_string()),
            ],
        );
        line(
            "frontline_messages_duplicate_total",
            "counter",
            "Retried sends answered from the store.",
            &[("", g(&self.messages_duplicate).to_string())],
        );
        line(
            "frontline_dialogs_created_total",
            "counter",
            "Dialogs opened.",
            &[("", g(&self.dialogs_created).to_string())],
        );
        line(
            "frontline_websockets",
            "gauge",
            "Open WebSockets.",
            &[
                ("{kind=\"operator\"}", gi(&self.ws_operator_sockets).to_string()),
                ("{kind=\"visitor\"}", gi(&self.ws_visitor_sockets).to_string()),
            ],
        );
        line(
            "frontline_websocket_resyncs_total",
            "counter",
            "Sockets told to resync after falling behind.",
            &[("", g(&self.ws_resyncs).to_string())],
        );
        line(
            "frontline_webhook_attempts_total",
            "counter",
            "Webhook delivery attempts, by outcome.",
            &[
                ("{outcome=\"delivered\"}", g(&self.webhooks_delivered).to_string()),
                ("{outcome=\"failed\"}", g(&self.webhooks_failed_attempts).to_string()),
            ],
        );
        line(
            "frontline_http_requests_total",
            "counter",
            "HTTP requests served.",
            &[("", g(&self.http_requests).to_string())],
        );
        line(
            "frontline_http_errors_5xx_total",
            "counter",
            "HTTP answers with a 5xx status.",
            &[("", g(&self.http_errors_5xx).to_string())],
        );
        line(
            "frontline_logins_failed_total",
            "counter",
            "Refused logins.",
            &[("", g(&self.logins_failed).to_string())],
        );
        line(
            "frontline_store_info",
            "gauge",
            "The store backend in use.",
            &[(&format!("{{backend=\"{store_backend}\"}}"), "1".into())],
        );
        out
    }
}
