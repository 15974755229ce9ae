//! The Telegram Bot API as Frontline uses it: a port ([`BotApi`], one method call with JSON
//! parameters) that `frontline-integrations` implements over HTTPS, and typed calls on top.
//! The shapes follow the public Bot API documentation: every answer is
//! `{"ok": true, "result": …}` or `{"ok": false, "error_code": …, "description": …,
//! "parameters": {"retry_after": …}}`.

use serde::Deserialize;
use serde_json::{Value, json};
use std::time::Duration;

/// Why a call gave no result.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BotApiError {
    /// Telegram answered `ok: false` (401: a bad token; 403: the user blocked the bot; 409: a
    /// webhook is set while polling; 429: too many requests, wait `retry_after` seconds).
    #[error("Telegram refused ({code}): {description}")]
    Refused { code: i64, description: String, retry_after: Option<i64> },
    /// No answer, or not one of Telegram's.
    #[error("Telegram unreachable: {0}")]
    Unreachable(String),
}

impl BotApiError {
    pub fn code(&self) -> Option<i64> {
        match self {
            BotApiError::Refused { code, .. } => Some(*code),
            BotApiError::Unreachable(_) => None,
        }
    }
}

/// One Bot API method call.
#[async_trait::async_trait]
pub trait BotApi: Send + Sync {
    /// Calls `method` for the bot with `token`, waiting at most `wait` for the answer; the
    /// `result` on success.
    async fn call(&self, token: &str, method: &str, params: Value, wait: Duration) -> Result<Value, BotApiError>;

    /// The same with files: `params` become form fields (objects and arrays as JSON) and each
    /// file a part of a `multipart/form-data` body under its field name.
    async fn call_with_files(
        &self,
        _token: &str,
        method: &str,
        _params: Value,
        _files: Vec<FilePart>,
        _wait: Duration,
    ) -> Result<Value, BotApiError> {
        Err(BotApiError::Unreachable(format!("{method}: this client cannot send files")))
    }

    /// The bytes of a file `getFile` gave the path of; a file over `max` bytes is refused
    /// unread (`Refused` 413).
    async fn download(&self, _token: &str, _path: &str, _max: u64, _wait: Duration) -> Result<Vec<u8>, BotApiError> {
        Err(BotApiError::Unreachable("this client cannot download files".into()))
    }
}

/// A file sent with a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePart {
    /// The form field: `photo`, `document`, or the name an `attach://` points at.
    pub field: String,
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// The largest file a bot may download (`getFile`).
pub const DOWNLOAD_MAX: u64 = 20 * 1024 * 1024;
/// The largest photo `sendPhoto` takes; a larger image goes as a document.
pub const PHOTO_MAX: u64 = 10 * 1024 * 1024;
/// How long a file transfer may take.
pub const FILE_WAIT: Duration = Duration::from_secs(120);

/// The port of an app built without one: every call fails and says why.
pub struct NoBotApi;

#[async_trait::async_trait]
impl BotApi for NoBotApi {
    async fn call(&self, _: &str, _: &str, _: Value, _: Duration) -> Result<Value, BotApiError> {
        Err(BotApiError::Unreachable("this server has no Telegram client".into()))
    }
}

/// How long an ordinary call may take.
pub const CALL_WAIT: Duration = Duration::from_secs(15);

/// A Telegram user (a bot is one too).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct User {
    pub id: i64,
    #[serde(default)]
    pub is_bot: bool,
    pub first_name: String,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub language_code: Option<String>,
}

impl User {
    /// "First Last".
    pub fn full_name(&self) -> String {
        match &self.last_name {
            Some(last) if !last.is_empty() => format!("{} {last}", self.first_name),
            _ => self.first_name.clone(),
        }
    }
}

fn decode<T: serde::de::DeserializeOwned>(v: Value, what: &str) -> Result<T, BotApiError> {
    serde_json::from_value(v).map_err(|e| BotApiError::Unreachable(format!("an unexpected {what}: {e}")))
}

/// `getMe`: the bot the token belongs to (a wrong token: `Refused` 401).
pub async fn get_me(api: &dyn BotApi, token: &str) -> Result<User, BotApiError> {
    decode(api.call(token, "getMe", json!({}), CALL_WAIT).await?, "getMe answer")
}

