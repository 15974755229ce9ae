//! Escalation forms (issue 15): what an admin defines (the fields a visitor fills, the
//! department's address, the subject, the answer with its due time) and the checks both sides
//! run: a form as an admin writes it, and a visitor's answers to it. Pure: the caller stores,
//! mails and counts.
//!
//! The kitchen maker's manual: "collect full name, contract number, e-mail and phone, send them
//! to the service department's address with the subject «Вопрос по рекламации, онлайн-чат»,
//! and tell the client the answer comes by e-mail within 24 hours, excluding Saturday and
//! Sunday".

use crate::Timestamp;
use crate::hours::{BusinessHours, Interval};
use crate::mail::{Lang, Rendered};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a field takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldKind {
    /// Free text, at most 1000 characters.
    Text,
    /// A number or code that must match `pattern` whole (a regular expression: `\d{6}`,
    /// `[A-Я]{2}-\d{4}`).
    Contract {
        pattern: String,
    },
    Email,
    Phone,
}

/// A field of a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormField {
    /// Its key in the answers: 1–32 of `a-z`, `0-9` and `_`, unique in the form.
    pub key: String,
    /// What the visitor reads (`ФИО`, `Номер договора`): 1–100 characters.
    pub label: String,
    #[serde(flatten)]
    pub kind: FieldKind,
    #[serde(default)]
    pub required: bool,
}

/// How a form's due time is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DueCounting {
    /// Every hour of Monday to Friday in the channel's time zone, its holidays left out:
    /// "within 24 hours, excluding Saturday and Sunday" (Friday 15:00 + 24 → Monday 15:00).
    #[default]
    Weekdays,
    /// The channel's business hours.
    BusinessHours,
    /// Every hour.
    Calendar,
}

/// A form as admins write it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormDoc {
    /// 1–100 characters: what operators pick (`Рекламация`).
    pub name: String,
    /// 1–20 fields.
    pub fields: Vec<FormField>,
    /// Where the filled form is mailed.
    pub department_email: String,
    /// The mail's subject: 1–200 characters.
    pub subject: String,
    /// What the visitor is told once he sent it: 1–1000 characters; `{number}` is his request's
    /// number, `{due}` the due time.
    pub answer: String,
    /// Hours until the answer is due: 1–720.
    pub due_hours: i64,
    #[serde(default)]
    pub counting: DueCounting,
    /// The language of the department's mail: `ru` or `en`.
    #[serde(default = "russian")]
    pub language: String,
}

fn russian() -> String {
    "ru".into()
}

/// A value refused: which field (`fields[2].pattern`, or an answer's key) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError {
    pub field: String,
    pub reason: String,
}

fn refuse(field: impl Into<String>, reason: &str) -> FormError {
    FormError { field: field.into(), reason: reason.to_owned() }
}

fn text(field: &str, s: &str, max: usize) -> Result<String, FormError> {
    let t = s.trim();
    if t.is_empty() || t.chars().count() > max || t.chars().any(|c| c.is_control() && c != '\n') {
        return Err(refuse(field, &format!("1–{max} characters")));
    }
    Ok(t.to_owned())
}

/// `pattern` as a whole-value regular expression; `None` when it does not compile.
fn whole(pattern: &str) -> Option<regex_lite::Regex> {
    regex_lite::Regex::new(&format!("^(?:{pattern})$")).ok()
}

