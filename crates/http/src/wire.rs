//! What the OpenAPI document says of each request field: named schemas (`Name`, `Email`,
//! `MessageText`…) for `#[schema(value_type = …)]` and `#[param(value_type = …)]`, each stating
//! the limits of the parser behind the field (the patterns of `frontline_domain::patterns`,
//! checked there against the parsers), so that a request the document allows is one the server
//! takes and a request it forbids is one the server refuses. [`Limits`] adds the rules that tie
//! fields of one body together (`oneOf`/`anyOf`).
//!
//! Configurable limits are stated at their defaults: the message limit (`message_limit`, 4000
//! characters) and the files of a message (`upload_max_files`, 5).

use frontline_domain::named_schemas;
use frontline_domain::patterns::schema as s;
pub use frontline_domain::patterns::schema::Id;
use frontline_domain::patterns::{self as p, Trimmed};
use std::collections::BTreeMap;
use utoipa::PartialSchema;
use utoipa::openapi::schema::{AnyOfBuilder, ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type};
use utoipa::openapi::{Ref, RefOr};

type Out = RefOr<Schema>;

/// The message limit the document states (`message_limit`'s default).
pub const MESSAGE_LIMIT: usize = frontline_domain::MessageBody::DEFAULT_LIMIT;
/// The files a message may carry as the document states them (`upload_max_files`' default).
pub const MAX_FILES: usize = 5;

const TRIMMED: &str =
    "once invisible characters (bidi controls, zero-width characters) are removed and white space is trimmed";

/// Blank (nothing but white space, of any length), or the named schema.
fn blank_or(name: &str, description: &str) -> Schema {
    let blank = s::text(p::blank(), "Blank.");
    Schema::AnyOf(AnyOfBuilder::new().item(blank).item(component(name)).description(Some(description)).build())
}

/// An attribute's or an event property's value: a string, a finite number or a boolean (and
/// `null` where it removes one).
fn attribute_value(nullable: bool) -> Schema {
    let text = ObjectBuilder::new().schema_type(Type::String).max_length(Some(frontline_domain::leads::MAX_TEXT));
    let mut any = AnyOfBuilder::new()
        .item(text)
        .item(ObjectBuilder::new().schema_type(Type::Number))
        .item(ObjectBuilder::new().schema_type(Type::Boolean));
    if nullable {
        any = any.item(ObjectBuilder::new().schema_type(Type::Null));
    }
    Schema::AnyOf(any.build())
}

fn uuid_alternative() -> &'static str {
    p::UUID.trim_start_matches('^').trim_end_matches('$')
}