/// `deleteWebhook`: updates are to be polled (keeping those pending).
pub async fn delete_webhook(api: &dyn BotApi, token: &str) -> Result<(), BotApiError> {
    api.call(token, "deleteWebhook", json!({ "drop_pending_updates": false }), CALL_WAIT).await.map(|_| ())
}

/// `setWebhook`: updates are to be posted to `url` with `secret` in
/// `X-Telegram-Bot-Api-Secret-Token`.
pub async fn set_webhook(api: &dyn BotApi, token: &str, url: &str, secret: &str) -> Result<(), BotApiError> {
    let params = json!({
        "url": url,
        "secret_token": secret,
        "allowed_updates": ["message", "edited_message", "callback_query"],
    });
    api.call(token, "setWebhook", params, CALL_WAIT).await.map(|_| ())
}

/// `getUpdates`: the updates from `offset` on (confirming those before it), waiting up to
/// `timeout` seconds for one (long polling). Each is kept as Telegram sent it.
pub async fn get_updates(api: &dyn BotApi, token: &str, offset: i64, timeout: u64) -> Result<Vec<Value>, BotApiError> {
    let params = json!({
        "offset": offset,
        "timeout": timeout,
        "limit": 100,
        "allowed_updates": ["message", "edited_message", "callback_query"],
    });
    let wait = Duration::from_secs(timeout) + CALL_WAIT;
    decode(api.call(token, "getUpdates", params, wait).await?, "getUpdates answer")
}

/// A button of an inline keyboard.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Button {
    pub text: String,
    /// At most 64 bytes.
    pub callback_data: String,
}

/// The most a button's `callback_data` may hold, in bytes.
pub const CALLBACK_DATA_MAX: usize = 64;

/// `sendMessage`, with an inline keyboard of one button per row when `buttons` is not empty;
/// the sent message's id.
pub async fn send_message(
    api: &dyn BotApi,
    token: &str,
    chat_id: i64,
    text: &str,
    buttons: &[Button],
) -> Result<i64, BotApiError> {
    let mut params = json!({ "chat_id": chat_id, "text": text });
    if !buttons.is_empty() {
        let rows: Vec<Vec<&Button>> = buttons.iter().map(|b| vec![b]).collect();
        params["reply_markup"] = json!({ "inline_keyboard": rows });
    }
    #[derive(Deserialize)]
    struct Sent {
        message_id: i64,
    }
    let sent: Sent = decode(api.call(token, "sendMessage", params, CALL_WAIT).await?, "sendMessage answer")?;
    Ok(sent.message_id)
}

/// `answerCallbackQuery`: every button press is answered (the client stops its spinner).
pub async fn answer_callback_query(api: &dyn BotApi, token: &str, id: &str) -> Result<(), BotApiError> {
    api.call(token, "answerCallbackQuery", json!({ "callback_query_id": id }), CALL_WAIT).await.map(|_| ())
}

/// `sendChatAction` "typing".
pub async fn send_typing(api: &dyn BotApi, token: &str, chat_id: i64) -> Result<(), BotApiError> {
    api.call(token, "sendChatAction", json!({ "chat_id": chat_id, "action": "typing" }), CALL_WAIT).await.map(|_| ())
}

/// A file as `getFile` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct File {
    pub file_id: String,
    #[serde(default)]
    pub file_size: Option<i64>,
    /// Where to download it from; absent when Telegram will not serve it (too large).
    #[serde(default)]
    pub file_path: Option<String>,
}

/// `getFile`: where a file the person sent can be downloaded.
pub async fn get_file(api: &dyn BotApi, token: &str, file_id: &str) -> Result<File, BotApiError> {
    decode(api.call(token, "getFile", json!({ "file_id": file_id }), CALL_WAIT).await?, "getFile answer")
}

/// How a file is shown in the chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `sendPhoto`: a picture shown inline (JPEG or PNG up to [`PHOTO_MAX`]).
    Photo,
    /// `sendDocument`: any file, shown with its name.
    Document,
}

impl FileKind {
    /// How a file of this type and size is best sent.
    pub fn of(content_type: &str, size: u64) -> Self {
        if matches!(content_type, "image/jpeg" | "image/png") && size <= PHOTO_MAX {
            Self::Photo
        } else {
            Self::Document
        }
    }

