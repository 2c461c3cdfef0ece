//! What the locker reads inside the files it keeps: an email's headers and attachments, the
//! messages of a mailbox, a photo's EXIF capture time and GPS flag, and the dated lines of a chat
//! transcript. Everything here works on bytes already in memory and never fails the import: a file
//! that cannot be read further is still kept as it is.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use mail_parser::{MessageParser, MimeHeaders};
use serde::Serialize;
use ts_rs::TS;

/// Emails larger than this are kept whole but not opened for headers and attachments.
pub const MAX_EMAIL_BYTES: u64 = 50 * 1024 * 1024;

/// The headers of an email the locker records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct EmailHeaders {
    pub from: Option<String>,
    pub to: Option<String>,
    pub subject: Option<String>,
    pub date: Option<DateTime<Utc>>,
    pub message_id: Option<String>,
}

/// An attachment lifted out of an email, to be kept as an item of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub name: String,
    pub bytes: Vec<u8>,
}

fn addresses(address: Option<&mail_parser::Address<'_>>) -> Option<String> {
    let list: Vec<String> = address?
        .iter()
        .map(|a| match (a.name(), a.address()) {
            (Some(name), Some(address)) => format!("{name} <{address}>"),
            (None, Some(address)) => address.to_owned(),
            (Some(name), None) => name.to_owned(),
            (None, None) => String::new(),
        })
        .filter(|a| !a.is_empty())
        .collect();
    (!list.is_empty()).then(|| list.join(", "))
}

/// Reads an email's headers and attachments. `None` when the bytes are not a message at all;
/// broken MIME parts and unknown charsets are read as well as they can be.
pub fn read_email(bytes: &[u8]) -> Option<(EmailHeaders, Vec<Attachment>)> {
    let message = MessageParser::default().parse(bytes)?;
    let headers = EmailHeaders {
        from: addresses(message.from()),
        to: addresses(message.to()),
        subject: message.subject().map(|s| s.chars().take(500).collect()),
        date: message.date().and_then(|d| DateTime::from_timestamp(d.to_timestamp(), 0)),
        message_id: message.message_id().map(str::to_owned),
    };
    if headers.from.is_none()
        && headers.subject.is_none()
        && headers.date.is_none()
        && headers.message_id.is_none()
    {
        return None;
    }
    let attachments = message
        .attachments()
        .enumerate()
        .map(|(index, part)| Attachment {
            name: part.attachment_name().map_or_else(|| format!("attachment-{}", index + 1), str::to_owned),
            bytes: part.contents().to_vec(),
        })
        .filter(|a| !a.bytes.is_empty())
        .collect();
    Some((headers, attachments))
}

/// An email's body as plain text: the text part, or the HTML part reduced to its text.
pub fn email_body_text(bytes: &[u8]) -> Option<String> {
    let message = MessageParser::default().parse(bytes)?;
    if let Some(text) = message.body_text(0) {
        return Some(text.into_owned());
    }
    message.body_html(0).map(|html| html_to_text(&html))
}

/// Splits an mbox file into its messages (each the raw bytes of one email).
pub fn split_mbox(bytes: &[u8]) -> Vec<Vec<u8>> {
    mail_parser::mailbox::mbox::MessageIterator::new(bytes)
        .filter_map(Result::ok)
        .map(|message| message.unwrap_contents())
        .filter(|contents| !contents.is_empty())
        .collect()
}

/// Whether bytes look like an mbox ("From " line first).
pub fn looks_like_mbox(head: &[u8]) -> bool {
    head.starts_with(b"From ") && head.windows(2).any(|w| w == b"\n\n" || w == b"\r\n")
}

/// A photo's capture time (as the camera wrote it, without a zone) and whether it holds GPS data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhotoFacts {
    pub captured_at: Option<NaiveDateTime>,
    pub has_gps: bool,
}

pub fn read_exif(bytes: &[u8]) -> PhotoFacts {
    let Ok(exif) = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(bytes)) else {
        return PhotoFacts::default();
    };
    let captured_at = [exif::Tag::DateTimeOriginal, exif::Tag::DateTime]
        .iter()
        .find_map(|tag| exif.get_field(*tag, exif::In::PRIMARY))
        .and_then(|field| match &field.value {
            exif::Value::Ascii(parts) => parts.first().and_then(|raw| {
                NaiveDateTime::parse_from_str(std::str::from_utf8(raw).ok()?.trim(), "%Y:%m:%d %H:%M:%S").ok()
            }),
            _ => None,
        });
    let has_gps = exif
        .fields()
        .any(|field| field.ifd_num == exif::In::PRIMARY && field.tag.context() == exif::Context::Gps);
    PhotoFacts { captured_at, has_gps }
}

