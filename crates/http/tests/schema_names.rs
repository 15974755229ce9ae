//! Every type the OpenAPI document describes has a name of its own: utoipa keeps one schema per
//! name and silently drops the other (a form's field and a custom field were both `FieldView`,
//! and the forms' operations came out describing custom fields). The source is read for
//! `ToSchema` derives and their `#[schema(as = …)]` names.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The names of the `ToSchema` types of one file: a derive's next `pub struct|enum Name`, or
/// its `#[schema(as = Name)]` when given.
fn schema_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = false;
    let mut renamed: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if line.starts_with("#[derive(") && line.contains("ToSchema") || line.contains("derive(utoipa::ToSchema)") {
            pending = true;
            renamed = None;
            continue;
        }
        if !pending {
            continue;
        }
        if let Some(rest) = line.strip_prefix("#[schema(as = ") {
            renamed = rest.split([')', ',']).next().map(|s| s.trim().rsplit("::").next().unwrap_or(s).to_owned());
            continue;
        }
        let decl = line.strip_prefix("pub struct ").or_else(|| line.strip_prefix("pub enum "));
        if let Some(decl) = decl {
            let name: String = decl.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            out.push(renamed.take().unwrap_or(name));
            pending = false;
        }
    }
    out
}

#[test]
fn no_two_schema_types_share_a_name() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for krate in ["domain", "core", "http"] {
        sources(&root.join(krate).join("src"), &mut files);
    }
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for name in schema_names(&text) {
            seen.entry(name).or_default().push(f.display().to_string());
        }
    }
    assert!(seen.len() > 150, "the scan finds the schema types ({} found)", seen.len());
    let twice: Vec<_> = seen.iter().filter(|(_, where_)| where_.len() > 1).collect();
    assert!(twice.is_empty(), "schema names used twice (give one `#[schema(as = …)]`): {twice:#?}");
}

#[test]
fn the_scan_reads_derives_and_renames() {
    let text = "#[derive(Debug, ToSchema)]\n#[schema(as = FormFieldView)]\npub struct FieldView {\n}\n\
                #[derive(Serialize, ToSchema)]\npub enum Kind { A }\n";
    assert_eq!(schema_names(text), vec!["FormFieldView".to_owned(), "Kind".to_owned()]);
}
