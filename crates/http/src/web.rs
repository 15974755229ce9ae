//! The built web files (console, widget loader, widget frame) and the demo page.
//!
//! Files come from the binary (embedded at build time from `web/dist`) or, when configured,
//! from a folder on disk. The widget frame may be embedded only by its site's allowed
//! origins (CSP `frame-ancestors`); the console may not be embedded at all.

use crate::extract::QueryParams;
use crate::state::HttpState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use frontline_domain::SiteKey;
use serde::Deserialize;
use std::borrow::Cow;

#[derive(rust_embed::RustEmbed)]
#[folder = "$CARGO_MANIFEST_DIR/../../web/dist"]
#[allow_missing = true]
struct Dist;

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" => "application/json",
        "woff2" => "font/woff2",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "wav" => "audio/wav",
        _ => "application/octet-stream",
    }
}

fn read(s: &HttpState, path: &str) -> Option<Cow<'static, [u8]>> {
    if path.split('/').any(|seg| seg == ".." || seg.starts_with('.')) {
        return None;
    }
    match &s.config.web_dir {
        Some(dir) => std::fs::read(dir.join(path)).ok().map(Cow::Owned),
        None => Dist::get(path).map(|f| f.data),
    }
}

fn not_built() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Html("<!doctype html><meta charset=utf-8><title>Frontline</title><p>The web files are not built: run <code>make run</code> (or <code>cd web &amp;&amp; npm run build</code>).</p><p>Веб-файлы не собраны: выполните <code>make run</code>.</p>"),
    )
        .into_response()
}

fn file(s: &HttpState, path: &str, cache: &'static str) -> Response {
    match read(s, path) {
        Some(bytes) => {
            ([(header::CONTENT_TYPE, content_type(path)), (header::CACHE_CONTROL, cache)], bytes.into_owned())
                .into_response()
        }
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

const HASHED: &str = "public, max-age=31536000, immutable";
const SHORT: &str = "public, max-age=300";

pub async fn root() -> Redirect {
    Redirect::temporary("/console/")
}

/// The console's files; unknown paths get `index.html` (the app routes on the client).
pub async fn console(State(s): State<HttpState>, path: Option<Path<String>>) -> Response {
    let path = path.map(|Path(p)| p).unwrap_or_default();
    if path.starts_with("assets/") {
        return file(&s, &format!("console/{path}"), HASHED);
    }
    let Some(index) = read(&s, "console/index.html") else {
        return not_built();
    };
    let mut resp =
        ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], index.into_owned())
            .into_response();
    resp.headers_mut().insert("content-security-policy", HeaderValue::from_static(CONSOLE_CSP));
    resp
}

/// What the console's page may load: its own scripts only (no inline script, no eval), its
/// own styles (inline style attributes allowed), pictures it shows from files and data URLs,
/// sockets and requests to itself; nobody may frame it.
const CONSOLE_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data: blob:; media-src 'self' data: blob:; connect-src 'self'; font-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The chat frame's policy before `frame-ancestors` (which names the site's origins).
const FRAME_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data: blob:; media-src 'self' data: blob:; connect-src 'self'; font-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'self'";

pub async fn loader(State(s): State<HttpState>) -> Response {
    if read(&s, "widget.js").is_none() {
        return not_built();
    }
    let mut resp = file(&s, "widget.js", SHORT);
    resp.headers_mut().insert("access-control-allow-origin", HeaderValue::from_static("*"));
    resp
}

pub async fn widget_asset(State(s): State<HttpState>, Path(path): Path<String>) -> Response {
    file(&s, &format!("widget/assets/{path}"), HASHED)
}

#[derive(Deserialize)]
pub struct FrameQuery {
    key: Option<String>,
}

/// The chat inside the iframe. Only the site's allowed origins (and Frontline itself, for the
/// demo page) may embed it.
pub async fn frame(State(s): State<HttpState>, QueryParams(q): QueryParams<FrameQuery>) -> Response {
    let Some(html) = read(&s, "widget/frame.html") else {
        return not_built();
    };
    let mut ancestors = vec!["'self'".to_owned()];
    if let Some(key) = q.key.as_deref().and_then(|k| SiteKey::parse(k).ok())
        && let Ok(site) = s.app.store.site_by_key(&key).await
    {
        ancestors.extend(site.allowed_origins.iter().map(|o| o.as_str().to_owned()));
    }
    let csp = format!("{FRAME_CSP}; frame-ancestors {}", ancestors.join(" "));
    let mut resp =
        ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], html.into_owned())
            .into_response();
    if let Ok(v) = HeaderValue::from_str(&csp) {
        resp.headers_mut().insert("content-security-policy", v);
    }
    resp
}

/// A demo shop page with the widget on it, in Russian or English by the browser's language.
pub async fn demo(State(s): State<HttpState>, headers: HeaderMap) -> Response {
    let Some(key) = s.config.demo_site_key.clone().filter(|k| !k.is_empty()) else {
        return (StatusCode::NOT_FOUND, "no demo site").into_response();
    };
    let ru = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|l| l.trim_start().to_ascii_lowercase().starts_with("ru"));
    let (lang, title, lead, body) = if ru {
        (
            "ru",
            "Кухни Example — демо-сайт",
            "Кухни на заказ в Москве и Санкт-Петербурге",
            "Это демонстрационная страница. Откройте чат в правом нижнем углу и напишите — оператор ответит в консоли Frontline.",
        )
    } else {
        (
            "en",
            "Example Kitchens — demo site",
            "Made-to-measure kitchens",
            "This is a demo page. Open the chat in the bottom-right corner and write: an operator answers from the Frontline console.",
        )
    };
    Html(format!(
        r#"<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><link rel="icon" href="data:,">
<style>body{{font-family:system-ui,sans-serif;margin:0;color:#1f2933;background:#f7f5f2}}header{{background:#2f3e46;color:#fff;padding:24px 40px}}main{{padding:40px;max-width:760px}}h1{{margin:0;font-size:28px}}p{{font-size:17px;line-height:1.6}}</style>
</head><body><header><h1>{title}</h1></header><main><h2>{lead}</h2><p>{body}</p></main>
<script src="/widget.js" data-key="{key}" async></script>
</body></html>"#
    ))
    .into_response()
}