impl FormDoc {
    /// Checks and trims a form; the first bad value is named.
    pub fn check(self) -> Result<Self, FormError> {
        let name = text("name", &self.name, 100)?;
        if self.fields.is_empty() || self.fields.len() > 20 {
            return Err(refuse("fields", "1–20 fields"));
        }
        let mut fields = Vec::with_capacity(self.fields.len());
        for (i, f) in self.fields.into_iter().enumerate() {
            let at = |what: &str| format!("fields[{i}].{what}");
            let key = f.key.trim().to_owned();
            if key.is_empty()
                || key.len() > 32
                || !key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                return Err(refuse(at("key"), "1–32 of a-z, 0-9 and _"));
            }
            if fields.iter().any(|g: &FormField| g.key == key) {
                return Err(refuse(at("key"), "another field has this key"));
            }
            let label = text(&at("label"), &f.label, 100)?;
            let kind = match f.kind {
                FieldKind::Contract { pattern } => {
                    let pattern = pattern.trim().to_owned();
                    if pattern.is_empty() || pattern.chars().count() > 200 || whole(&pattern).is_none() {
                        return Err(refuse(at("pattern"), "a regular expression of 1–200 characters"));
                    }
                    FieldKind::Contract { pattern }
                }
                other => other,
            };
            fields.push(FormField { key, label, kind, required: f.required });
        }
        let department_email = crate::Email::parse(self.department_email.trim())
            .map_err(|_| refuse("department_email", "an e-mail address"))?
            .as_str()
            .to_owned();
        let subject = text("subject", &self.subject, 200)?;
        if subject.contains('\n') {
            return Err(refuse("subject", "one line"));
        }
        let answer = text("answer", &self.answer, 1000)?;
        if !(1..=720).contains(&self.due_hours) {
            return Err(refuse("due_hours", "1–720 hours"));
        }
        if self.language != "ru" && self.language != "en" {
            return Err(refuse("language", "ru or en"));
        }
        Ok(Self {
            name,
            fields,
            department_email,
            subject,
            answer,
            due_hours: self.due_hours,
            counting: self.counting,
            language: self.language,
        })
    }

    pub fn lang(&self) -> Lang {
        if self.language == "en" { Lang::En } else { Lang::Ru }
    }
}

/// Checks a visitor's answers to a form: every refusal at its field's key (all of them, for
/// the card to mark each); the answers kept, in the form's order, as `(key, value)`.
pub fn check_answers(
    fields: &[FormField],
    answers: &BTreeMap<String, String>,
) -> Result<Vec<(String, String)>, Vec<FormError>> {
    let mut errors = Vec::new();
    let mut kept = Vec::new();
    for key in answers.keys() {
        if !fields.iter().any(|f| &f.key == key) {
            errors.push(refuse(key.as_str(), "not a field of this form"));
        }
    }
    for f in fields {
        let value = answers.get(&f.key).map(|v| v.trim()).unwrap_or("");
        if value.is_empty() {
            if f.required {
                errors.push(refuse(f.key.as_str(), "required"));
            }
            continue;
        }
        let checked = match &f.kind {
            FieldKind::Text => {
                if value.chars().count() > 1000 || value.chars().any(|c| c.is_control() && c != '\n') {
                    Err("at most 1000 characters")
                } else {
                    Ok(value.to_owned())
                }
            }
            FieldKind::Contract { pattern } => match whole(pattern) {
                Some(re) if re.is_match(value) => Ok(value.to_owned()),
                _ => Err("does not match the expected format"),
            },
            FieldKind::Email => {
                crate::Email::parse(value).map(|e| e.as_str().to_owned()).map_err(|_| "not an e-mail address")
            }
            FieldKind::Phone => crate::Phone::parse(value).map(|_| value.to_owned()).map_err(|_| "not a phone number"),
        };
        match checked {
            Ok(v) => kept.push((f.key.clone(), v)),
            Err(reason) => errors.push(refuse(f.key.as_str(), reason)),
        }
    }
    if errors.is_empty() { Ok(kept) } else { Err(errors) }
}

/// Monday to Friday, every hour, in `tz`, without `holidays`.
pub fn weekdays(tz: jiff::tz::TimeZone, holidays: std::collections::BTreeSet<jiff::civil::Date>) -> BusinessHours {
    let day = vec![Interval { open: 0, close: 1440 }];
    let week = [day.clone(), day.clone(), day.clone(), day.clone(), day, Vec::new(), Vec::new()];
    BusinessHours::weekly(tz, week, holidays)
}

/// When an answer promised at `at` within `hours` counted on `hours_of` is due.
pub fn due_at(at: Timestamp, hours: i64, hours_of: &BusinessHours) -> Timestamp {
    hours_of.add_working(at, hours * 3_600_000)
}

/// The answer's text with `{number}` and `{due}` filled in.
pub fn answer_text(template: &str, number: i64, due: &str) -> String {
    template.replace("{number}", &number.to_string()).replace("{due}", due)
}

