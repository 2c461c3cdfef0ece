//! The completeness check before a package is built: what the recipient needs that the case
//! lacks. Blocking: the ladder's rung for the body is not ready (or the body is not on this case's
//! ladder). Warnings, each with how to fix it: facts the letter lacks (triage), documents the
//! directory says the body asks for that nothing in the evidence locker provides
//! (knowledge/documents.toml), what a kind of recipient needs whatever its entry lists (a payment
//! route: the deposit; a lawyer: the player's identity), and a body that does not work in English.
//! Sentences: knowledge/text/en/package.toml, [check].

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::PackageCheck;
use crate::case::Case;
use crate::error::{CoreError, CoreResult};
use crate::ladder::{self, Recipient, RecipientKind, RungStatus};
use crate::locker::{EvidenceItem, EvidenceKind};
use crate::storage::Store;
use crate::text::{self, TextTable};
use crate::triage::rules::{FactSource, parse_fact_source};
use crate::triage::{self, TriageView};

const DOCUMENTS_TOML: &str = include_str!("../../../../knowledge/documents.toml");

/// Where in the app the player fixes a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FixPlace {
    /// The case form (Edit case).
    CaseForm,
    Triage,
    Evidence,
    /// Nothing in Casefile: the player acts outside it (a translation, a question to the body).
    Outside,
}

/// Something the recipient would want that the case lacks; a package can still be built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CheckWarning {
    /// What is missing, in one sentence.
    pub text: String,
    /// How to fix it.
    pub fix: String,
    pub place: FixPlace,
}

/// Which locker items provide one document a recipient asks for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DocumentRule {
    kinds: Vec<EvidenceKind>,
    tags: Vec<String>,
}

impl DocumentRule {
    fn provided_by(&self, items: &[EvidenceItem]) -> bool {
        items.iter().any(|item| self.kinds.contains(&item.kind) || has_any_tag(item, &self.tags))
    }
}

/// knowledge/documents.toml, by document id.
pub(super) fn document_rules() -> &'static BTreeMap<String, DocumentRule> {
    static RULES: OnceLock<BTreeMap<String, DocumentRule>> = OnceLock::new();
    RULES.get_or_init(|| {
        toml::from_str(DOCUMENTS_TOML).unwrap_or_else(|e| panic!("knowledge/documents.toml is invalid: {e}"))
    })
}

fn has_any_tag(item: &EvidenceItem, tags: &[impl AsRef<str>]) -> bool {
    item.tags.iter().any(|tag| tags.iter().any(|wanted| tag.eq_ignore_ascii_case(wanted.as_ref())))
}

/// Tags that show the deposit (a payment route needs to find the transaction).
const DEPOSIT_PROOF_TAGS: &[&str] = &["bank-statement", "receipts"];

/// Checks the recipient against the case's ladder, triage and evidence locker.
pub fn check(
    store: &Store,
    case_id: i64,
    recipient_id: &str,
    now: DateTime<Utc>,
) -> CoreResult<PackageCheck> {
    let english = text::shipped("en");
    let recipient = ladder::shipped_directory().get(recipient_id).ok_or_else(|| {
        CoreError::Refused(format!(
            "'{recipient_id}' is not in the directory. `casefile recipients` lists the ids."
        ))
    })?;
    let view = ladder::ladder_view(store, case_id, now, "en")?;
    let mut blocking = Vec::new();
    match view.rungs.iter().find(|rung| rung.recipient_id == recipient.id) {
        None => blocking.push(format!(
            "{} {}",
            english.get("check.not-on-ladder").replace("{recipient}", &recipient.name),
            english.get("check.not-on-ladder-fix")
        )),
        Some(rung) if matches!(rung.status, RungStatus::NotStarted | RungStatus::NotApplicable) => {
            // The last reason is the one holding the rung back.
            blocking.extend(rung.why.last().cloned());
        }
        Some(_) => {}
    }
    let case = store.get_case(case_id)?;
    let triage = triage::view(store, case_id, now, "en")?;
    let items = store.evidence_items(case_id)?;
    let warnings = warnings(english, recipient, &case, &triage, &items);
    Ok(PackageCheck { recipient_id: recipient.id.clone(), blocking, warnings })
}

