//! Routing rules: which channel a new dialog lands in.
//!
//! A workspace keeps an ordered list of rules; the first rule whose every condition holds
//! decides the channel, and a dialog no rule matches goes to the default channel. Conditions
//! look at the page the visitor writes from (a glob or a regular expression over the whole
//! URL), a visitor property (e.g. `city = Москва`), or the browser's language.

use crate::error::DomainError;
use crate::ids::ChannelId;
use std::collections::BTreeMap;

/// A pattern over a page URL.
#[derive(Debug, Clone)]
pub enum UrlPattern {
    /// `*` is any run of characters, `?` one character; the pattern covers the whole URL.
    Glob(String),
    /// A regular expression, searched in the URL (anchor it with `^…$` to cover all of it).
    /// Matching is linear in the URL's length whatever the pattern.
    Regex(regex_lite::Regex),
}

impl PartialEq for UrlPattern {
    fn eq(&self, other: &Self) -> bool {
        self.source() == other.source() && self.kind() == other.kind()
    }
}

impl UrlPattern {
    pub fn glob(pattern: &str) -> Result<Self, DomainError> {
        let p = pattern.trim();
        if p.is_empty() || p.chars().count() > 500 {
            return Err(DomainError::invalid("pattern", "1–500 characters"));
        }
        Ok(Self::Glob(p.to_owned()))
    }

    pub fn regex(pattern: &str) -> Result<Self, DomainError> {
        let p = pattern.trim();
        if p.is_empty() || p.chars().count() > 500 {
            return Err(DomainError::invalid("pattern", "1–500 characters"));
        }
        regex_lite::RegexBuilder::new(p)
            .size_limit(1 << 20)
            .build()
            .map(Self::Regex)
            .map_err(|_| DomainError::invalid("pattern", "not a valid regular expression"))
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Self::Glob(_) => "glob",
            Self::Regex(_) => "regex",
        }
    }

    pub fn source(&self) -> &str {
        match self {
            Self::Glob(p) => p,
            Self::Regex(r) => r.as_str(),
        }
    }

    pub fn matches(&self, url: &str) -> bool {
        match self {
            Self::Glob(p) => glob_match(p, url),
            Self::Regex(r) => r.is_match(url),
        }
    }
}

/// Glob matching with `*` and `?` over characters, iterative with one backtrack point, so it
/// is linear-ish and never explodes on patterns like `*a*a*a*`.
fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// One condition of a rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    PageUrl(UrlPattern),
    /// The visitor property `key` equals `value` (case-insensitive, trimmed).
    VisitorProperty {
        key: String,
        value: String,
    },
    /// The browser's language: `ru` matches `ru`, `ru-RU`, `ru_ru`.
    Language(String),
    /// The topic a Telegram chat chose in the bot's menu (its key).
    TelegramTopic(String),
    /// A mail was sent to this address (lowercase; `help+tag@…` counts as `help@…`).
    MailTo(String),
    /// The visitor is in this segment (the caller fills `RoutingContext::segments`).
    Segment(uuid::Uuid),
}

impl Condition {
    pub fn property(key: &str, value: &str) -> Result<Self, DomainError> {
        let key = key.trim();
        if key.is_empty() || key.chars().count() > 100 {
            return Err(DomainError::invalid("key", "1–100 characters"));
        }
        if value.trim().is_empty() || value.chars().count() > 500 {
            return Err(DomainError::invalid("value", "1–500 characters"));
        }
        Ok(Self::VisitorProperty { key: key.to_owned(), value: value.trim().to_owned() })
    }

    pub fn language(code: &str) -> Result<Self, DomainError> {
        let code = code.trim().to_lowercase();
        if !(2..=8).contains(&code.len()) || !code.chars().all(|c| c.is_ascii_lowercase()) {
            return Err(DomainError::invalid("language", "a language code such as ru or en"));
        }
        Ok(Self::Language(code))
    }

    pub fn telegram_topic(key: &str) -> Result<Self, DomainError> {
        let key = key.trim();
        if !crate::telegram::is_topic_key(key) {
            return Err(DomainError::invalid("value", "a topic key: 1–24 of a-z, 0-9, _ and -"));
        }
        Ok(Self::TelegramTopic(key.to_owned()))
    }

    pub fn mail_to(address: &str) -> Result<Self, DomainError> {
        let a = crate::Email::parse(address.trim()).map_err(|_| DomainError::invalid("value", "an e-mail address"))?;
        Ok(Self::MailTo(a.as_str().to_lowercase()))
    }

