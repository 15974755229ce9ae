//! Schema migrations: both backends carry the same versions and names (a test compares them),
//! each with its own SQL. A landed migration is never edited; a change is a new version.

/// One migration step.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}
