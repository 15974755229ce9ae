//! What Frontline's mail says and how its reply addresses read: the texts of the mails it
//! writes (in Russian and English), and the `<local>+<dialog>.<signature>@<domain>` address a
//! reply comes back through. Pure: the caller signs, sends and stores.

use crate::Timestamp;

/// The language a mail is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ru,
    En,
}

impl Lang {
    /// The language for a person whose widget or client said `tag` (`ru-RU`, `en`): Russian
    /// for Russian and its neighbours, and when nothing is known; English otherwise.
    pub fn of(tag: Option<&str>) -> Self {
        match tag.map(|t| t.trim().to_ascii_lowercase()) {
            None => Self::Ru,
            Some(t) if t.is_empty() => Self::Ru,
            Some(t) if ["ru", "be", "uk", "kk"].iter().any(|p| t == *p || t.starts_with(&format!("{p}-"))) => Self::Ru,
            Some(_) => Self::En,
        }
    }
}

/// A line of the conversation as a mail shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Who wrote it (`Анна`); `None`: the visitor himself.
    pub author: Option<String>,
    /// When, as the reader's clock shows it (see [`clock`]).
    pub at: String,
    pub text: String,
    /// The names of its files.
    pub files: Vec<String>,
}

/// A reply mailed to a visitor who did not see it in the widget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub lang: Lang,
    pub dialog_number: i64,
    pub visitor_name: Option<String>,
    /// What he has not seen, oldest first.
    pub unseen: Vec<Line>,
    /// What came before it, for context, oldest first.
    pub earlier: Vec<Line>,
    /// The name the team signs with (the mail setup's display name).
    pub team: String,
}

/// A mail's subject and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
}

fn line(out: &mut String, l: &Line, lang: Lang) {
    let who = match (&l.author, lang) {
        (Some(a), _) => a.as_str(),
        (None, Lang::Ru) => "Вы",
        (None, Lang::En) => "You",
    };
    out.push_str(&format!("{who}, {}:\n", l.at));
    for t in l.text.lines() {
        out.push_str(&format!("  {t}\n"));
    }
    for f in &l.files {
        let attached = match lang {
            Lang::Ru => "файл во вложении",
            Lang::En => "attached",
        };
        out.push_str(&format!("  📎 {f} ({attached})\n"));
    }
    out.push('\n');
}

/// The follow-up mail: his unseen replies, what came before, and how to answer.
pub fn follow_up(f: &FollowUp) -> Rendered {
    let mut text = String::new();
    let (subject, hello, intro, before, answer) = match f.lang {
        Lang::Ru => (
            format!("Ответ по Вашему обращению №{}", f.dialog_number),
            match &f.visitor_name {
                Some(n) => format!("Здравствуйте, {n}!"),
                None => "Здравствуйте!".to_owned(),
            },
            "Пока Вас не было в чате на сайте, Вам ответили:",
            "Ранее в разговоре:",
            "Чтобы ответить, просто ответьте на это письмо — ответ придёт в тот же разговор.",
        ),
        Lang::En => (
            format!("A reply to your request #{}", f.dialog_number),
            match &f.visitor_name {
                Some(n) => format!("Hello, {n}!"),
                None => "Hello!".to_owned(),
            },
            "While you were away from the chat on our site, you got a reply:",
            "Earlier in the conversation:",
            "To answer, just reply to this mail: your answer goes to the same conversation.",
        ),
    };
    text.push_str(&format!("{hello}\n\n{intro}\n\n"));
    for l in &f.unseen {
        line(&mut text, l, f.lang);
    }
    if !f.earlier.is_empty() {
        text.push_str(&format!("{before}\n\n"));
        for l in &f.earlier {
            line(&mut text, l, f.lang);
        }
    }
    text.push_str(&format!("{answer}\n\n-- \n{}\n", f.team));
    Rendered { subject, text }
}

/// What an operator is told about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeKind {
    /// A dialog was given to him (assigned, transferred to him).
    Assigned,
    /// A colleague's note mentions him; `by` names the colleague.
    Mentioned { by: String },
    /// The visitor wrote in a dialog that is his.
    Wrote,
    /// A department answered a ticket of a dialog that is his (`number`: the ticket's).
    TicketAnswered { number: i64 },
}

