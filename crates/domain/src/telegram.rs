//! What a Telegram bot says and asks before a chat reaches operators: its greeting, its topics
//! (each with follow-up questions and, optionally, a channel of its own), and how long a chat
//! may stay with the bot. Admins edit it as one document, in Russian and English.

use crate::automation::SettingsError;
use crate::ids::ChannelId;
use serde::{Deserialize, Serialize};

/// A text in both languages of the console; the bot picks by the user's Telegram language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Texts {
    pub ru: String,
    pub en: String,
}

impl Texts {
    pub fn new(ru: &str, en: &str) -> Self {
        Self { ru: ru.into(), en: en.into() }
    }

    /// The text for a Telegram `language_code` (`ru`, `uk`, `be`, `kk` read Russian; others English).
    pub fn for_language(&self, code: Option<&str>) -> &str {
        let russian = code.is_some_and(|c| ["ru", "uk", "be", "kk"].iter().any(|l| c.starts_with(l)));
        if russian { &self.ru } else { &self.en }
    }
}

/// A topic the bot offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    /// Its id in button data: 1–24 of `a-z`, `0-9`, `_`, `-`.
    pub key: String,
    pub title: Texts,
    /// Where its chats go; `None`: the bot's channel.
    #[serde(default)]
    pub channel_id: Option<ChannelId>,
    /// Asked one after another once the topic is chosen; the answers go with the chat.
    #[serde(default)]
    pub questions: Vec<Texts>,
}

/// A bot's document (a field left out is its default).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BotSettings {
    /// Sent on `/start` (and a first message) with the topics as buttons.
    pub greeting: Texts,
    /// Sent when the chat is handed to operators.
    pub handed_over: Texts,
    /// Sent when a chat idle with the bot is closed.
    pub timed_out: Texts,
    #[serde(default)]
    pub topics: Vec<Topic>,
    /// A chat with the bot idle this long closes (reason `bot_timeout`); 1–1,440.
    pub idle_minutes: u32,
}

impl Default for BotSettings {
    fn default() -> Self {
        Self {
            greeting: Texts::new(
                "Здравствуйте! Выберите, пожалуйста, тему обращения.",
                "Hello! Please choose what your question is about.",
            ),
            handed_over: Texts::new(
                "Спасибо! Передаём ваш вопрос оператору, он скоро ответит здесь.",
                "Thank you! We are passing your question to an operator, who will answer here soon.",
            ),
            timed_out: Texts::new(
                "Мы не дождались ответа и закрыли обращение. Напишите /start, чтобы начать снова.",
                "We did not hear back and closed the request. Send /start to begin again.",
            ),
            topics: Vec::new(),
            idle_minutes: 30,
        }
    }
}

/// The most topics a bot offers.
pub const MAX_TOPICS: usize = 20;
/// The most follow-up questions of a topic.
pub const MAX_QUESTIONS: usize = 5;

fn bad(field: impl Into<String>, reason: impl Into<String>) -> SettingsError {
    SettingsError { field: field.into(), reason: reason.into() }
}

impl BotSettings {
    /// Checks a document as read (missing fields are their defaults); the first bad field named.
    pub fn check(&self) -> Result<(), SettingsError> {
        let text = |field: String, t: &Texts, max: usize| -> Result<(), SettingsError> {
            for (lang, s) in [("ru", &t.ru), ("en", &t.en)] {
                let n = s.trim().chars().count();
                if n == 0 || n > max {
                    return Err(bad(format!("{field}.{lang}"), format!("1–{max} characters")));
                }
            }
            Ok(())
        };
        text("greeting".into(), &self.greeting, 1000)?;
        text("handed_over".into(), &self.handed_over, 1000)?;
        text("timed_out".into(), &self.timed_out, 1000)?;
        if !(1..=1440).contains(&self.idle_minutes) {
            return Err(bad("idle_minutes", "1–1440"));
        }
        if self.topics.len() > MAX_TOPICS {
            return Err(bad("topics", format!("at most {MAX_TOPICS}")));
        }
        let mut keys = std::collections::HashSet::new();
        for (i, t) in self.topics.iter().enumerate() {
            if !is_topic_key(&t.key) {
                return Err(bad(format!("topics[{i}].key"), "1–24 of a-z, 0-9, _ and -"));
            }
            if !keys.insert(t.key.as_str()) {
                return Err(bad(format!("topics[{i}].key"), "used by another topic"));
            }
            // A button's text.
            text(format!("topics[{i}].title"), &t.title, 64)?;
            if t.questions.len() > MAX_QUESTIONS {
                return Err(bad(format!("topics[{i}].questions"), format!("at most {MAX_QUESTIONS}")));
            }
            for (j, q) in t.questions.iter().enumerate() {
                text(format!("topics[{i}].questions[{j}]"), q, 500)?;
            }
        }
        Ok(())
    }