/// One line of a chat transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ChatMessage {
    /// When the transcript gives a date and time; `None` where it gives none.
    pub at: Option<NaiveDateTime>,
    /// The time of day when only that is given.
    pub time: Option<NaiveTime>,
    pub speaker: Option<String>,
    pub text: String,
}

/// Reads a chat transcript (plain text, or HTML saved from a live chat, whose tags are dropped)
/// into messages. Lines like "[12:01] Agent: text", "2026-05-01 12:01 Agent: text" or
/// "01/05/2026, 12:01 - Agent: text" start a message; other lines continue the previous one.
pub fn read_chat(text: &str, is_html: bool) -> Vec<ChatMessage> {
    let plain = if is_html { html_to_text(text) } else { text.to_owned() };
    let mut messages: Vec<ChatMessage> = Vec::new();
    for line in plain.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match parse_chat_line(line) {
            Some(message) => messages.push(message),
            None => match messages.last_mut() {
                Some(last) => {
                    last.text.push('\n');
                    last.text.push_str(line);
                }
                None => {
                    messages.push(ChatMessage { at: None, time: None, speaker: None, text: line.to_owned() })
                }
            },
        }
    }
    messages
}

fn parse_chat_line(line: &str) -> Option<ChatMessage> {
    let (stamp, rest) = split_stamp(line)?;
    let (at, time) = parse_stamp(stamp)?;
    let rest = rest.trim_start_matches([' ', '-', '—', ':', ']']).trim();
    let (speaker, text) = match rest.split_once(": ") {
        Some((speaker, text)) if speaker.chars().count() <= 40 && !speaker.is_empty() => {
            (Some(speaker.trim().to_owned()), text.trim().to_owned())
        }
        _ => (None, rest.to_owned()),
    };
    Some(ChatMessage { at, time, speaker, text })
}

/// The timestamp at the start of a line: "[...]" or the leading date/time words.
fn split_stamp(line: &str) -> Option<(&str, &str)> {
    if let Some(inner) = line.strip_prefix('[') {
        let end = inner.find(']')?;
        return Some((&inner[..end], &inner[end + 1..]));
    }
    let end = line
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || matches!(c, '-' | '/' | '.' | ':' | ',' | ' ' | 'T')))
        .map_or(line.len(), |(i, _)| i);
    let stamp = line[..end].trim_end_matches([' ', '-', ',']);
    (stamp.contains(':')).then(|| (stamp, &line[stamp.len()..]))
}

fn parse_stamp(stamp: &str) -> Option<(Option<NaiveDateTime>, Option<NaiveTime>)> {
    let stamp = stamp.trim().replace(", ", " ").replace('T', " ");
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%Y %H:%M",
    ] {
        if let Ok(at) = NaiveDateTime::parse_from_str(&stamp, format) {
            return Some((Some(at), Some(at.time())));
        }
    }
    for format in ["%H:%M:%S", "%H:%M"] {
        if let Ok(time) = NaiveTime::parse_from_str(&stamp, format) {
            return Some((None, Some(time)));
        }
    }
    None
}

/// Drops tags, scripts and styles; keeps line breaks at block ends. Never executes anything.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..start]));
        let after = &rest[start..];
        let lower: String = after.chars().take(8).collect::<String>().to_ascii_lowercase();
        let skip_to = if lower.starts_with("<script") {
            after.to_ascii_lowercase().find("</script>").map(|i| i + "</script>".len())
        } else if lower.starts_with("<style") {
            after.to_ascii_lowercase().find("</style>").map(|i| i + "</style>".len())
        } else {
            None
        };
        let end = skip_to.or_else(|| after.find('>').map(|i| i + 1)).unwrap_or(after.len());
        let tag = &after[..end].to_ascii_lowercase();
        if ["<br", "</p", "</div", "</li", "</tr", "<p"].iter().any(|t| tag.starts_with(t)) {
            out.push('\n');
        }
        rest = &after[end..];
    }
    out.push_str(&decode_entities(rest));
    out
}

