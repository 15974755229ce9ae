//! What a file is, told from its first bytes and never from its name alone.
//!
//! The name only chooses between formats that share a container: a ZIP archive named
//! `.docx` is a Word document, one named `.xlsx` a spreadsheet. Anything unknown is
//! `application/octet-stream`, which no sensible allow-list contains.

use crate::error::DomainError;

/// Types a browser can show inline as a picture.
pub const IMAGE_TYPES: &[&str] = &["image/png", "image/jpeg", "image/gif", "image/webp"];

/// The allow-list when the configuration does not set one.
pub const DEFAULT_ALLOWED: &[&str] = &[
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
    "text/plain",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/zip",
    "audio/ogg",
    "video/mp4",
];

/// The MIME type of a file from its first bytes (at least 16 of them when the file has).
pub fn detect(head: &[u8], name: &str) -> &'static str {
    let lower = name.to_lowercase();
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        "image/gif"
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        "image/webp"
    } else if head.starts_with(b"OggS") {
        // Telegram's voice messages are Opus in Ogg.
        "audio/ogg"
    } else if head.len() >= 12 && &head[4..8] == b"ftyp" {
        "video/mp4"
    } else if head.starts_with(b"%PDF-") {
        "application/pdf"
    } else if head.starts_with(b"PK\x03\x04") {
        if lower.ends_with(".docx") {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        } else if lower.ends_with(".xlsx") {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        } else {
            "application/zip"
        }
    } else if looks_like_text(head) {
        "text/plain"
    } else {
        "application/octet-stream"
    }
}

/// UTF-8 (a cut last character allowed) without NUL or other binary control bytes.
fn looks_like_text(head: &[u8]) -> bool {
    if head.is_empty() {
        return false;
    }
    let valid = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && head.len() - e.valid_up_to() < 4,
    };
    valid && !head.iter().any(|&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
}

pub fn is_image(content_type: &str) -> bool {
    IMAGE_TYPES.contains(&content_type)
}

/// A file name as stored and shown: no folders, no control characters, at most 200
/// characters; `file` when nothing is left.
pub fn clean_name(raw: &str) -> Result<String, DomainError> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = crate::text::clean_name(base).chars().filter(|c| !c.is_control()).collect();
    // Leading dots and spaces in any mix (`. .htaccess` is not let through as `.htaccess`).
    let cleaned = cleaned.trim_start_matches(|c: char| c == '.' || c.is_whitespace()).trim_end();
    if cleaned.chars().count() > 200 {
        return Err(DomainError::invalid("name", "must be at most 200 characters"));
    }
    Ok(if cleaned.is_empty() { "file".to_owned() } else { cleaned.to_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_not_the_name() {
        assert_eq!(detect(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "photo.png"), "image/png");
        assert_eq!(detect(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "notes.txt"), "image/png");
        assert_eq!(detect(b"just some words", "photo.png"), "text/plain");
        assert_eq!(detect(&[0xFF, 0xD8, 0xFF, 0xE0], "a.jpg"), "image/jpeg");
        assert_eq!(detect(b"GIF89a....", "a"), "image/gif");
        assert_eq!(detect(b"RIFF\0\0\0\0WEBPVP8 ", "a"), "image/webp");
        assert_eq!(detect(b"%PDF-1.7\n", "a.pdf"), "application/pdf");
        assert_eq!(detect(b"PK\x03\x04....", "offer.DOCX").len(), 71);
        assert_eq!(detect(b"PK\x03\x04....", "a.zip"), "application/zip");
        assert_eq!(detect(b"MZ\x90\0\x03\0\0\0", "setup.pdf"), "application/octet-stream");
        assert_eq!(detect(b"", "empty.txt"), "application/octet-stream");
        assert_eq!(detect("Привет".as_bytes(), "a"), "text/plain");
        assert_eq!(detect(&"Привет".as_bytes()[..5], "a"), "text/plain", "a cut last character is still text");
    }

    #[test]
    fn names_lose_folders_and_control_characters() {
        assert_eq!(clean_name("../../etc/passwd").as_deref(), Ok("passwd"));
        assert_eq!(clean_name("C:\\Users\\a\\Смета.pdf").as_deref(), Ok("Смета.pdf"));
        assert_eq!(clean_name("a\u{0}b\n.png").as_deref(), Ok("ab.png"));
        assert_eq!(clean_name("  ").as_deref(), Ok("file"));
        assert_eq!(clean_name(".htaccess").as_deref(), Ok("htaccess"));
        assert!(clean_name(&"я".repeat(201)).is_err());
    }

    #[test]
    fn leading_dots_go_however_they_are_mixed_with_spaces() {
        // Found by the fuzz target file_sniff: `. ..` was stored as `..`, and cleaning it again
        // gave `file` (not idempotent).
        assert_eq!(clean_name(". ..").as_deref(), Ok("file"));
        assert_eq!(clean_name(". .htaccess").as_deref(), Ok("htaccess"));
        assert_eq!(clean_name(".\u{0}. \u{202E}.env").as_deref(), Ok("env"));
        assert_eq!(clean_name(" a. b.png ").as_deref(), Ok("a. b.png"));
        for raw in [". ..", ". .htaccess", "..\u{8} .x", " ä.txt"] {
            let once = clean_name(raw).expect("short");
            assert_eq!(clean_name(&once).as_deref(), Ok(once.as_str()), "{raw:?}");
        }
    }
}