named_schemas! {
    /// A client's id for a send.
    ClientId => s::text(p::CLIENT_ID.into(), "1–64 printable ASCII characters; a retry with the same id is not stored twice.").build();
    /// A site's widget key.
    SiteKey => s::text(p::SITE_KEY.into(), "8–64 characters of `A-Za-z0-9_-`; an unknown key is `403 unknown_site_key`.").build();
    /// A person's, a channel's or a saved reply's name.
    Name => s::text(p::name(), &format!("1–80 characters {TRIMMED}; no control characters.")).build();
    /// A name, or blank to clear it.
    NameOrBlank => blank_or("Name", "Blank clears it; else a name (see `Name`).");
    /// A tag's or a category's name.
    Label => s::text(p::label(), &format!("1–40 characters {TRIMMED}; no control characters.")).build();
    /// An e-mail address.
    Email => s::text(p::email(), "One `@` with something before it and a domain with a dot inside after it; at most 254 characters; white space around is trimmed.")
        .max_length(Some(254))
        .build();
    /// An e-mail address, or blank.
    EmailOrBlank => blank_or("Email", "Blank is none; else an e-mail address (see `Email`).");
    /// A phone number.
    Phone => s::text(p::phone(), "5–15 digits among `+ ( ) - .` and spaces, at most 32 characters; white space around is trimmed.")
        .max_length(Some(32))
        .build();
    /// A phone number, or blank.
    PhoneOrBlank => blank_or("Phone", "Blank is none; else a phone number (see `Phone`).");
    /// A new password.
    Password => ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(8))
        .max_length(Some(256))
        .description(Some("8–256 characters."))
        .build();
    /// A workspace's short name, or blank.
    WorkspaceSlug => s::text("^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$".into(), "2–40 characters of `a-z`, `0-9` and `-`, not starting or ending with `-`.").build();
    WorkspaceOrBlank => s::text(p::workspace_slug(), "Blank is none; else 2–40 characters of `a-z` (any case), `0-9` and `-`, not starting or ending with `-`.").build();
    /// An operator's role.
    Role => s::one_of(&["admin", "supervisor", "operator"], false);
    /// The console's language.
    ConsoleLanguage => s::one_of(&["ru", "en"], false);
    /// A web origin a site's widget may run on.
    SiteOrigin => ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(300))
        .description(Some("An http or https origin: `https://shop.example.com`, `http://localhost:3000`."))
        .build();
    /// An operator's presence.
    Presence => s::one_of(&["online", "away", "offline"], false);
    /// How a channel hands out its dialogs.
    ChannelMode => s::one_of(&["queue", "auto"], false);
    /// What happens to an operator's dialogs when he goes offline.
    OfflinePolicy => s::one_of(&["keep", "return"], false);
    /// Who may use a saved reply.
    ReplyScope => s::one_of(&["personal", "channel", "workspace"], false);
    /// A message's text.
    MessageText => s::text(p::message_body(), &format!("Not blank {TRIMMED}; no control characters but tab and line ends; at most {MESSAGE_LIMIT} characters as sent (`message_limit`).")).max_length(Some(MESSAGE_LIMIT)).build();
    /// A send's text: a message's, or blank when it carries files.
    MessageTextOrBlank => blank_or("MessageText", "Blank when the send carries files; else a message's text (see `MessageText`).");
    /// A saved reply's text.
    ReplyText => s::text(p::reply_body(), &format!("Not blank {TRIMMED}; at most 4000 characters as sent.")).max_length(Some(4000)).build();
    /// A channel's greeting.
    Greeting => s::text(p::greeting(), &format!("1–1000 characters {TRIMMED}.")).build();
    /// A transfer's comment.
    TransferComment => s::text(p::transfer_comment(), &format!("At most 1000 characters {TRIMMED}; blank is none.")).build();
    /// Why an operator sends past a quality-guard block.
    OverrideReason => s::trimmed(&Trimmed::text(1, 500), "1–500 characters once white space is trimmed.").build();
    /// A rating's comment.
    RatingComment => s::text(p::rating_comment(), "At most 1000 characters once white space is trimmed, no control characters but line feeds; blank is none.").build();
    /// The page the visitor is on.
    PageUrl => s::trimmed(&Trimmed::text(0, 2000), "At most 2000 characters once white space is trimmed; blank is none.").build();
    /// The browser's language.
    LanguageTag => s::trimmed(&Trimmed::text(0, 35), "At most 35 characters once white space is trimmed; blank is none.").build();
    /// What the site tells about the visitor.
    VisitorProperties => ObjectBuilder::new()
        .schema_type(Type::Object)
        .max_properties(Some(50))
        .property_names(Some(s::trimmed(&Trimmed::text(1, 100), "1–100 characters once white space is trimmed.")))
        .additional_properties(Some(ObjectBuilder::new().schema_type(Type::String).max_length(Some(500))))
        .description(Some("At most 50; names of 1–100 characters once white space is trimmed, values of at most 500 characters."))
        .build();
    /// An uploaded file's name.
    FileName => s::text(p::file_name(), "Folders, invisible and control characters are dropped, leading dots and white space and trailing white space trimmed; then at most 200 characters (none left is `file`).").build();
    /// A search query.
    SearchText => s::text(p::search_query(), "2–200 characters once white space is trimmed; a query without a letter or a digit finds nothing.").build();
    /// Whose dialogs a list shows.
    AssigneeFilter => s::text(format!("^(?:any|mine|mine_or_unassigned|unassigned|{})$", uuid_alternative()), "`any`, `mine`, `mine_or_unassigned`, `unassigned` or an operator's id.").build();
    /// `next_cursor` of a dialog list.
    DialogCursor => s::text(format!("^-?[0-9]{{1,18}}\\.-?[0-9]{{1,18}}\\.-?[0-9]{{1,18}}\\.{}$", uuid_alternative()), "`next_cursor` of the previous page.").build();
    /// `next_cursor` of the audit log (blank: the first page).
    AuditCursor => s::text(format!("^(?:|-?[0-9]{{1,18}}\\.{})$", uuid_alternative()), "`next_cursor` of the previous page.").build();
    /// `next_cursor` of a message list.
    SeqCursor => s::text("^[0-9]{1,18}$".into(), "`next_cursor` of the previous page (a `seq`).").build();
    /// Dialogs to close at once.
    DialogIds => s::uuids(1, 100);
    /// A dialog's tags.
    TagIds => s::uuids(0, 20);
    /// A channel's members.
    OperatorIds => s::uuids(0, 1000);
    /// The files of a send.
    AttachmentIds => s::uuids(0, MAX_FILES);
    /// The site's own id of a user (Web API).
    UserId => s::text(frontline_domain::leads::name_pattern(), &format!("1–100 characters {TRIMMED}; no control characters.")).build();
    /// An event's name, an attribute's or an event property's name, or an event's id (Web API).
    EventName => s::text(frontline_domain::leads::name_pattern(), &format!("1–100 characters {TRIMMED}; no control characters.")).build();
    /// A visitor tag as sent (kept lower-cased, inner white space folded).
    VisitorTag => s::text(frontline_domain::leads::tag_pattern(), &format!("1–50 characters {TRIMMED}; no control characters or commas.")).build();
    /// What a Web API key may do.
    ApiScope => s::one_of(&["visitors:read", "visitors:write", "events:write"], false);
    /// What a new Web API key may do: each scope once.
    ApiScopes => ArrayBuilder::new()
        .items(component("ApiScope"))
        .min_items(Some(1))
        .max_items(Some(3))
        .unique_items(true)
        .description(Some("1–3 scopes, each once."))
        .build();
    /// A change of a visitor's attributes.
    AttributesPatch => ObjectBuilder::new()
        .schema_type(Type::Object)
        .max_properties(Some(frontline_domain::leads::MAX_ATTRIBUTES))
        .property_names(Some(s::text(frontline_domain::leads::name_pattern(), "1–100 characters.")))
        .additional_properties(Some(attribute_value(true)))
        .description(Some("At most 100; a visitor keeps at most 100. A string (at most 1000 characters), a number or a boolean; `null` removes one. A name ending in `_at` is a date: an RFC 3339 time or Unix seconds."))
        .build();
    /// An event's properties.
    EventProperties => ObjectBuilder::new()
        .schema_type(Type::Object)
        .max_properties(Some(frontline_domain::leads::MAX_EVENT_PROPERTIES))
        .property_names(Some(s::text(frontline_domain::leads::name_pattern(), "1–100 characters.")))
        .additional_properties(Some(attribute_value(false)))
        .description(Some("At most 20: strings (at most 1000 characters), numbers or booleans."))
        .build();
    /// `false` alone: a visitor's send is never a note.
    AlwaysFalse => ObjectBuilder::new().schema_type(Type::Boolean).enum_values(Some([false])).build();
}