/// One thing an operator is told about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub dialog_number: i64,
    /// The visitor's name or `Посетитель 12`.
    pub visitor: String,
    /// The note, or the dialog's last line, shortened.
    pub excerpt: String,
    /// Where the console opens the dialog (none without a public address).
    pub link: Option<String>,
}

/// The gathered mail to an operator who was offline or away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    pub lang: Lang,
    pub operator_name: String,
    pub notices: Vec<Notice>,
}

fn notice_line(n: &Notice, lang: Lang) -> String {
    match (&n.kind, lang) {
        (NoticeKind::Assigned, Lang::Ru) => format!("Вам передан диалог №{} ({})", n.dialog_number, n.visitor),
        (NoticeKind::Assigned, Lang::En) => format!("Dialog #{} ({}) was given to you", n.dialog_number, n.visitor),
        (NoticeKind::Mentioned { by }, Lang::Ru) => {
            format!("{by} упоминает Вас в заметке к диалогу №{} ({})", n.dialog_number, n.visitor)
        }
        (NoticeKind::Mentioned { by }, Lang::En) => {
            format!("{by} mentioned you in a note on dialog #{} ({})", n.dialog_number, n.visitor)
        }
        (NoticeKind::Wrote, Lang::Ru) => format!("{} пишет в Вашем диалоге №{}", n.visitor, n.dialog_number),
        (NoticeKind::Wrote, Lang::En) => format!("{} wrote in your dialog #{}", n.visitor, n.dialog_number),
        (NoticeKind::TicketAnswered { number }, Lang::Ru) => {
            format!("Отдел ответил по заявке №{number} (диалог №{}, {})", n.dialog_number, n.visitor)
        }
        (NoticeKind::TicketAnswered { number }, Lang::En) => {
            format!("The department answered request #{number} (dialog #{}, {})", n.dialog_number, n.visitor)
        }
    }
}

/// The mail of an operator's gathered notices.
pub fn digest(d: &Digest) -> Rendered {
    let subject = match (d.notices.as_slice(), d.lang) {
        ([one], lang) => notice_line(one, lang),
        (all, Lang::Ru) => format!("Новое для Вас в Frontline: {}", all.len()),
        (all, Lang::En) => format!("{} updates for you in Frontline", all.len()),
    };
    let (hello, intro, off) = match d.lang {
        Lang::Ru => (
            format!("Здравствуйте, {}!", d.operator_name),
            "Пока Вас не было в консоли:",
            "Эти письма приходят, когда Вы не в сети или отошли. Отключить их можно в консоли: «Профиль» → «Письма о новом».",
        ),
        Lang::En => (
            format!("Hello, {}!", d.operator_name),
            "While you were away from the console:",
            "These mails come while you are offline or away. Turn them off in the console: Profile → Mail about new things.",
        ),
    };
    let mut text = format!("{hello}\n\n{intro}\n\n");
    for n in &d.notices {
        text.push_str(&format!("• {}\n", notice_line(n, d.lang)));
        if !n.excerpt.is_empty() {
            text.push_str(&format!("  «{}»\n", n.excerpt));
        }
        if let Some(link) = &n.link {
            text.push_str(&format!("  {link}\n"));
        }
        text.push('\n');
    }
    text.push_str(&format!("-- \n{off}\n"));
    Rendered { subject, text }
}