fn decode_entities(text: &str) -> String {
    text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The first date a transcript mentions, for the timeline.
pub fn first_date(messages: &[ChatMessage]) -> Option<NaiveDate> {
    messages.iter().find_map(|m| m.at.map(|at| at.date()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMAIL: &str = "From: Lucky Lagoon Support <support@luckylagoon.example>\r\n\
To: player@example.com\r\n\
Subject: =?ISO-8859-1?Q?Ihre_Auszahlung_=FCberpr=FCfung?=\r\n\
Date: Mon, 02 Mar 2026 10:15:00 +0100\r\n\
Message-ID: <abc123@luckylagoon.example>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"XYZ\"\r\n\
\r\n\
--XYZ\r\n\
Content-Type: text/plain; charset=windows-1252\r\n\
\r\n\
Your withdrawal is under review.\r\n\
--XYZ\r\n\
Content-Type: application/pdf; name=\"terms.pdf\"\r\n\
Content-Disposition: attachment; filename=\"terms.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
JVBERi0xLjQKJcfsj6IK\r\n\
--XYZ--\r\n";

    #[test]
    fn an_email_gives_its_headers_in_any_charset_and_its_attachments() {
        let (headers, attachments) = read_email(EMAIL.as_bytes()).unwrap();
        assert_eq!(headers.from.as_deref(), Some("Lucky Lagoon Support <support@luckylagoon.example>"));
        assert_eq!(headers.subject.as_deref(), Some("Ihre Auszahlung überprüfung"));
        assert_eq!(headers.date.unwrap().to_rfc3339(), "2026-03-02T09:15:00+00:00");
        assert_eq!(headers.message_id.as_deref(), Some("abc123@luckylagoon.example"));
        assert_eq!(attachments.len(), 1);
        assert_eq!(attachments[0].name, "terms.pdf");
        assert!(attachments[0].bytes.starts_with(b"%PDF-1.4"));
    }

    #[test]
    fn broken_mime_still_gives_the_headers() {
        let broken = "From: a@b.example\r\nSubject: Hi\r\nContent-Type: multipart/mixed; boundary=\"never\"\r\n\r\n--nope\r\ngarbage";
        let (headers, _) = read_email(broken.as_bytes()).unwrap();
        assert_eq!(headers.subject.as_deref(), Some("Hi"));
        assert!(read_email(b"\x00\x01\x02 not an email").is_none());
    }

    #[test]
    fn an_mbox_splits_into_its_messages() {
        let mbox = format!(
            "From a@b Mon Mar  2 10:00:00 2026\n{}\nFrom c@d Tue Mar  3 10:00:00 2026\nFrom: c@d.example\nSubject: Second\n\nBody\n",
            EMAIL.replace("\r\n", "\n")
        );
        assert!(looks_like_mbox(mbox.as_bytes()));
        let messages = split_mbox(mbox.as_bytes());
        assert_eq!(messages.len(), 2);
        assert_eq!(read_email(&messages[1]).unwrap().0.subject.as_deref(), Some("Second"));
    }

    #[test]
    fn chat_lines_become_dated_messages() {
        let text = "[2026-03-02 10:01] Agent: Your withdrawal is with finance.\n\
[2026-03-02 10:02] Me: When will it be paid?\nIt has been 10 days.\n\
10:05 Agent: Please wait 72 hours.\nSystem message without a time";
        let messages = read_chat(text, false);
        assert_eq!(messages.len(), 3);
        assert_eq!(messages[0].speaker.as_deref(), Some("Agent"));
        assert_eq!(messages[0].at.unwrap().to_string(), "2026-03-02 10:01:00");
        assert_eq!(messages[1].text, "When will it be paid?\nIt has been 10 days.");
        assert_eq!(
            (messages[2].at, messages[2].time.map(|t| t.to_string())),
            (None, Some("10:05:00".into()))
        );
        assert!(messages[2].text.ends_with("System message without a time"));
        assert_eq!(first_date(&messages).unwrap().to_string(), "2026-03-02");
    }

    #[test]
    fn an_html_chat_export_loses_its_scripts_and_keeps_its_lines() {
        let html = "<html><script>alert('x')</script><style>p{}</style><div>[02/03/2026 10:01] Agent: Hello &amp; welcome</div><p>[02/03/2026 10:02] Me: Hi</p><img src=\"https://tracker.example/p.gif\"></html>";
        let messages = read_chat(html, true);
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert_eq!(messages[0].text, "Hello & welcome");
        assert!(!messages.iter().any(|m| m.text.contains("alert")));
        assert_eq!(messages[1].at.unwrap().to_string(), "2026-03-02 10:02:00");
    }
}
