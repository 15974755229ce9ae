//! A fake Telegram Bot API on loopback, for the real client code to talk to. It follows the
//! public Bot API documentation: requests `{base}/bot<token>/<method>` with parameters as JSON,
//! a URL-encoded form or the query string; answers `{"ok": true, "result": …}` or
//! `{"ok": false, "error_code": …, "description": …, "parameters": {"retry_after": …}}`.
//!
//! Methods: `getMe`, `setWebhook`, `deleteWebhook`, `getWebhookInfo`, `getUpdates` (offset,
//! limit, timeout; confirming what is before the offset; 409 while a webhook is set or when a
//! newer poll takes over), `sendMessage` (text 1–4,096 characters, inline keyboards with
//! `callback_data` of 1–64 bytes), `sendPhoto` (up to 10 MB) and `sendDocument` (up to 50 MB)
//! with the file as a `multipart/form-data` part, `sendMediaGroup` (2–10 items referenced as
//! `attach://<name>`, documents not mixed with photos), `getFile` (files up to 20 MB get a
//! `file_path`) and the download path `{base}/file/bot<token>/<file_path>`,
//! `answerCallbackQuery`, `sendChatAction`. A test adds bots, writes as a user (messages,
//! files, albums, edits, button presses), scripts failures (`429` with `retry_after`, `403`
//! blocked) and reads what the bot sent, files included.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

/// One bot as the fake knows it.
#[derive(Default)]
struct Bot {
    me: Value,
    next_update_id: i64,
    /// Updates not yet confirmed.
    updates: VecDeque<Value>,
    webhook: Option<String>,
    /// Every successful call but `getUpdates`, in order: `(method, parameters)`.
    sent: Vec<(String, Value)>,
    next_message_id: i64,
    /// Failures to answer instead of the next calls of a method.
    failures: HashMap<String, VecDeque<(i64, String, Option<i64>)>>,
    /// Chats whose user blocked the bot.
    blocked: HashSet<i64>,
    /// Which `getUpdates` call is the newest (an older one waiting gets 409).
    poll_generation: u64,
    /// Files users sent, by `file_id`.
    files: HashMap<String, Vec<u8>>,
    /// Files the bot uploaded, in order.
    uploads: Vec<Uploaded>,
    /// When each successful send happened (for pacing checks): `(chat, instant)`.
    send_times: Vec<(i64, std::time::Instant)>,
    /// How many `getUpdates` calls the bot got (see [`FakeTelegram::polls`]).
    polls: u64,
    /// How many polls were cut off by a newer one (two pollers at once: see
    /// [`FakeTelegram::conflicts`]).
    conflicts: u64,
}

/// A file the bot uploaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uploaded {
    /// `sendPhoto`, `sendDocument` or `sendMediaGroup`.
    pub method: String,
    pub chat: i64,
    /// `photo` or `document`.
    pub kind: String,
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A file a user sends.
#[derive(Debug, Clone)]
pub enum TgFile {
    Photo(Vec<u8>),
    Document {
        name: String,
        mime: String,
        bytes: Vec<u8>,
    },
    Voice(Vec<u8>),
    /// A file whose size is all Telegram tells (it will not serve it: over 20 MB).
    Huge {
        name: String,
        size: i64,
    },
}

#[derive(Default)]
struct Fake {
    bots: Mutex<HashMap<String, Bot>>,
    changed: Notify,
}