/// What the derives leave out: the named schemas that only query parameters use (parameters do
/// not register theirs), and the rules that tie fields of one body together (the body's schema
/// becomes alternatives, see [`variants`]).
pub struct Limits;

impl utoipa::Modify for Limits {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        for (name, schema) in [
            ("AssigneeFilter", AssigneeFilter::schema()),
            ("DialogCursor", DialogCursor::schema()),
            ("SeqCursor", SeqCursor::schema()),
            ("AuditCursor", AuditCursor::schema()),
            ("FileName", FileName::schema()),
            ("SearchText", SearchText::schema()),
            ("UserId", UserId::schema()),
            ("ApiScope", ApiScope::schema()),
            ("Id", Id::schema()),
            // Referred to from other named schemas and the rules below.
            ("Name", Name::schema()),
            ("Email", Email::schema()),
            ("Phone", Phone::schema()),
            ("MessageText", MessageText::schema()),
        ] {
            components.schemas.entry(name.to_owned()).or_insert(schema);
        }
        let schemas = &mut components.schemas;
        let null = || Out::from(ObjectBuilder::new().schema_type(SchemaType::new(Type::Null)).build());
        let files =
            || Out::from(ArrayBuilder::new().items(s::uuid()).min_items(Some(1)).max_items(Some(MAX_FILES)).build());
        // A send has text, or files (then its text may be blank).
        for name in ["SendRequest", "WidgetSendRequest"] {
            let text = [("body", component("MessageText"), true)];
            variants(schemas, name, false, &[&text, &[("attachments", files(), true)]]);
        }
        // The offline form needs an e-mail or a phone number.
        let (email, phone) = ([("email", component("Email"), true)], [("phone", component("Phone"), true)]);
        variants(schemas, "OfflineRequest", false, &[&email, &phone]);
        // A transfer goes to an operator or to a channel: exactly one of the two.
        let to_operator = [("operator_id", Id::schema(), true), ("channel_id", null(), false)];
        let to_channel = [("channel_id", Id::schema(), true), ("operator_id", null(), false)];
        variants(schemas, "TransferRequest", true, &[&to_operator, &to_channel]);
        // A channel's reply names its channel.
        let others = [("scope", Out::from(s::one_of(&["personal", "workspace"], false)), true)];
        let channel = [("scope", Out::from(s::one_of(&["channel"], false)), true), ("channel_id", Id::schema(), true)];
        variants(schemas, "NewSavedReply", true, &[&others, &channel]);
    }
}

/// Replaces the derived object schema `name` by alternatives (`oneOf` when `exactly_one`, else
/// `anyOf`), each a copy of it with some properties changed: `(property, schema, required)`.
/// Whole alternatives, not the object plus a rule, so a generator draws valid bodies directly.
fn variants(schemas: &mut BTreeMap<String, Out>, name: &str, exactly_one: bool, alternatives: &[&[(&str, Out, bool)]]) {
    let Some(RefOr::T(Schema::Object(base))) = schemas.get(name).cloned() else { return };
    let copies = alternatives.iter().map(|changes| {
        let mut copy = base.clone();
        copy.description = None;
        for (property, schema, required) in changes.iter() {
            copy.properties.insert((*property).to_owned(), schema.clone());
            if *required && !copy.required.iter().any(|r| r == property) {
                copy.required.push((*property).to_owned());
            }
        }
        copy
    });
    let schema = if exactly_one {
        let mut b = OneOfBuilder::new().description(base.description.clone());
        for c in copies {
            b = b.item(c);
        }
        Schema::OneOf(b.build())
    } else {
        let mut b = AnyOfBuilder::new().description(base.description.clone());
        for c in copies {
            b = b.item(c);
        }
        Schema::AnyOf(b.build())
    };
    schemas.insert(name.to_owned(), schema.into());
}

fn component(name: &str) -> Out {
    Ref::from_schema_name(name).into()
}