    fn field(self) -> &'static str {
        match self {
            Self::Photo => "photo",
            Self::Document => "document",
        }
    }
}

#[derive(Deserialize)]
struct SentMessage {
    message_id: i64,
}

/// `sendPhoto` or `sendDocument` with the file uploaded; the sent message's id.
pub async fn send_file(
    api: &dyn BotApi,
    token: &str,
    chat_id: i64,
    kind: FileKind,
    mut file: FilePart,
) -> Result<i64, BotApiError> {
    let method = match kind {
        FileKind::Photo => "sendPhoto",
        FileKind::Document => "sendDocument",
    };
    file.field = kind.field().to_owned();
    // The file goes as the part of its own field (`photo`, `document`).
    let params = json!({ "chat_id": chat_id });
    let sent: SentMessage =
        decode(api.call_with_files(token, method, params, vec![file], FILE_WAIT).await?, "the sent message")?;
    Ok(sent.message_id)
}

/// `sendMediaGroup`: 2 to 10 files of one kind as one album; the sent messages' ids.
pub async fn send_media_group(
    api: &dyn BotApi,
    token: &str,
    chat_id: i64,
    kind: FileKind,
    files: Vec<FilePart>,
) -> Result<Vec<i64>, BotApiError> {
    let mut parts = Vec::with_capacity(files.len());
    let mut media = Vec::with_capacity(files.len());
    for (i, mut f) in files.into_iter().enumerate() {
        f.field = format!("file{i}");
        media.push(json!({ "type": kind.field(), "media": format!("attach://{}", f.field) }));
        parts.push(f);
    }
    let params = json!({ "chat_id": chat_id, "media": media });
    let sent: Vec<SentMessage> =
        decode(api.call_with_files(token, "sendMediaGroup", params, parts, FILE_WAIT).await?, "the sent album")?;
    Ok(sent.into_iter().map(|m| m.message_id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Answers each call with what it was given, and remembers the calls.
    struct Scripted {
        answers: Mutex<Vec<Result<Value, BotApiError>>>,
        calls: Mutex<Vec<(String, Value)>>,
    }

    #[async_trait::async_trait]
    impl BotApi for Scripted {
        async fn call(&self, _: &str, method: &str, params: Value, _: Duration) -> Result<Value, BotApiError> {
            self.calls.lock().expect("calls").push((method.to_owned(), params));
            self.answers.lock().expect("answers").remove(0)
        }
    }

    #[tokio::test]
    async fn calls_carry_the_documented_parameters_and_decode_the_results() {
        let api = Scripted {
            answers: Mutex::new(vec![
                Ok(json!({"id": 42, "is_bot": true, "first_name": "Кухни", "username": "kitchen_bot"})),
                Ok(json!({"message_id": 7, "date": 0, "chat": {"id": 5, "type": "private"}})),
                Err(BotApiError::Refused {
                    code: 403,
                    description: "Forbidden: bot was blocked by the user".into(),
                    retry_after: None,
                }),
            ]),
            calls: Mutex::new(Vec::new()),
        };
        let me = get_me(&api, "t").await.expect("getMe");
        assert_eq!((me.id, me.username.as_deref(), me.full_name().as_str()), (42, Some("kitchen_bot"), "Кухни"));
        let buttons = [Button { text: "Доставка".into(), callback_data: "t:delivery".into() }];
        assert_eq!(send_message(&api, "t", 5, "Выберите тему", &buttons).await, Ok(7));
        let refused = send_message(&api, "t", 5, "x", &[]).await.expect_err("blocked");
        assert_eq!(refused.code(), Some(403));
        let calls = api.calls.lock().expect("calls").clone();
        assert_eq!(calls[1].0, "sendMessage");
        assert_eq!(
            calls[1].1,
            json!({"chat_id": 5, "text": "Выберите тему",
                   "reply_markup": {"inline_keyboard": [[{"text": "Доставка", "callback_data": "t:delivery"}]]}})
        );
        assert_eq!(calls[2].1, json!({"chat_id": 5, "text": "x"}), "no keyboard without buttons");
    }
}