    pub fn topic(&self, key: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.key == key)
    }
}

/// What a topic button carries (`callback_data`, at most 64 bytes).
/// A system line as a contact reads it in Telegram, in his language; `None` for lines he is
/// not told (only the notice of a transfer reaches a visitor).
pub fn system_line_text(event: &crate::queue::SystemEvent, language: Option<&str>) -> Option<String> {
    match event {
        crate::queue::SystemEvent::TransferNotice { operator: Some(name) } if !name.trim().is_empty() => Some(
            Texts::new(
                &format!("Вас переключили на {}", name.trim()),
                &format!("Your chat was passed to {}", name.trim()),
            )
            .for_language(language)
            .to_owned(),
        ),
        crate::queue::SystemEvent::TransferNotice { .. } => Some(
            Texts::new("Вас переключили на коллегу", "Your chat was passed to a colleague")
                .for_language(language)
                .to_owned(),
        ),
        _ => None,
    }
}

/// A topic's key: 1–24 of `a-z`, `0-9`, `_`, `-`.
pub fn is_topic_key(key: &str) -> bool {
    (1..=24).contains(&key.len())
        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

pub fn topic_button(key: &str) -> String {
    format!("topic:{key}")
}

/// The topic a button press names.
pub fn pressed_topic(data: &str) -> Option<&str> {
    data.strip_prefix("topic:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transfer_notice_is_worded_in_his_language_and_other_lines_are_not_sent() {
        use crate::queue::SystemEvent;
        let notice = SystemEvent::TransferNotice { operator: Some("Иван".into()) };
        assert_eq!(system_line_text(&notice, Some("ru")).as_deref(), Some("Вас переключили на Иван"));
        assert_eq!(system_line_text(&notice, Some("en")).as_deref(), Some("Your chat was passed to Иван"));
        let anonymous = SystemEvent::TransferNotice { operator: None };
        assert_eq!(system_line_text(&anonymous, Some("uk")).as_deref(), Some("Вас переключили на коллегу"));
        let internal = SystemEvent::Snoozed { until: "2026-12-05T10:00:00Z".into(), by: "Анна".into() };
        assert_eq!(system_line_text(&internal, Some("ru")), None);
    }

    fn parse(json: &str) -> Result<BotSettings, SettingsError> {
        let s: BotSettings = serde_json::from_str(json).map_err(|e| bad("settings", e.to_string()))?;
        s.check().map(|()| s)
    }

    #[test]
    fn an_empty_document_is_every_default_and_bad_fields_are_named() {
        let d = parse("{}").expect("defaults");
        assert_eq!(d, BotSettings::default());
        let with = r#"{"topics": [{"key": "delivery", "title": {"ru": "Доставка", "en": "Delivery"},
                       "questions": [{"ru": "Номер заказа?", "en": "Order number?"}]}], "idle_minutes": 10}"#;
        let s = parse(with).expect("topics");
        assert_eq!(s.topic("delivery").map(|t| t.questions.len()), Some(1));
        assert_eq!(s.idle_minutes, 10);
        let field = |json: &str| parse(json).expect_err(json).field;
        assert_eq!(field(r#"{"idle_minutes": 0}"#), "idle_minutes");
        assert_eq!(field(r#"{"topics": [{"key": "Bad Key", "title": {"ru": "a", "en": "b"}}]}"#), "topics[0].key");
        assert_eq!(
            field(
                r#"{"topics": [{"key": "a", "title": {"ru": "a", "en": "b"}}, {"key": "a", "title": {"ru": "c", "en": "d"}}]}"#
            ),
            "topics[1].key"
        );
        assert_eq!(field(r#"{"topics": [{"key": "a", "title": {"ru": "", "en": "b"}}]}"#), "topics[0].title.ru");
        assert_eq!(field(r#"{"greeting": {"ru": "x", "en": "  "}}"#), "greeting.en");
        assert_eq!(field("[1]"), "settings");
    }

    #[test]
    fn buttons_fit_telegrams_limit_and_texts_follow_the_language() {
        let longest = "a".repeat(24);
        assert!(topic_button(&longest).len() <= 64);
        assert_eq!(pressed_topic(&topic_button("delivery")), Some("delivery"));
        assert_eq!(pressed_topic("other:x"), None);
        let t = Texts::new("Привет", "Hello");
        assert_eq!(t.for_language(Some("ru")), "Привет");
        assert_eq!(t.for_language(Some("uk")), "Привет");
        assert_eq!(t.for_language(Some("en-US")), "Hello");
        assert_eq!(t.for_language(None), "Hello");
    }
}