    pub fn holds(&self, ctx: &RoutingContext) -> bool {
        match self {
            Self::MailTo(address) => ctx.mail_to.iter().any(|to| without_tag(to) == *address),
            Self::Segment(id) => ctx.segments.contains(id),
            Self::TelegramTopic(key) => ctx.telegram_topic.as_deref() == Some(key.as_str()),
            Self::PageUrl(p) => ctx.page_url.as_deref().is_some_and(|u| p.matches(u)),
            Self::VisitorProperty { key, value } => {
                ctx.properties.get(key).is_some_and(|v| v.trim().to_lowercase() == value.to_lowercase())
            }
            Self::Language(code) => ctx.language.as_deref().is_some_and(|l| {
                let l = l.trim().to_lowercase();
                l == *code || l.starts_with(&format!("{code}-")) || l.starts_with(&format!("{code}_"))
            }),
        }
    }
}

/// A rule: every condition must hold; then the dialog goes to `channel`.
#[derive(Debug, Clone, PartialEq)]
pub struct RoutingRule<Id> {
    pub id: Id,
    pub conditions: Vec<Condition>,
    pub channel: ChannelId,
}

impl<Id> RoutingRule<Id> {
    pub fn new(id: Id, conditions: Vec<Condition>, channel: ChannelId) -> Result<Self, DomainError> {
        if conditions.is_empty() {
            return Err(DomainError::invalid("conditions", "a rule needs at least one condition"));
        }
        if conditions.len() > 10 {
            return Err(DomainError::invalid("conditions", "at most 10 conditions"));
        }
        Ok(Self { id, conditions, channel })
    }

    pub fn matches(&self, ctx: &RoutingContext) -> bool {
        self.conditions.iter().all(|c| c.holds(ctx))
    }
}

/// An address without its `+tag`, lowercase.
fn without_tag(address: &str) -> String {
    let a = address.trim().to_lowercase();
    match a.rsplit_once('@') {
        Some((local, domain)) => format!("{}@{domain}", local.split('+').next().unwrap_or(local)),
        None => a,
    }
}

/// What routing may look at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoutingContext {
    pub page_url: Option<String>,
    pub properties: BTreeMap<String, String>,
    pub language: Option<String>,
    /// The topic a Telegram chat chose (none for the widget).
    pub telegram_topic: Option<String>,
    /// The addresses a mail was sent to (none but for the mail channel).
    pub mail_to: Vec<String>,
    /// The segments the visitor is in, of those the rules name (filled only when a rule names
    /// one).
    pub segments: Vec<uuid::Uuid>,
}

/// Where a new dialog goes and why: the first matching rule, else the default channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Routed<Id> {
    ByRule { rule: Id, channel: ChannelId },
    Default(ChannelId),
}

impl<Id> Routed<Id> {
    pub fn channel(&self) -> ChannelId {
        match self {
            Self::ByRule { channel, .. } | Self::Default(channel) => *channel,
        }
    }
}