/// The mail to the department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentMail {
    pub lang: Lang,
    pub form: String,
    /// The department's ticket.
    pub number: i64,
    /// The client's ticket, linked to it.
    pub client_number: i64,
    pub dialog_number: i64,
    /// Where operators open the dialog (none without a public address).
    pub link: Option<String>,
    /// `(label, value)` in the form's order, every field (blank ones as «—»).
    pub answers: Vec<(String, String)>,
    /// When the answer is due, as the reader's clock shows it.
    pub due: String,
}

/// The department's mail: every field, the dialog, the due time, how to answer.
pub fn department_mail(m: &DepartmentMail, subject: &str) -> Rendered {
    let mut text = String::new();
    match m.lang {
        Lang::Ru => {
            text.push_str(&format!("Заявка №{} по форме «{}» из диалога №{}.\n\n", m.number, m.form, m.dialog_number));
        }
        Lang::En => {
            text.push_str(&format!("Request #{} ({}) from dialog #{}.\n\n", m.number, m.form, m.dialog_number));
        }
    }
    for (label, value) in &m.answers {
        let value = if value.is_empty() { "—" } else { value.as_str() };
        if value.contains('\n') {
            text.push_str(&format!("{label}:\n"));
            for l in value.lines() {
                text.push_str(&format!("  {l}\n"));
            }
        } else {
            text.push_str(&format!("{label}: {value}\n"));
        }
    }
    text.push('\n');
    match m.lang {
        Lang::Ru => {
            text.push_str(&format!("Клиенту обещан ответ до {}; его заявка — №{}.\n", m.due, m.client_number));
            if let Some(link) = &m.link {
                text.push_str(&format!("Диалог: {link}\n"));
            }
            text.push_str("\nОтветьте на это письмо: ответ придёт в заявку, и оператор его увидит.\n");
        }
        Lang::En => {
            text.push_str(&format!(
                "The client was promised an answer by {}; his request is #{}.\n",
                m.due, m.client_number
            ));
            if let Some(link) = &m.link {
                text.push_str(&format!("Dialog: {link}\n"));
            }
            text.push_str("\nReply to this mail: the answer goes to the request, and the operator sees it.\n");
        }
    }
    Rendered { subject: format!("{subject} [№{}]", m.number), text }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kitchen() -> FormDoc {
        serde_json::from_value(serde_json::json!({
            "name": " Рекламация ",
            "fields": [
                {"key": "name", "label": "ФИО", "kind": "text", "required": true},
                {"key": "contract", "label": "Номер договора", "kind": "contract", "pattern": "\\d{6}", "required": true},
                {"key": "email", "label": "E-mail", "kind": "email", "required": true},
                {"key": "phone", "label": "Телефон", "kind": "phone"}
            ],
            "department_email": "Service@Kitchen.Example",
            "subject": "Вопрос по рекламации, онлайн-чат",
            "answer": "Спасибо! Заявка №{number} передана в сервис. Ответ придёт на почту до {due}.",
            "due_hours": 24
        }))
        .expect("json")
    }

    #[test]
    fn a_form_is_checked_and_each_bad_value_named() {
        let f = kitchen().check().expect("good");
        assert_eq!((f.name.as_str(), f.department_email.as_str()), ("Рекламация", "service@kitchen.example"));
        assert_eq!((f.counting, f.language.as_str()), (DueCounting::Weekdays, "ru"));
        let bad = |change: &dyn Fn(&mut FormDoc)| {
            let mut f = kitchen();
            change(&mut f);
            f.check().expect_err("bad").field
        };
        assert_eq!(bad(&|f| f.name = " ".into()), "name");
        assert_eq!(bad(&|f| f.fields.clear()), "fields");
        assert_eq!(bad(&|f| f.fields[1].key = "Номер".into()), "fields[1].key");
        assert_eq!(bad(&|f| f.fields[2].key = "name".into()), "fields[2].key");
        assert_eq!(bad(&|f| f.fields[3].label = "".into()), "fields[3].label");
        assert_eq!(bad(&|f| f.fields[1].kind = FieldKind::Contract { pattern: "(".into() }), "fields[1].pattern");
        assert_eq!(bad(&|f| f.department_email = "service".into()), "department_email");
        assert_eq!(bad(&|f| f.subject = "a\nb".into()), "subject");
        assert_eq!(bad(&|f| f.answer = "x".repeat(1001)), "answer");
        assert_eq!(bad(&|f| f.due_hours = 0), "due_hours");
        assert_eq!(bad(&|f| f.language = "de".into()), "language");
    }

    #[test]
    fn answers_are_checked_at_their_fields_all_at_once() {
        let f = kitchen().check().expect("good");
        let answers = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
        };
        let kept = check_answers(
            &f.fields,
            &answers(&[("name", " Мария Иванова "), ("contract", "123456"), ("email", "Maria@Mail.Example")]),
        )
        .expect("good");
        assert_eq!(
            kept,
            [
                ("name".to_owned(), "Мария Иванова".to_owned()),
                ("contract".to_owned(), "123456".to_owned()),
                ("email".to_owned(), "maria@mail.example".to_owned())
            ]
        );
        let errors = check_answers(
            &f.fields,
            &answers(&[("contract", "12345"), ("email", "maria"), ("phone", "call me"), ("city", "Тверь")]),
        )
        .expect_err("bad");
        let named: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.reason.as_str())).collect();
        assert_eq!(
            named,
            [
                ("city", "not a field of this form"),
                ("name", "required"),
                ("contract", "does not match the expected format"),
                ("email", "not an e-mail address"),
                ("phone", "not a phone number")
            ]
        );
        // The pattern holds for the whole value only.
        let errors =
            check_answers(&f.fields, &answers(&[("name", "М"), ("contract", "1234567"), ("email", "m@mail.example")]))
                .expect_err("bad");
        assert_eq!(errors[0].field, "contract");
    }

    #[test]
    fn friday_afternoon_plus_24_weekday_hours_is_monday_afternoon() {
        let tz = jiff::tz::TimeZone::get("Europe/Moscow").expect("tz");
        let at = |s: &str| {
            let dt: jiff::civil::DateTime = s.parse().expect("datetime");
            Timestamp(dt.to_zoned(tz.clone()).expect("zoned").timestamp().as_millisecond())
        };
        let hours = weekdays(tz.clone(), Default::default());
        assert_eq!(due_at(at("2026-12-04T15:00"), 24, &hours), at("2026-12-07T15:00"));
        // Saturday counts from Monday's start; a holiday Monday is skipped.
        assert_eq!(due_at(at("2026-12-05T11:00"), 24, &hours), at("2026-12-08T00:00"));
        let holiday: jiff::civil::Date = "2026-12-07".parse().expect("date");
        let with_holiday = weekdays(tz.clone(), [holiday].into_iter().collect());
        assert_eq!(due_at(at("2026-12-04T15:00"), 24, &with_holiday), at("2026-12-08T15:00"));
        assert_eq!(due_at(at("2026-12-04T15:00"), 24, &BusinessHours::always()), at("2026-12-05T15:00"));
    }

    #[test]
    fn the_answer_names_the_number_and_the_due_time() {
        assert_eq!(
            answer_text("Заявка №{number}, ответ до {due}.", 17, "07.12.2026, 15:00"),
            "Заявка №17, ответ до 07.12.2026, 15:00."
        );
    }

    fn mail(lang: Lang) -> DepartmentMail {
        DepartmentMail {
            lang,
            form: "Рекламация".into(),
            number: 17,
            client_number: 18,
            dialog_number: 42,
            link: Some("https://help.kitchen.example/console/dialogs/0193".into()),
            answers: vec![
                ("ФИО".into(), "Мария Иванова".into()),
                ("Номер договора".into(), "123456".into()),
                ("Описание".into(), "Дверца перекошена.\nФото в чате.".into()),
                ("Телефон".into(), String::new()),
            ],
            due: "07.12.2026, 15:00".into(),
        }
    }

    #[test]
    fn the_department_mail_in_russian() {
        let r = department_mail(&mail(Lang::Ru), "Вопрос по рекламации, онлайн-чат");
        insta::assert_snapshot!(format!("Subject: {}\n\n{}", r.subject, r.text));
    }

    #[test]
    fn the_department_mail_in_english() {
        let r = department_mail(&mail(Lang::En), "Warranty claim, online chat");
        insta::assert_snapshot!(format!("Subject: {}\n\n{}", r.subject, r.text));
    }
}