/// `text` on one line, cut to `max` characters with an ellipsis.
pub fn excerpt(text: &str, max: usize) -> String {
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() <= max {
        return one;
    }
    let cut: String = one.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// `06.12.2026, 10:02` (Russian) or `6 Dec 2026, 10:02` (English) in the time zone `tz` (an
/// IANA name; UTC when unknown).
pub fn clock(at: Timestamp, tz: &str, lang: Lang) -> String {
    let zone = jiff::tz::TimeZone::get(tz).unwrap_or(jiff::tz::TimeZone::UTC);
    let Ok(ts) = jiff::Timestamp::from_millisecond(at.0) else { return String::new() };
    let z = ts.to_zoned(zone);
    match lang {
        Lang::Ru => z.strftime("%d.%m.%Y, %H:%M").to_string(),
        Lang::En => z.strftime("%-d %b %Y, %H:%M").to_string(),
    }
}

/// [`clock`] with the time zone's abbreviation (`07.12.2026, 15:00 MSK`): for a reader who may be
/// in another zone than the one the time is told in.
pub fn clock_with_zone(at: Timestamp, tz: &str, lang: Lang) -> String {
    let zone = jiff::tz::TimeZone::get(tz).unwrap_or(jiff::tz::TimeZone::UTC);
    let abbreviation = jiff::Timestamp::from_millisecond(at.0)
        .map(|ts| ts.to_zoned(zone).strftime("%Z").to_string())
        .unwrap_or_default();
    let told = clock(at, tz, lang);
    if abbreviation.is_empty() { told } else { format!("{told} {abbreviation}") }
}

/// The lowercase base32 alphabet of RFC 4648 (mail addresses are read case-blind).
const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// Bytes as unpadded lowercase base32.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((acc >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((acc << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Unpadded base32 back to bytes (any case); `None` for a character outside the alphabet.
pub fn unbase32(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = ALPHABET.iter().position(|&a| a == c.to_ascii_lowercase())? as u32;
        acc = (acc << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// How many bytes of the signature a reply address carries (80 bits).
pub const SIGNATURE_BYTES: usize = 10;

/// The reply address of a dialog: `support+<dialog>.<signature>@domain` for the support
/// address `support@domain` (subaddressing: the mail lands in the support mailbox).
pub fn reply_address(support: &str, dialog: uuid::Uuid, signature: &[u8]) -> String {
    let (local, domain) = support.rsplit_once('@').unwrap_or((support, ""));
    let local = local.split('+').next().unwrap_or(local);
    let sig = &signature[..signature.len().min(SIGNATURE_BYTES)];
    format!("{local}+{}.{}@{domain}", base32(dialog.as_bytes()), base32(sig))
}

/// The dialog and signature a reply address names, when it is one of `support`'s;
/// `None` for any other address.
pub fn read_reply_address(support: &str, address: &str) -> Option<(uuid::Uuid, Vec<u8>)> {
    let (local, domain) = support.rsplit_once('@')?;
    let local = local.split('+').next().unwrap_or(local);
    let (their_local, their_domain) = address.trim().rsplit_once('@')?;
    if !their_domain.eq_ignore_ascii_case(domain) {
        return None;
    }
    let (base, tag) = their_local.split_once('+')?;
    if !base.eq_ignore_ascii_case(local) {
        return None;
    }
    let (dialog, sig) = tag.split_once('.')?;
    let dialog: [u8; 16] = unbase32(dialog)?.try_into().ok()?;
    let sig = unbase32(sig)?;
    (sig.len() == SIGNATURE_BYTES).then(|| (uuid::Uuid::from_bytes(dialog), sig))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_round_trips() {
        for bytes in [&b""[..], b"f", b"fo", b"foo", b"foob", b"fooba", b"foobar", &[0xff; 16]] {
            assert_eq!(unbase32(&base32(bytes)).as_deref(), Some(bytes), "{bytes:?}");
        }
        assert_eq!(base32(b"foobar"), "mzxw6ytboi");
        assert_eq!(unbase32("MZXW6YTBOI").as_deref(), Some(&b"foobar"[..]));
        assert_eq!(unbase32("mzx!"), None);
    }

    #[test]
    fn a_reply_address_names_its_dialog_and_only_for_its_mailbox() {
        let dialog = uuid::Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0042);
        let sig = [7u8; 32];
        let a = reply_address("help@kitchen.example", dialog, &sig);
        assert!(a.starts_with("help+") && a.ends_with("@kitchen.example"), "{a}");
        assert!(a.split('@').next().is_some_and(|l| l.len() <= 64), "{a}");
        let (d, s) = read_reply_address("help@kitchen.example", &a).expect("read");
        assert_eq!((d, s.as_slice()), (dialog, &sig[..SIGNATURE_BYTES]));
        // Case-blind, as mail servers are.
        assert!(read_reply_address("help@kitchen.example", &a.to_uppercase()).is_some());
        // Another mailbox or domain, no tag, a broken tag: not a reply address.
        assert_eq!(read_reply_address("sales@kitchen.example", &a), None);
        assert_eq!(read_reply_address("help@other.example", &a), None);
        assert_eq!(read_reply_address("help@kitchen.example", "help@kitchen.example"), None);
        assert_eq!(read_reply_address("help@kitchen.example", "help+abc@kitchen.example"), None);
        assert_eq!(read_reply_address("help@kitchen.example", "help+abc.def@kitchen.example"), None);
    }

    #[test]
    fn a_time_told_to_someone_elsewhere_names_its_zone() {
        let at = Timestamp(1_796_544_120_000); // 2026-12-06 08:02 UTC
        assert_eq!(clock_with_zone(at, "Europe/Moscow", Lang::Ru), "06.12.2026, 11:02 MSK");
        assert_eq!(clock_with_zone(at, "Asia/Yekaterinburg", Lang::En), "6 Dec 2026, 13:02 +05");
        assert_eq!(clock_with_zone(at, "Mars/Olympus", Lang::Ru), "06.12.2026, 08:02 UTC");
    }

    #[test]
    fn the_language_follows_the_widget() {
        assert_eq!(Lang::of(Some("ru-RU")), Lang::Ru);
        assert_eq!(Lang::of(Some("uk")), Lang::Ru);
        assert_eq!(Lang::of(None), Lang::Ru);
        assert_eq!(Lang::of(Some("en-GB")), Lang::En);
        assert_eq!(Lang::of(Some("de")), Lang::En);
        assert_eq!(Lang::of(Some("rus")), Lang::En);
    }

    fn sample(lang: Lang) -> FollowUp {
        let at = Timestamp(1_796_544_120_000); // 2026-12-06 08:02 UTC
        FollowUp {
            lang,
            dialog_number: 42,
            visitor_name: Some("Мария".into()),
            unseen: vec![Line {
                author: Some("Анна".into()),
                at: clock(at, "Europe/Moscow", lang),
                text: "Кухня приедет в пятницу.\nСборщик позвонит накануне.".into(),
                files: vec!["договор.pdf".into()],
            }],
            earlier: vec![Line {
                author: None,
                at: clock(Timestamp(at.0 - 120_000), "Europe/Moscow", lang),
                text: "Когда доставка?".into(),
                files: vec![],
            }],
            team: "Кухни «Уют»".into(),
        }
    }

    #[test]
    fn the_follow_up_mail_in_russian() {
        let r = follow_up(&sample(Lang::Ru));
        insta::assert_snapshot!(format!("Subject: {}\n\n{}", r.subject, r.text));
    }

    #[test]
    fn the_follow_up_mail_in_english() {
        let mut f = sample(Lang::En);
        f.visitor_name = None;
        let r = follow_up(&f);
        insta::assert_snapshot!(format!("Subject: {}\n\n{}", r.subject, r.text));
    }

    fn notices(lang: Lang) -> Digest {
        Digest {
            lang,
            operator_name: "Анна".into(),
            notices: vec![
                Notice {
                    kind: NoticeKind::Assigned,
                    dialog_number: 12,
                    visitor: "Мария".into(),
                    excerpt: excerpt("Когда привезут\nкухню?", 140),
                    link: Some("https://help.kitchen.example/console/dialogs/0193".into()),
                },
                Notice {
                    kind: NoticeKind::Wrote,
                    dialog_number: 13,
                    visitor: "Иван".into(),
                    excerpt: "Дверца перекошена".into(),
                    link: None,
                },
                Notice {
                    kind: NoticeKind::TicketAnswered { number: 17 },
                    dialog_number: 42,
                    visitor: "Мария".into(),
                    excerpt: "Мастер приедет во вторник.".into(),
                    link: None,
                },
                Notice {
                    kind: NoticeKind::Mentioned { by: "Борис".into() },
                    dialog_number: 14,
                    visitor: "Посетитель 7".into(),
                    excerpt: excerpt(&"очень длинная заметка ".repeat(20), 60),
                    link: None,
                },
            ],
        }
    }

    #[test]
    fn the_operator_digest_in_russian() {
        let r = digest(&notices(Lang::Ru));
        insta::assert_snapshot!(format!("Subject: {}\n\n{}", r.subject, r.text));
    }

    #[test]
    fn the_operator_digest_in_english() {
        let r = digest(&notices(Lang::En));
        insta::assert_snapshot!(format!("Subject: {}\n\n{}", r.subject, r.text));
    }

    #[test]
    fn one_notice_is_its_own_subject() {
        let mut d = notices(Lang::Ru);
        d.notices.truncate(1);
        assert_eq!(digest(&d).subject, "Вам передан диалог №12 (Мария)");
        assert_eq!(excerpt("  a\n b  ", 10), "a b");
        assert_eq!(excerpt("abcdefghijk", 5), "abcd…");
    }
}