pub fn route<Id: Clone>(rules: &[RoutingRule<Id>], ctx: &RoutingContext, default: ChannelId) -> Routed<Id> {
    rules
        .iter()
        .find(|r| r.matches(ctx))
        .map(|r| Routed::ByRule { rule: r.id.clone(), channel: r.channel })
        .unwrap_or(Routed::Default(default))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(url: &str, city: Option<&str>, lang: Option<&str>) -> RoutingContext {
        let mut properties = BTreeMap::new();
        if let Some(c) = city {
            properties.insert("city".to_owned(), c.to_owned());
        }
        RoutingContext {
            page_url: Some(url.to_owned()),
            properties,
            language: lang.map(str::to_owned),
            telegram_topic: None,
            mail_to: Vec::new(),
            segments: Vec::new(),
        }
    }

    #[test]
    fn globs_cover_the_whole_url() {
        let g = |p: &str, u: &str| UrlPattern::glob(p).expect("glob").matches(u);
        assert!(g("https://shop.example.com/msk/*", "https://shop.example.com/msk/kitchens?x=1"));
        assert!(!g("https://shop.example.com/msk/*", "https://shop.example.com/spb/kitchens"));
        assert!(g("*/kitchen-?", "https://a.example/kitchen-7"));
        assert!(!g("*/kitchen-?", "https://a.example/kitchen-77"));
        assert!(g("*", ""));
        assert!(g("*a*a*a*a*b", &format!("{}b", "a".repeat(40))));
        assert!(!g("*a*a*a*a*b", &"a".repeat(200)), "no blow-up on a pathological pattern");
    }

    #[test]
    fn regexes_search_and_bad_ones_are_refused() {
        let r = UrlPattern::regex(r"/(msk|moscow)/").expect("regex");
        assert!(r.matches("https://shop.example.com/msk/sale"));
        assert!(!r.matches("https://shop.example.com/spb/sale"));
        assert_eq!(
            UrlPattern::regex("(unclosed").err().map(|e| e.to_string()),
            Some("pattern: not a valid regular expression".into())
        );
        assert!(UrlPattern::glob("  ").is_err());
    }

    #[test]
    fn the_first_matching_rule_wins_else_the_default() {
        let (msk, spb, shop, default) = (ChannelId::new(), ChannelId::new(), ChannelId::new(), ChannelId::new());
        let rules = vec![
            RoutingRule::new(1, vec![Condition::property("city", "Москва").expect("c")], msk).expect("rule"),
            RoutingRule::new(2, vec![Condition::property("city", "Санкт-Петербург").expect("c")], spb).expect("rule"),
            RoutingRule::new(
                3,
                vec![
                    Condition::PageUrl(UrlPattern::glob("*/shop/*").expect("g")),
                    Condition::language("ru").expect("l"),
                ],
                shop,
            )
            .expect("rule"),
        ];
        assert_eq!(
            route(&rules, &ctx("https://a.example/shop/1", Some(" москва "), None), default),
            Routed::ByRule { rule: 1, channel: msk }
        );
        assert_eq!(route(&rules, &ctx("https://a.example/", Some("Санкт-Петербург"), None), default).channel(), spb);
        assert_eq!(route(&rules, &ctx("https://a.example/shop/1", None, Some("ru-RU")), default).channel(), shop);
        assert_eq!(
            route(&rules, &ctx("https://a.example/shop/1", None, Some("en-GB")), default),
            Routed::Default(default),
            "all conditions must hold"
        );
        assert_eq!(
            route(&rules, &ctx("https://a.example/", Some("Казань"), Some("ru")), default),
            Routed::Default(default)
        );
        assert_eq!(route::<u32>(&[], &RoutingContext::default(), default), Routed::Default(default));
    }

    #[test]
    fn languages_match_by_primary_subtag() {
        let ru = Condition::language("RU").expect("ru");
        for (l, ok) in [("ru", true), ("ru-RU", true), ("ru_ru", true), ("rus", false), ("en", false)] {
            assert_eq!(ru.holds(&RoutingContext { language: Some(l.into()), ..Default::default() }), ok, "{l}");
        }
        assert!(Condition::language("русский").is_err());
        assert!(RoutingRule::new(1, vec![], ChannelId::new()).is_err(), "a rule without conditions");
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_glob_without_wildcards_matches_only_itself(s in "[a-z/.:]{0,30}", t in "[a-z/.:]{0,30}") {
            prop_assume!(!s.is_empty());
            prop_assert_eq!(glob_match(&s, &t), s == t);
        }

        #[test]
        fn a_star_around_text_is_containment(s in "[a-z]{1,8}", t in "[a-z]{0,40}") {
            prop_assert_eq!(glob_match(&format!("*{s}*"), &t), t.contains(&s));
        }

        #[test]
        fn question_marks_match_exactly_that_many_characters(n in 0usize..20, t in "[a-zа-я]{0,25}") {
            prop_assert_eq!(glob_match(&"?".repeat(n), &t), t.chars().count() == n);
        }
    }

    #[test]
    fn a_mail_address_condition_holds_for_any_recipient_with_or_without_a_tag() {
        let c = Condition::mail_to(" Service@Kitchen.Example ").expect("address");
        let to =
            |a: &[&str]| RoutingContext { mail_to: a.iter().map(|s| (*s).to_owned()).collect(), ..Default::default() };
        assert!(c.holds(&to(&["help@kitchen.example", "service@kitchen.example"])));
        assert!(c.holds(&to(&["SERVICE+x.y@kitchen.example"])));
        assert!(!c.holds(&to(&["help@kitchen.example"])));
        assert!(!c.holds(&to(&[])));
        assert!(Condition::mail_to("not an address").is_err());
    }
}