/// Every warning, in the order the player would work through them: the letter's facts, the
/// documents asked for, what the kind of recipient needs, the language.
pub(super) fn warnings(
    english: &TextTable,
    recipient: &Recipient,
    case: &Case,
    triage: &TriageView,
    items: &[EvidenceItem],
) -> Vec<CheckWarning> {
    let mut warnings = missing_facts(english, triage);
    warnings.extend(missing_documents(english, recipient, items));
    warnings.extend(kind_needs(english, recipient.kind, case, triage, items));
    warnings.extend(language(english, recipient));
    warnings
}

/// The facts a letter needs (triage's completeness) that the case lacks; each is fixed where its
/// value comes from: the case form when a case field can hold it, else the triage question.
fn missing_facts(english: &TextTable, triage: &TriageView) -> Vec<CheckWarning> {
    let rules = &triage::shipped_rules().letter_facts;
    triage
        .completeness
        .facts
        .iter()
        .filter(|fact| !fact.present)
        .map(|fact| {
            let on_case_form = rules.iter().find(|rule| rule.id == fact.id).is_some_and(|rule| {
                rule.satisfied_by
                    .iter()
                    .any(|source| matches!(parse_fact_source(source), Some(FactSource::CaseField(_))))
            });
            let (fix, place) = if on_case_form {
                ("check.missing-fact-fix-case", FixPlace::CaseForm)
            } else {
                ("check.missing-fact-fix-triage", FixPlace::Triage)
            };
            CheckWarning {
                text: english.get("check.missing-fact").replace("{fact}", &fact.title),
                fix: english.get(fix),
                place,
            }
        })
        .collect()
}

/// The documents the directory says the body asks for that nothing in the locker provides.
fn missing_documents(
    english: &TextTable,
    recipient: &Recipient,
    items: &[EvidenceItem],
) -> Vec<CheckWarning> {
    let rules = document_rules();
    recipient
        .documents
        .iter()
        .filter(|id| rules.get(id.as_str()).is_none_or(|rule| !rule.provided_by(items)))
        .map(|id| CheckWarning {
            text: english
                .get("check.document")
                .replace("{document}", &lower_first(&english.get(&format!("document.{id}")))),
            fix: english.get(&format!("check.document-fix.{id}")),
            place: FixPlace::Evidence,
        })
        .collect()
}

/// What a kind of recipient needs whatever its entry lists.
fn kind_needs(
    english: &TextTable,
    kind: RecipientKind,
    case: &Case,
    triage: &TriageView,
    items: &[EvidenceItem],
) -> Option<CheckWarning> {
    let warning = |key: &str| CheckWarning {
        text: english.get(&format!("check.{key}")),
        fix: english.get(&format!("check.{key}-fix")),
        place: FixPlace::Evidence,
    };
    match kind {
        // A chargeback or e-wallet dispute is about one transaction: the issuer must find it, by
        // its date at least, and a statement or receipt proves it.
        RecipientKind::Payment => {
            let date_known = case.key_dates.first_deposit.is_some()
                || triage.facts.iter().any(|fact| fact.question_id == "deposit-date");
            let proof = items.iter().any(|item| has_any_tag(item, DEPOSIT_PROOF_TAGS));
            (!date_known && !proof).then(|| warning("deposit-proof"))
        }
        RecipientKind::Legal => {
            let identity =
                items.iter().any(|item| has_any_tag(item, &[crate::locker::edit::ID_DOCUMENT_TAG]));
            (!identity).then(|| warning("identity"))
        }
        _ => None,
    }
}

/// A body that lists its languages and English is not among them.
fn language(english: &TextTable, recipient: &Recipient) -> Option<CheckWarning> {
    if recipient.languages.is_empty() || recipient.languages.iter().any(|l| l == "en") {
        return None;
    }
    let names: Vec<String> =
        recipient.languages.iter().map(|l| english.get(&format!("language.{l}"))).collect();
    let languages = match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            format!("{} {} {last}", rest.join(", "), english.get("check.or"))
        }
        _ => names.join(""),
    };
    let fill = |key: &str| {
        english.get(key).replace("{recipient}", &recipient.name).replace("{languages}", &languages)
    };
    Some(CheckWarning {
        text: fill("check.language"),
        fix: fill("check.language-fix"),
        place: FixPlace::Outside,
    })
}

/// "Screenshots" → "screenshots", to sit inside a sentence.
fn lower_first(label: &str) -> String {
    let mut chars = label.chars();
    chars.next().map_or_else(String::new, |first| first.to_lowercase().chain(chars).collect())
}

#[cfg(test)]
#[path = "check_tests.rs"]
mod tests;
