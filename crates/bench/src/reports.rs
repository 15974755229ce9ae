//! The reports phase (`--history N --reports`): the history seed with its event log spread over
//! the last 29 days; the server folds the log into the reports' rollups (timed until a report
//! counts every seeded dialog), then reports over 30 days in each grouping and the live board
//! are read over HTTP, one at a time.

use crate::history::{sign_in, timed as get};
use crate::stats::Samples;
use anyhow::Result;
use std::time::Instant;

pub async fn measure(base: &str, email: &str, password: &str, dialogs: i64) -> Result<()> {
    let http = reqwest::Client::new();
    let cookie = sign_in(&http, base, email, password).await?;
    let today = jiff::Zoned::now().date();
    let from = today.checked_sub(jiff::Span::new().days(29))?;
    let period = format!("from={from}&to={today}");

    // Folding: each report folds what is new before it answers; wait until all is counted.
    let t = Instant::now();
    loop {
        let (_, r) = get(&http, &format!("{base}/api/v1/reports?{period}"), &cookie).await?;
        let counted = r["totals"]["dialogs_new"].as_i64().unwrap_or(0);
        if counted >= dialogs {
            break;
        }
        if t.elapsed().as_secs() > 3600 {
            anyhow::bail!("the reports counted {counted} of {dialogs} dialogs after an hour");
        }
    }
    let secs = t.elapsed().as_secs_f64();
    let events = dialogs * 12;
    println!(
        "folded the log of {dialogs} dialogs (about {events} events) in {secs:.1} s: {:.0} events/s",
        events as f64 / secs
    );

    let mut all = Samples::default();
    for group in ["day", "week", "channel", "operator"] {
        let mut s = Samples::default();
        let mut rows = 0;
        for i in 0..120 {
            let (ms, r) = get(&http, &format!("{base}/api/v1/reports?{period}&group={group}"), &cookie).await?;
            if i >= 20 {
                s.push(ms);
            }
            rows = r["rows"].as_array().map_or(0, Vec::len);
        }
        println!(
            "report, 30 days by {group:<9} {rows:>3} rows   p50 {:>6.2} ms   p99 {:>6.2} ms",
            s.p(50.0),
            s.p(99.0)
        );
        all.extend(s);
    }
    let mut csv = Samples::default();
    for i in 0..60 {
        let t = Instant::now();
        let resp = http.get(format!("{base}/api/v1/reports/export?{period}")).header("cookie", &cookie).send().await?;
        resp.error_for_status()?.bytes().await?;
        if i >= 10 {
            csv.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    println!("report CSV, 30 days by day:        p50 {:>6.2} ms   p99 {:>6.2} ms", csv.p(50.0), csv.p(99.0));
    println!("reports, all:                      p50 {:>6.2} ms   p99 {:>6.2} ms", all.p(50.0), all.p(99.0));
    let mut board = Samples::default();
    let mut waiting = 0;
    for i in 0..220 {
        let (ms, b) = get(&http, &format!("{base}/api/v1/board"), &cookie).await?;
        if i >= 20 {
            board.push(ms);
        }
        waiting = b["channels"].as_array().map_or(0, |c| c.iter().filter_map(|c| c["waiting"].as_i64()).sum());
    }
    println!("live board ({waiting} waiting):        p50 {:>6.2} ms   p99 {:>6.2} ms", board.p(50.0), board.p(99.0));
    Ok(())
}