/// The fake server; stops when dropped.
pub struct FakeTelegram {
    /// Its base address, for `FRONTLINE_TELEGRAM_API` / `telegram_api`.
    pub url: String,
    fake: Arc<Fake>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeTelegram {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A Telegram user writing to a bot (his private chat's id is his user id).
#[derive(Debug, Clone)]
pub struct TgUser {
    pub id: i64,
    pub first_name: String,
    pub username: Option<String>,
    pub language_code: Option<String>,
}

impl TgUser {
    pub fn new(id: i64, first_name: &str) -> Self {
        Self { id, first_name: first_name.into(), username: None, language_code: Some("ru".into()) }
    }

    fn json(&self) -> Value {
        json!({
            "id": self.id,
            "is_bot": false,
            "first_name": self.first_name,
            "username": self.username,
            "language_code": self.language_code,
        })
    }
}

impl FakeTelegram {
    pub async fn start() -> Self {
        let fake = Arc::new(Fake::default());
        let app = axum::Router::new()
            .route("/{bot}/{method}", any(handle))
            .route("/file/{bot}/{*path}", axum::routing::get(download))
            .with_state(fake.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { url, fake, task }
    }

    /// A bot with this token: `getMe` answers with `id` and `username`.
    pub fn add_bot(&self, token: &str, id: i64, username: &str, first_name: &str) {
        let me = json!({"id": id, "is_bot": true, "first_name": first_name, "username": username,
                        "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false});
        let bot = Bot { me, next_update_id: 1000, next_message_id: 1, ..Bot::default() };
        self.fake.bots.lock().expect("bots").insert(token.to_owned(), bot);
    }

    /// Queues an update (its `update_id` is given here) and answers the id.
    pub fn push(&self, token: &str, mut update: Value) -> i64 {
        let mut bots = self.fake.bots.lock().expect("bots");
        let bot = bots.get_mut(token).expect("no such bot");
        bot.next_update_id += 1;
        let id = bot.next_update_id;
        update["update_id"] = json!(id);
        bot.updates.push_back(update);
        drop(bots);
        self.fake.changed.notify_waiters();
        id
    }

    /// Queues the same update again, as Telegram does when it was not confirmed.
    pub fn resend(&self, token: &str, update: Value) {
        let mut bots = self.fake.bots.lock().expect("bots");
        bots.get_mut(token).expect("no such bot").updates.push_back(update);
        drop(bots);
        self.fake.changed.notify_waiters();
    }

    /// The user writes `text` in his private chat with the bot; answers the update.
    pub fn write(&self, token: &str, from: &TgUser, text: &str) -> Value {
        let message = self.message_from(token, from, json!({ "text": text }));
        let update = json!({ "message": message });
        let id = self.push(token, update.clone());
        let mut u = update;
        u["update_id"] = json!(id);
        u
    }

    /// The user presses a button whose `callback_data` is `data` under the bot's message
    /// `message_id`; answers the update.
    pub fn press(&self, token: &str, from: &TgUser, data: &str, message_id: i64) -> Value {
        let me = self.fake.bots.lock().expect("bots").get(token).expect("no such bot").me.clone();
        let query = json!({
            "id": format!("cb{}{}", from.id, message_id),
            "from": from.json(),
            "chat_instance": format!("ci{}", from.id),
            "data": data,
            "message": {"message_id": message_id, "from": me, "chat": {"id": from.id, "type": "private"}, "date": 0},
        });
        let update = json!({ "callback_query": query });
        let id = self.push(token, update.clone());
        let mut u = update;
        u["update_id"] = json!(id);
        u
    }

    /// The user sends files: one is a message with the caption; several are an album (one
    /// update per file, sharing a `media_group_id`, the caption on the first). Answers the
    /// updates.
    pub fn send_files(&self, token: &str, from: &TgUser, files: Vec<TgFile>, caption: Option<&str>) -> Vec<Value> {
        let group = (files.len() > 1).then(|| format!("alb{}", uuid::Uuid::now_v7().simple()));
        let mut out = Vec::new();
        for (i, f) in files.into_iter().enumerate() {
            let mut content = self.file_content(token, f);
            if i == 0
                && let Some(c) = caption
            {
                content["caption"] = json!(c);
            }
            if let Some(g) = &group {
                content["media_group_id"] = json!(g);
            }
            let message = self.message_from(token, from, content);
            let update = json!({ "message": message });
            let id = self.push(token, update.clone());
            let mut u = update;
            u["update_id"] = json!(id);
            out.push(u);
        }
        out
    }

    /// The user edits his message `message_id` to `text`; answers the update.
    pub fn edit(&self, token: &str, from: &TgUser, message_id: i64, text: &str) -> Value {
        let message = json!({
            "message_id": message_id,
            "from": from.json(),
            "chat": {"id": from.id, "type": "private", "first_name": from.first_name},
            "date": now_s() - 5,
            "edit_date": now_s(),
            "text": text,
        });
        let update = json!({ "edited_message": message });
        let id = self.push(token, update.clone());
        let mut u = update;
        u["update_id"] = json!(id);
        u
    }

    /// A message's content for a file, the bytes kept for `getFile`.
    fn file_content(&self, token: &str, f: TgFile) -> Value {
        let mut bots = self.fake.bots.lock().expect("bots");
        let bot = bots.get_mut(token).expect("no such bot");
        let mut keep = |bytes: Vec<u8>| {
            let id = format!("F{}", uuid::Uuid::now_v7().simple());
            let size = bytes.len();
            bot.files.insert(id.clone(), bytes);
            (id, size)
        };
        match f {
            TgFile::Photo(bytes) => {
                // Telegram offers a photo in several sizes, smallest first; the fake's smaller
                // ones are unknown files (a client must take the largest).
                let (id, size) = keep(bytes);
                json!({"photo": [
                    {"file_id": "thumb-not-served", "file_unique_id": "u1", "width": 90, "height": 60, "file_size": 1000},
                    {"file_id": id, "file_unique_id": format!("u{id}"), "width": 1280, "height": 853, "file_size": size},
                ]})
            }
            TgFile::Document { name, mime, bytes } => {
                let (id, size) = keep(bytes);
                json!({"document": {"file_id": id, "file_unique_id": format!("u{id}"), "file_name": name, "mime_type": mime, "file_size": size}})
            }
            TgFile::Voice(bytes) => {
                let (id, size) = keep(bytes);
                json!({"voice": {"file_id": id, "file_unique_id": format!("u{id}"), "duration": 3, "mime_type": "audio/ogg", "file_size": size}})
            }
            TgFile::Huge { name, size } => {
                let id = format!("H{}", uuid::Uuid::now_v7().simple());
                json!({"document": {"file_id": id, "file_unique_id": format!("u{id}"), "file_name": name, "file_size": size}})
            }
        }
    }

    /// The files the bot uploaded so far.
    pub fn uploads(&self, token: &str) -> Vec<Uploaded> {
        self.fake.bots.lock().expect("bots").get(token).map(|b| b.uploads.clone()).unwrap_or_default()
    }

    /// The times of the bot's sends so far, by chat.
    pub fn send_times(&self, token: &str) -> Vec<(i64, std::time::Instant)> {
        self.fake.bots.lock().expect("bots").get(token).map(|b| b.send_times.clone()).unwrap_or_default()
    }

    /// How many polls were cut off by a newer poll (Telegram's 409 "terminated by other
    /// getUpdates request": two consumers of one bot).
    pub fn conflicts(&self, token: &str) -> u64 {
        self.fake.bots.lock().expect("bots").get(token).map(|b| b.conflicts).unwrap_or(0)
    }

    /// How many `getUpdates` calls the bot got.
    pub fn polls(&self, token: &str) -> u64 {
        self.fake.bots.lock().expect("bots").get(token).map(|b| b.polls).unwrap_or(0)
    }

    fn message_from(&self, token: &str, from: &TgUser, content: Value) -> Value {
        let mut bots = self.fake.bots.lock().expect("bots");
        let bot = bots.get_mut(token).expect("no such bot");
        bot.next_message_id += 1;
        let mut m = json!({
            "message_id": bot.next_message_id,
            "from": from.json(),
            "chat": {"id": from.id, "type": "private", "first_name": from.first_name, "username": from.username},
            "date": now_s(),
        });
        if let (Some(m), Some(c)) = (m.as_object_mut(), content.as_object()) {
            m.extend(c.clone());
        }
        m
    }

    /// The next `times` calls of `method` fail with this code, description and `retry_after`.
    pub fn fail_next(
        &self,
        token: &str,
        method: &str,
        times: usize,
        code: i64,
        description: &str,
        retry_after: Option<i64>,
    ) {
        let mut bots = self.fake.bots.lock().expect("bots");
        let queue = bots.get_mut(token).expect("no such bot").failures.entry(method.to_ascii_lowercase()).or_default();
        for _ in 0..times {
            queue.push_back((code, description.to_owned(), retry_after));
        }
    }

    /// From now on, sends to `chat` are refused: the user blocked the bot.
    pub fn block(&self, token: &str, chat: i64) {
        self.fake.bots.lock().expect("bots").get_mut(token).expect("no such bot").blocked.insert(chat);
    }

    /// What the bot did so far (every successful call but polling): `(method, parameters)`.
    pub fn sent(&self, token: &str) -> Vec<(String, Value)> {
        self.fake.bots.lock().expect("bots").get(token).map(|b| b.sent.clone()).unwrap_or_default()
    }

    /// The webhook address set for the bot.
    pub fn webhook(&self, token: &str) -> Option<String> {
        self.fake.bots.lock().expect("bots").get(token).and_then(|b| b.webhook.clone())
    }

    /// Updates not yet confirmed by a poll.
    pub fn unconfirmed(&self, token: &str) -> usize {
        self.fake.bots.lock().expect("bots").get(token).map(|b| b.updates.len()).unwrap_or(0)
    }

    /// Waits until the bot has made a call of `method` that `pred` accepts, beyond the first
    /// `after` calls; answers its parameters.
    pub async fn wait_for(
        &self,
        token: &str,
        method: &str,
        after: usize,
        within: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> Value {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let found = self.sent(token).into_iter().skip(after).find(|(m, p)| m == method && pred(p));
            if let Some((_, p)) = found {
                return p;
            }
            if tokio::time::Instant::now() >= deadline {
                panic!("no {method} within {within:?}; sent: {:?}", self.sent(token));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

fn now_s() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

fn ok(result: Value) -> Response {
    (StatusCode::OK, axum::Json(json!({ "ok": true, "result": result }))).into_response()
}

fn refuse(code: i64, description: &str, retry_after: Option<i64>) -> Response {
    let mut body = json!({ "ok": false, "error_code": code, "description": description });
    if let Some(after) = retry_after {
        body["parameters"] = json!({ "retry_after": after });
    }
    let status = StatusCode::from_u16(code as u16).unwrap_or(StatusCode::BAD_REQUEST);
    (status, axum::Json(body)).into_response()
}

/// A file part of a `multipart/form-data` call.
#[derive(Debug, Clone)]
struct Part {
    name: String,
    content_type: String,
    bytes: Vec<u8>,
}

/// The fields and file parts of a `multipart/form-data` body (RFC 7578); `None` when it is not
/// one.
fn multipart(content_type: &str, body: &[u8]) -> Option<(serde_json::Map<String, Value>, HashMap<String, Part>)> {
    let boundary = content_type.split(';').find_map(|p| p.trim().strip_prefix("boundary="))?.trim_matches('"');
    let delimiter = format!("--{boundary}");
    let find = |hay: &[u8], needle: &[u8], from: usize| -> Option<usize> {
        hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|i| i + from)
    };
    let mut fields = serde_json::Map::new();
    let mut files = HashMap::new();
    let mut at = find(body, delimiter.as_bytes(), 0)? + delimiter.len();
    loop {
        if body.get(at..at + 2) == Some(b"--") {
            return Some((fields, files));
        }
        let head_start = at + 2;
        let head_end = find(body, b"\r\n\r\n", head_start)?;
        let head = std::str::from_utf8(&body[head_start..head_end]).ok()?;
        let next = find(body, format!("\r\n{delimiter}").as_bytes(), head_end + 4)?;
        let content = &body[head_end + 4..next];
        let mut name = None;
        let mut filename = None;
        let mut part_type = "text/plain".to_owned();
        for line in head.split("\r\n") {
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("content-disposition:") {
                for p in line.split(';').skip(1) {
                    let (k, v) = p.trim().split_once('=')?;
                    let v = v.trim_matches('"').to_owned();
                    match k {
                        "name" => name = Some(v),
                        "filename" => filename = Some(v),
                        _ => {}
                    }
                }
            } else if let Some(v) = lower.strip_prefix("content-type:") {
                part_type = v.trim().to_owned();
            }
        }
        let name = name?;
        match filename {
            Some(file) => {
                files.insert(name, Part { name: file, content_type: part_type, bytes: content.to_vec() });
            }
            None => {
                let text = String::from_utf8_lossy(content).into_owned();
                let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
                fields.insert(name, value);
            }
        }
        at = next + 2 + delimiter.len();
    }
}

/// The parameters of a call, however they were sent (JSON body, form, query string, or
/// multipart with files); `None` when a body is not what its type says.
fn params(headers: &HeaderMap, query: Option<&str>, body: &[u8]) -> Option<(Value, HashMap<String, Part>)> {
    let mut parts = HashMap::new();
    let mut out = serde_json::Map::new();
    let form = |text: &str, out: &mut serde_json::Map<String, Value>| {
        for (k, v) in url::form_urlencoded::parse(text.as_bytes()) {
            // Form values are strings; JSON-looking ones (arrays, objects, numbers) are read as JSON.
            let value = serde_json::from_str(&v).unwrap_or(Value::String(v.into_owned()));
            out.insert(k.into_owned(), value);
        }
    };
    if let Some(q) = query {
        form(q, &mut out);
    }
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    if !body.is_empty() {
        if content_type.starts_with("application/json") {
            match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(m)) => out.extend(m),
                _ => return None,
            }
        } else if content_type.starts_with("application/x-www-form-urlencoded") {
            form(&String::from_utf8_lossy(body), &mut out);
        } else if content_type.starts_with("multipart/form-data") {
            let (fields, files) = multipart(content_type, body)?;
            out.extend(fields);
            parts = files;
        }
    }
    Some((Value::Object(out), parts))
}

async fn download(State(fake): State<Arc<Fake>>, Path((bot, path)): Path<(String, String)>) -> Response {
    let Some(token) = bot.strip_prefix("bot") else { return StatusCode::NOT_FOUND.into_response() };
    let bots = fake.bots.lock().expect("bots");
    let Some(b) = bots.get(token) else { return StatusCode::UNAUTHORIZED.into_response() };
    // Paths are `documents/<file_id>`.
    let id = path.rsplit('/').next().unwrap_or("");
    match b.files.get(id) {
        Some(bytes) => (StatusCode::OK, bytes.clone()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A sent file's message: what Telegram answers `sendPhoto` / `sendDocument` with.
fn file_message(b: &mut Bot, chat: i64, kind: &str, part: &Part) -> Value {
    b.next_message_id += 1;
    let file = json!({"file_id": format!("S{}", b.next_message_id), "file_unique_id": format!("s{}", b.next_message_id), "file_size": part.bytes.len()});
    let mut m = json!({"message_id": b.next_message_id, "from": b.me.clone(), "chat": {"id": chat, "type": "private"}, "date": now_s()});
    if kind == "photo" {
        m["photo"] = json!([file]);
    } else {
        let mut d = file;
        d["file_name"] = json!(part.name);
        m["document"] = d;
    }
    m
}

/// The uploaded file a parameter names: a part of its own, or `attach://<name>`.
fn part_for<'a>(p: &Value, files: &'a HashMap<String, Part>, field: &str) -> Option<&'a Part> {
    match p.get(field) {
        Some(Value::String(s)) => files.get(s.strip_prefix("attach://")?),
        None => files.get(field),
        _ => None,
    }
}

async fn handle(
    State(fake): State<Arc<Fake>>,
    Path((bot, method)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let Some(token) = bot.strip_prefix("bot") else { return refuse(404, "Not Found", None) };
    let Some((p, files)) = params(&headers, query.as_deref(), &body) else {
        return refuse(400, "Bad Request: can't parse JSON object", None);
    };
    // Method names are case-insensitive.
    let method = method.to_ascii_lowercase();
    if method == "getupdates" {
        if let Some(b) = fake.bots.lock().expect("bots").get_mut(token) {
            b.polls += 1;
        }
        return get_updates(&fake, token, &p).await;
    }
    let mut bots = fake.bots.lock().expect("bots");
    let Some(b) = bots.get_mut(token) else { return refuse(401, "Unauthorized", None) };
    if let Some((code, description, after)) = b.failures.get_mut(&method).and_then(VecDeque::pop_front) {
        return refuse(code, &description, after);
    }
    let chat = p.get("chat_id").and_then(|c| c.as_i64().or_else(|| c.as_str().and_then(|s| s.parse().ok())));
    let result = match method.as_str() {
        "getme" => b.me.clone(),
        "setwebhook" => {
            let Some(url) = p.get("url").and_then(Value::as_str) else {
                return refuse(400, "Bad Request: bad webhook: URL must be provided", None);
            };
            if let Some(secret) = p.get("secret_token").and_then(Value::as_str)
                && (secret.is_empty()
                    || secret.len() > 256
                    || !secret.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            {
                return refuse(400, "Bad Request: secret token contains unallowed characters", None);
            }
            b.webhook = (!url.is_empty()).then(|| url.to_owned());
            json!(true)
        }
        "deletewebhook" => {
            b.webhook = None;
            if p.get("drop_pending_updates").and_then(Value::as_bool) == Some(true) {
                b.updates.clear();
            }
            json!(true)
        }
        "getwebhookinfo" => json!({
            "url": b.webhook.clone().unwrap_or_default(),
            "has_custom_certificate": false,
            "pending_update_count": b.updates.len(),
        }),
        "sendmessage" => {
            let Some(chat) = chat else { return refuse(400, "Bad Request: chat_id is empty", None) };
            let text = p.get("text").and_then(Value::as_str).unwrap_or("");
            if text.trim().is_empty() {
                return refuse(400, "Bad Request: message text is empty", None);
            }
            if text.chars().count() > 4096 {
                return refuse(400, "Bad Request: message is too long", None);
            }
            if let Some(rows) = p.pointer("/reply_markup/inline_keyboard").and_then(Value::as_array) {
                for button in rows.iter().filter_map(Value::as_array).flatten() {
                    let data = button.get("callback_data").and_then(Value::as_str).unwrap_or("");
                    if data.is_empty() || data.len() > 64 {
                        return refuse(400, "Bad Request: BUTTON_DATA_INVALID", None);
                    }
                }
            }
            if b.blocked.contains(&chat) {
                return refuse(403, "Forbidden: bot was blocked by the user", None);
            }
            b.next_message_id += 1;
            let mut m = json!({
                "message_id": b.next_message_id,
                "from": b.me.clone(),
                "chat": {"id": chat, "type": "private"},
                "date": now_s(),
                "text": text,
            });
            if let Some(markup) = p.get("reply_markup") {
                m["reply_markup"] = markup.clone();
            }
            m
        }
        "sendphoto" | "senddocument" => {
            let Some(chat) = chat else { return refuse(400, "Bad Request: chat_id is empty", None) };
            let (kind, max) = if method == "sendphoto" { ("photo", 10 << 20) } else { ("document", 50 << 20) };
            let Some(part) = part_for(&p, &files, kind).cloned() else {
                return refuse(400, &format!("Bad Request: there is no {kind} in the request"), None);
            };
            if part.bytes.is_empty() {
                return refuse(400, "Bad Request: file must be non-empty", None);
            }
            if part.bytes.len() > max {
                return refuse(413, "Request Entity Too Large", None);
            }
            if kind == "photo" && !(part.bytes.starts_with(&[0xFF, 0xD8, 0xFF]) || part.bytes.starts_with(b"\x89PNG")) {
                return refuse(400, "Bad Request: IMAGE_PROCESS_FAILED", None);
            }
            if b.blocked.contains(&chat) {
                return refuse(403, "Forbidden: bot was blocked by the user", None);
            }
            let m = file_message(b, chat, kind, &part);
            b.uploads.push(Uploaded {
                method: method_name(&method),
                chat,
                kind: kind.into(),
                name: part.name.clone(),
                content_type: part.content_type.clone(),
                bytes: part.bytes,
            });
            m
        }
        "sendmediagroup" => {
            let Some(chat) = chat else { return refuse(400, "Bad Request: chat_id is empty", None) };
            let Some(media) = p.get("media").and_then(Value::as_array).cloned() else {
                return refuse(400, "Bad Request: parameter \"media\" is required", None);
            };
            if !(2..=10).contains(&media.len()) {
                return refuse(400, "Bad Request: wrong number of messages in the media group", None);
            }
            let kinds: HashSet<&str> = media.iter().filter_map(|m| m.get("type").and_then(Value::as_str)).collect();
            if kinds.len() != 1 || !(kinds.contains("photo") || kinds.contains("document")) {
                return refuse(400, "Bad Request: documents can't be mixed with other media types", None);
            }
            let mut parts = Vec::new();
            for m in &media {
                match part_for(m, &files, "media") {
                    Some(part) => parts.push((m["type"].as_str().unwrap_or("document").to_owned(), part.clone())),
                    None => return refuse(400, "Bad Request: wrong file identifier/HTTP URL specified", None),
                }
            }
            if b.blocked.contains(&chat) {
                return refuse(403, "Forbidden: bot was blocked by the user", None);
            }
            let mut sent = Vec::new();
            for (kind, part) in parts {
                let mut m = file_message(b, chat, &kind, &part);
                m["media_group_id"] = json!(format!("g{}", b.next_message_id));
                sent.push(m);
                b.uploads.push(Uploaded {
                    method: "sendMediaGroup".into(),
                    chat,
                    kind,
                    name: part.name,
                    content_type: part.content_type,
                    bytes: part.bytes,
                });
            }
            Value::Array(sent)
        }
        "getfile" => {
            let Some(id) = p.get("file_id").and_then(Value::as_str) else {
                return refuse(400, "Bad Request: file_id is empty", None);
            };
            if id.starts_with('H') {
                return refuse(400, "Bad Request: file is too big", None);
            }
            let Some(bytes) = b.files.get(id) else {
                return refuse(400, "Bad Request: wrong file_id or the file is temporarily unavailable", None);
            };
            json!({"file_id": id, "file_unique_id": format!("u{id}"), "file_size": bytes.len(), "file_path": format!("documents/{id}")})
        }
        "answercallbackquery" => {
            if p.get("callback_query_id").is_none() {
                return refuse(
                    400,
                    "Bad Request: query is too old and response timeout expired or query ID is invalid",
                    None,
                );
            }
            json!(true)
        }
        "sendchataction" => {
            let Some(chat) = chat else { return refuse(400, "Bad Request: chat_id is empty", None) };
            if b.blocked.contains(&chat) {
                return refuse(403, "Forbidden: bot was blocked by the user", None);
            }
            json!(true)
        }
        _ => return refuse(404, "Not Found", None),
    };
    if method.starts_with("send") && method != "sendchataction" {
        b.send_times.push((chat.unwrap_or(0), std::time::Instant::now()));
    }
    b.sent.push((method_name(&method), p));
    ok(result)
}

/// The method's name as the documentation spells it (calls are recorded that way).
fn method_name(lower: &str) -> String {
    match lower {
        "getme" => "getMe",
        "setwebhook" => "setWebhook",
        "deletewebhook" => "deleteWebhook",
        "getwebhookinfo" => "getWebhookInfo",
        "sendmessage" => "sendMessage",
        "answercallbackquery" => "answerCallbackQuery",
        "sendchataction" => "sendChatAction",
        "sendphoto" => "sendPhoto",
        "senddocument" => "sendDocument",
        "sendmediagroup" => "sendMediaGroup",
        "getfile" => "getFile",
        other => other,
    }
    .to_owned()
}

async fn get_updates(fake: &Arc<Fake>, token: &str, p: &Value) -> Response {
    let offset = p.get("offset").and_then(Value::as_i64);
    let limit = p.get("limit").and_then(Value::as_i64).unwrap_or(100).clamp(1, 100) as usize;
    let timeout = p.get("timeout").and_then(Value::as_u64).unwrap_or(0).min(50);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
    let generation = {
        let mut bots = fake.bots.lock().expect("bots");
        let Some(b) = bots.get_mut(token) else { return refuse(401, "Unauthorized", None) };
        if let Some((code, description, after)) = b.failures.get_mut("getupdates").and_then(VecDeque::pop_front) {
            return refuse(code, &description, after);
        }
        if b.webhook.is_some() {
            return refuse(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
                None,
            );
        }
        // An update is confirmed once a call's offset is above its id.
        if let Some(offset) = offset {
            b.updates.retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
        }
        b.poll_generation += 1;
        b.poll_generation
    };
    fake.changed.notify_waiters();
    loop {
        let notified = fake.changed.notified();
        {
            let mut bots = fake.bots.lock().expect("bots");
            let Some(b) = bots.get_mut(token) else { return refuse(401, "Unauthorized", None) };
            if b.poll_generation != generation {
                b.conflicts += 1;
                return refuse(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                    None,
                );
            }
            let ready: Vec<Value> = b.updates.iter().take(limit).cloned().collect();
            if !ready.is_empty() || tokio::time::Instant::now() >= deadline {
                return ok(Value::Array(ready));
            }
        }
        let _ = tokio::time::timeout_at(deadline, notified).await;
    }
}
