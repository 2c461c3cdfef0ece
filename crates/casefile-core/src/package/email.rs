//! An email exhibit rendered as plain text beside its `.eml`: the headers a reader needs and the
//! text body (an HTML-only body reduced to inert text), so the recipient can read it without a mail
//! program. The `.eml` stays the original.

use crate::locker::formats;

/// The `.txt` that goes next to an email exhibit (`E03-reply.eml` → `E03-reply.txt`).
pub(super) fn text_name(eml_name: &str) -> String {
    match eml_name.strip_suffix(".eml").or_else(|| eml_name.strip_suffix(".EML")) {
        Some(stem) => format!("{stem}.txt"),
        None => format!("{eml_name}.txt"),
    }
}

/// Headers and body as text; `None` when the bytes are not an email at all.
pub(super) fn render(eml_name: &str, bytes: &[u8]) -> Option<String> {
    let (headers, attachments) = formats::read_email(bytes)?;
    let body = formats::email_body_text(bytes).unwrap_or_default();
    let mut text = String::new();
    let mut line = |name: &str, value: Option<String>| {
        if let Some(value) = value {
            text.push_str(&format!("{name}: {}\n", one_line(&value)));
        }
    };
    line("From", headers.from);
    line("To", headers.to);
    line("Date", headers.date.map(|d| d.format("%Y-%m-%d %H:%M:%S UTC").to_string()));
    line("Subject", headers.subject);
    line("Message-ID", headers.message_id);
    let names: Vec<String> = attachments.iter().map(|a| a.name.clone()).collect();
    line("Attachments", (!names.is_empty()).then(|| names.join(", ")));
    text.push_str(&format!("(Text rendering of {eml_name}; the .eml file is the original.)\n\n"));
    text.push_str(&body.replace("\r\n", "\n"));
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Some(text)
}

/// A header value on one line: folded or injected line breaks would fake further headers.
fn one_line(value: &str) -> String {
    value.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_html_email_becomes_inert_text() {
        let eml = b"From: Support <support@casino.example>\r\nTo: me@example.org\r\nSubject: Your withdrawal\r\nDate: Tue, 3 Nov 2026 10:00:00 +0000\r\nMessage-ID: <1@casino.example>\r\nContent-Type: text/html\r\n\r\n<p>We are <b>checking</b> your documents.</p><script>alert(1)</script>\r\n";
        let text = render("E02-reply.eml", eml).unwrap();
        assert!(text.starts_with("From: Support <support@casino.example>\n"), "{text}");
        assert!(text.contains("Date: 2026-11-03 10:00:00 UTC\n"), "{text}");
        assert!(text.contains("We are checking your documents."), "{text}");
        assert!(!text.contains("<b>") && !text.contains("alert"), "{text}");
        assert_eq!(text_name("E02-reply.eml"), "E02-reply.txt");
    }
}
