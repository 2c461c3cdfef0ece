//! The letter: a template per kind of recipient (knowledge/letters.toml) whose sentences
//! (knowledge/text/en/letters.toml) are filled from the case's facts. The same facts feed the
//! web-form answers, so the letter and the form never disagree.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::PackageCheck;
use crate::case::Case;
use crate::error::{CoreError, CoreResult};
use crate::ladder::{self, StepKind, StepRecord};
use crate::{knowledge, text, triage};

const LETTERS_TOML: &str = include_str!("../../../../knowledge/letters.toml");

#[derive(Debug, Clone, Deserialize)]
pub(super) struct LetterTemplate {
    pub id: String,
    for_kinds: Vec<String>,
    paragraphs: Vec<String>,
}

#[derive(Deserialize)]
struct LetterFile {
    #[allow(dead_code)]
    source: String,
    template: Vec<LetterTemplate>,
}

pub(super) fn templates() -> &'static [LetterTemplate] {
    static TEMPLATES: OnceLock<Vec<LetterTemplate>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        let file: LetterFile =
            toml::from_str(LETTERS_TOML).unwrap_or_else(|e| panic!("knowledge/letters.toml is invalid: {e}"));
        file.template
    })
}

/// How a letter names a body: the casino by its own name, the others by the directory's.
pub(super) fn display_name(case: &Case, recipient_id: &str) -> String {
    match ladder::shipped_directory().get(recipient_id) {
        Some(r) if r.kind == ladder::RecipientKind::CasinoSupport => case.casino.name.clone(),
        Some(r) => r.name.clone(),
        None => recipient_id.to_owned(),
    }
}

/// The case's facts by the placeholder names the sentences use (`{casino}`, `{amount}`, …).
pub(super) type Values = BTreeMap<&'static str, String>;

pub(super) fn values(
    store: &crate::storage::Store,
    case: &Case,
    recipient: &ladder::Recipient,
    history: &[StepRecord],
    exhibits: &[String],
    now: DateTime<Utc>,
) -> CoreResult<Values> {
    let english = text::shipped("en");
    let triage = triage::view(store, case.id, now, "en")?;
    let fact = |id: &str| triage.facts.iter().find(|f| f.question_id == id).map(|f| f.value.clone());
    let not_given = english.get("letter.not-given");
    let none = english.get("letter.none-recorded");
    let sent: Vec<String> = history
        .iter()
        .filter(|s| s.kind == StepKind::Sent)
        .map(|s| {
            let reference =
                if s.reference.is_empty() { String::new() } else { format!(" ({})", s.reference) };
            format!("{}: {}{reference}", english.date(s.on), display_name(case, &s.recipient_id))
        })
        .collect();
    let incident = case.key_dates.withdrawal_requested.or(case.key_dates.first_deposit);
    let description = if case.description.is_empty() {
        fact("desc-what").unwrap_or_else(|| not_given.clone())
    } else {
        case.description.clone()
    };
    let licence = case
        .casino
        .regulator
        .as_deref()
        .and_then(|id| knowledge::shipped().regulator(id))
        .map_or_else(|| not_given.clone(), |r| r.name.clone());
    Ok(BTreeMap::from([
        ("recipient", display_name(case, &recipient.id)),
        ("casino", case.casino.name.clone()),
        ("account", case.account_id.clone().unwrap_or_else(|| not_given.clone())),
        ("amount", case.disputed.display()),
        ("incident_date", incident.map_or_else(|| not_given.clone(), |d| english.date(d))),
        ("category", english.get(&format!("category.{}.title", case.category.as_str())).to_lowercase()),
        ("description", description),
        ("reason", fact("casino-reason").unwrap_or_else(|| not_given.clone())),
        ("sent_history", if sent.is_empty() { none.clone() } else { sent.join("; ") }),
        ("exhibits", if exhibits.is_empty() { none } else { exhibits.join(", ") }),
        ("licence", licence),
    ]))
}

/// Replaces every `{name}` of `sentence` with its value.
pub(super) fn fill(sentence: &str, values: &Values) -> String {
    values.iter().fold(sentence.to_owned(), |s, (name, value)| s.replace(&format!("{{{name}}}"), value))
}

/// The letter's paragraphs and the id of the template used; a draft opens with its open points.
pub(super) fn paragraphs(
    recipient: &ladder::Recipient,
    values: &Values,
    checked: &PackageCheck,
    draft: bool,
) -> CoreResult<(Vec<String>, String)> {
    let english = text::shipped("en");
    let kind = recipient.kind.as_str();
    let template = template_for(kind)?;
    let mut paragraphs = Vec::new();
    if draft {
        let mut points = checked.blocking.clone();
        // The letter lists what is open; how to fix each is for the player, in the app and the CLI.
        points.extend(checked.warnings.iter().map(|w| w.text.clone()));
        let points = if points.is_empty() { english.get("letter.none-recorded") } else { points.join(" ") };
        paragraphs.push(english.get("letter.draft-banner").replace("{points}", &points));
    }
    for paragraph in &template.paragraphs {
        paragraphs.push(fill(&english.get(&format!("letter.{paragraph}")), values));
    }
    Ok((paragraphs, template.id.clone()))
}

/// The template for a kind of recipient, or which knowledge entry is missing.
pub(super) fn template_for(kind: &str) -> CoreResult<&'static LetterTemplate> {
    templates().iter().find(|t| t.for_kinds.iter().any(|k| k == kind)).ok_or_else(|| CoreError::Knowledge {
        file: "letters.toml".into(),
        entry: kind.into(),
        problem: "no template for this kind".into(),
    })
}

/// The request sentence of the letter (what is asked), reused by the web form.
pub(super) fn request(kind: &str, values: &Values) -> Option<String> {
    let english = text::shipped("en");
    let template = template_for(kind).ok()?;
    let paragraph = template.paragraphs.iter().find(|p| p.starts_with("request-"))?;
    Some(fill(&english.get(&format!("letter.{paragraph}")), values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_recipient_kind_has_a_letter_and_every_paragraph_has_text() {
        let english = text::shipped("en");
        for kind in ["casino_support", "regulator", "adr", "portal", "payment", "legal", "police"] {
            let template = template_for(kind).unwrap_or_else(|_| panic!("no letter for {kind}"));
            for paragraph in &template.paragraphs {
                assert!(english.has(&format!("letter.{paragraph}")), "{}: letter.{paragraph}", template.id);
            }
        }
    }
}
