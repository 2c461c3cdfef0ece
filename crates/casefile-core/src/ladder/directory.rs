//! The recipients directory (`knowledge/recipients.toml`): every body a player may contact, with
//! how to reach it and what it requires, each fact with its source. Validated at load.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult};
use crate::knowledge::{self, Confidence, YesNoUnknown};
use crate::text::TextTable;

const FILE: &str = "recipients.toml";

/// Which rung of the ladder a body belongs to, in ladder order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RecipientKind {
    Police,
    CasinoSupport,
    Regulator,
    Adr,
    Portal,
    Payment,
    Legal,
}

impl RecipientKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RecipientKind::Police => "police",
            RecipientKind::CasinoSupport => "casino_support",
            RecipientKind::Regulator => "regulator",
            RecipientKind::Adr => "adr",
            RecipientKind::Portal => "portal",
            RecipientKind::Payment => "payment",
            RecipientKind::Legal => "legal",
        }
    }

    pub fn from_name(name: &str) -> Option<RecipientKind> {
        [
            RecipientKind::Police,
            RecipientKind::CasinoSupport,
            RecipientKind::Regulator,
            RecipientKind::Adr,
            RecipientKind::Portal,
            RecipientKind::Payment,
            RecipientKind::Legal,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RecipientStatus {
    Active,
    Defunct,
    Unknown,
}

/// Whether the outcome binds: `OperatorIfAccepted` binds the casino once the player accepts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Binding {
    Yes,
    No,
    OperatorIfAccepted,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Cost {
    Free,
    Fee,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ContactChannel {
    Form,
    Email,
    Post,
    Phone,
    Portal,
    InPerson,
}

/// One way to submit, with its own source.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SubmitChannel {
    pub channel: ContactChannel,
    pub url: Option<String>,
    pub address: Option<String>,
    pub number: Option<String>,
    pub source: String,
    pub confidence: Confidence,
}

/// The prerequisites a body checks, by id (text under `prerequisite.<id>`).
pub const PREREQUISITES: &[&str] = &[
    "written-complaint-to-operator",
    "operator-procedure-ended",
    "deadlock-letter",
    "operator-consents",
    "registered-with-body",
    "account-with-body",
    "not-before-other-forum",
    "site-seal-form",
    "deposit-transaction",
    "refund-acknowledgement",
    "physically-in-ontario",
    "amount-over-sek-1000",
    "swedish-web-form",
    "both-parties-accept-mediator",
];

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    pub id: String,
    pub kind: RecipientKind,
    pub name: String,
    pub jurisdiction: String,
    pub regulator_id: Option<String>,
    pub status: RecipientStatus,
    pub defunct_since: Option<String>,
    pub decides_disputes: YesNoUnknown,
    pub binding: Binding,
    pub cost: Cost,
    pub languages: Vec<String>,
    /// When the body is relevant: licence:<regulator>, country:<CC>, payment:<method>, named-by-operator, any.
    pub covers: Vec<String>,
    pub requires: Vec<String>,
    /// Rule numbers of domain-facts §6 that apply.
    pub time_limit_rules: Vec<u8>,
    pub form_fields: Vec<String>,
    pub form_known: bool,
    pub documents: Vec<String>,
    pub submit: Vec<SubmitChannel>,
    pub source: String,
    pub confidence: Confidence,
    /// When these facts were checked against the research notes.
    pub checked: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DirectoryFile {
    recipient: Vec<Recipient>,
}

/// The whole directory.
#[derive(Debug, Clone)]
pub struct Directory {
    pub recipients: Vec<Recipient>,
}

fn problem(entry: &str, text: impl Into<String>) -> CoreError {
    CoreError::Knowledge { file: FILE.to_owned(), entry: entry.to_owned(), problem: text.into() }
}

impl Directory {
    pub fn parse(toml_text: &str, english: &TextTable) -> CoreResult<Directory> {
        let file: DirectoryFile = toml::from_str(toml_text).map_err(|error| {
            problem(
                &error.span().map_or_else(|| "?".to_owned(), |span| format!("byte {}", span.start)),
                error.message(),
            )
        })?;
        let directory = Directory { recipients: file.recipient };
        directory.validate(english)?;
        Ok(directory)
    }

    pub fn get(&self, id: &str) -> Option<&Recipient> {
        self.recipients.iter().find(|r| r.id == id)
    }

    fn validate(&self, english: &TextTable) -> CoreResult<()> {
        for prerequisite in PREREQUISITES {
            if !english.has(&format!("prerequisite.{prerequisite}")) {
                return Err(problem(prerequisite, "no label in knowledge/text/en/ladder.toml"));
            }
        }
        let mut seen = BTreeSet::new();
        for recipient in &self.recipients {
            let id = &recipient.id;
            if !seen.insert(id.clone()) {
                return Err(problem(id, "listed twice"));
            }
            if !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                return Err(problem(id, "id must be lowercase letters, digits and '-'"));
            }
            if !is_source(&recipient.source) {
                return Err(problem(
                    id,
                    "source must be an https:// address, or doc-000 / doc-002 for the seed documents",
                ));
            }
            if chrono::NaiveDate::parse_from_str(&recipient.checked, "%Y-%m-%d").is_err() {
                return Err(problem(id, "checked must be a date, YYYY-MM-DD"));
            }
            match (&recipient.regulator_id, recipient.kind) {
                (Some(regulator), RecipientKind::Regulator)
                    if knowledge::shipped().regulator(regulator).is_none() =>
                {
                    return Err(problem(id, format!("regulator_id '{regulator}' is not in regulators.toml")));
                }
                (Some(_), kind) if kind != RecipientKind::Regulator => {
                    return Err(problem(id, "only a regulator has a regulator_id"));
                }
                _ => {}
            }
            if recipient.status == RecipientStatus::Defunct && recipient.defunct_since.is_none() {
                return Err(problem(id, "a defunct body needs defunct_since"));
            }
            for requirement in &recipient.requires {
                if !PREREQUISITES.contains(&requirement.as_str()) {
                    return Err(problem(id, format!("unknown prerequisite '{requirement}'")));
                }
            }
            for cover in &recipient.covers {
                if !cover_is_well_formed(cover) {
                    return Err(problem(
                        id,
                        format!(
                            "'{cover}' is not licence:<id>, country:<CC>, payment:<method>, named-by-operator or any"
                        ),
                    ));
                }
            }
            for channel in &recipient.submit {
                let target_count =
                    [&channel.url, &channel.address, &channel.number].iter().filter(|t| t.is_some()).count();
                if target_count != 1 {
                    return Err(problem(id, "each submit channel has exactly one of url, address, number"));
                }
                if let Some(url) = &channel.url
                    && !knowledge::is_well_formed_https_url(url)
                {
                    return Err(problem(id, format!("'{url}' is not an https:// address")));
                }
                if !knowledge::is_well_formed_https_url(&channel.source) {
                    return Err(problem(id, "each submit channel's source must be an https:// address"));
                }
            }
            for part in ["summary", "how_to", "notes"] {
                let key = format!("recipient.{id}.{part}");
                if !english.has(&key) {
                    return Err(problem(id, format!("no text for '{key}' in knowledge/text/en/")));
                }
            }
            for field in &recipient.form_fields {
                if !english.has(&format!("form_field.{field}")) {
                    return Err(problem(id, format!("no label for form field '{field}'")));
                }
            }
            // The completeness check names a body's languages in words ("Swedish"), never by code.
            for language in &recipient.languages {
                if !english.has(&format!("language.{language}")) {
                    return Err(problem(
                        id,
                        format!("no name for language '{language}' in knowledge/text/en/common.toml"),
                    ));
                }
            }
            for document in &recipient.documents {
                if !english.has(&format!("document.{document}")) {
                    return Err(problem(id, format!("no label for document '{document}'")));
                }
            }
        }
        Ok(())
    }
}

/// A page address, or one of the two seed documents in shared/reference (they have no address).
fn is_source(source: &str) -> bool {
    matches!(source, "doc-000" | "doc-002") || knowledge::is_well_formed_https_url(source)
}

fn cover_is_well_formed(cover: &str) -> bool {
    if cover == "any" || cover == "named-by-operator" {
        return true;
    }
    if let Some(regulator) = cover.strip_prefix("licence:") {
        return knowledge::shipped().regulator(regulator).is_some();
    }
    if let Some(country) = cover.strip_prefix("country:") {
        return country.len() == 2 && country.chars().all(|c| c.is_ascii_uppercase());
    }
    cover.strip_prefix("payment:").is_some_and(|method| PAYMENT_METHODS.contains(&method))
}

/// Payment methods a `payment:` condition may name.
pub const PAYMENT_METHODS: &[&str] =
    &["card", "visa", "mastercard", "paypal", "skrill", "neteller", "bank-transfer", "crypto"];
