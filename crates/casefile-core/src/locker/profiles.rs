//! What each kind of recipient gets of the locker (`knowledge/redaction.toml`): identity documents
//! or not, hidden areas applied, location removed, card numbers masked. `plan_exhibits` turns the
//! profile and the player's per-item choices into the list a package is built from and the app
//! shows, so "what will the casino see" is answered before anything is sent.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::edit::ID_DOCUMENT_TAG;
use super::{EvidenceItem, EvidenceKind};
use crate::error::{CoreError, CoreResult};
use crate::ladder::directory::RecipientKind;
use crate::storage::Store;

const FILE: &str = "redaction.toml";
const REDACTION_TOML: &str = include_str!("../../../../knowledge/redaction.toml");

/// One recipient kind's defaults.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(deny_unknown_fields)]
pub struct RedactionProfile {
    pub include_id_documents: bool,
    pub apply_redactions: bool,
    pub strip_gps: bool,
    pub mask_card_numbers: bool,
    pub reason: String,
}

/// Parses and checks the file: every recipient kind has a profile, and nothing else is in it.
fn parse(text: &str) -> CoreResult<BTreeMap<RecipientKind, RedactionProfile>> {
    let problem = |entry: &str, problem: String| CoreError::Knowledge {
        file: FILE.to_owned(),
        entry: entry.to_owned(),
        problem,
    };
    let raw: BTreeMap<String, toml::Value> = toml::from_str(text).map_err(|e| problem("", e.to_string()))?;
    let mut profiles = BTreeMap::new();
    for (name, value) in raw {
        let kind = RecipientKind::from_name(&name)
            .ok_or_else(|| problem(&name, "is not a recipient kind of recipients.toml".into()))?;
        let profile: RedactionProfile =
            value.try_into().map_err(|e: toml::de::Error| problem(&name, e.to_string()))?;
        profiles.insert(kind, profile);
    }
    for kind in ALL_KINDS {
        if !profiles.contains_key(&kind) {
            return Err(problem(kind.as_str(), "has no profile".into()));
        }
    }
    Ok(profiles)
}

const ALL_KINDS: [RecipientKind; 7] = [
    RecipientKind::Police,
    RecipientKind::CasinoSupport,
    RecipientKind::Regulator,
    RecipientKind::Adr,
    RecipientKind::Portal,
    RecipientKind::Payment,
    RecipientKind::Legal,
];

/// The profile of a recipient kind, from the embedded `knowledge/redaction.toml`.
pub fn profile(kind: RecipientKind) -> CoreResult<RedactionProfile> {
    static PROFILES: OnceLock<Result<BTreeMap<RecipientKind, RedactionProfile>, String>> = OnceLock::new();
    let profiles = PROFILES.get_or_init(|| parse(REDACTION_TOML).map_err(|e| e.to_string()));
    match profiles {
        Ok(profiles) => Ok(profiles[&kind].clone()),
        Err(message) => {
            Err(CoreError::Knowledge { file: FILE.into(), entry: String::new(), problem: message.clone() })
        }
    }
}

/// The player's choice for one item and one recipient, over the profile's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, TS)]
pub struct ExhibitOverride {
    pub item_id: i64,
    pub include: bool,
}

/// What one item becomes for one recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PlannedExhibit {
    pub item_id: i64,
    pub title: String,
    pub include: bool,
    /// Why the item is left out, in words for the player; `None` when included.
    pub reason_excluded: Option<String>,
    /// Hidden areas are filled black in the copy.
    pub redacted: bool,
    /// The photo's location is removed from the copy.
    pub gps_removed: bool,
    /// Card numbers in the exhibit's text are masked to their last four digits.
    pub masked: bool,
}

/// How a plan's copy of an item is written: the policy for `export_for_recipient`.
impl PlannedExhibit {
    pub fn export_policy(&self) -> super::ExportPolicy {
        super::ExportPolicy { apply_redactions: self.redacted, strip_gps: self.gps_removed }
    }
}

/// Items whose text is rendered into a package (and so can be masked).
fn has_text(kind: EvidenceKind) -> bool {
    matches!(kind, EvidenceKind::Note | EvidenceKind::Chat | EvidenceKind::Email)
}

fn plan_one(
    item: &EvidenceItem,
    profile: &RedactionProfile,
    kind: RecipientKind,
    chosen: Option<bool>,
) -> PlannedExhibit {
    let is_id = item.tags.iter().any(|t| t == ID_DOCUMENT_TAG);
    let by_profile = !is_id || profile.include_id_documents;
    let include = chosen.unwrap_or(by_profile);
    let reason_excluded = (!include).then(|| match chosen {
        Some(false) => "you chose to leave it out for this recipient".to_owned(),
        _ => format!(
            "it is tagged as an identity document, and identity documents are not sent to a {} recipient unless you add them",
            kind.as_str().replace('_', " ")
        ),
    });
    PlannedExhibit {
        item_id: item.id,
        title: item.title.clone(),
        include,
        reason_excluded,
        redacted: include
            && profile.apply_redactions
            && item.kind == EvidenceKind::Image
            && item.hidden_areas > 0,
        gps_removed: include && profile.strip_gps && item.has_gps,
        masked: include && profile.mask_card_numbers && has_text(item.kind),
    }
}

/// Every item of the case as the recipient kind would get it: in or out (the profile's rule for
/// identity documents, then the player's overrides), and what is changed in its copy.
pub fn plan_exhibits(
    store: &Store,
    case_id: i64,
    recipient_kind: RecipientKind,
    overrides: &[ExhibitOverride],
) -> CoreResult<Vec<PlannedExhibit>> {
    store.get_case(case_id)?;
    let profile = profile(recipient_kind)?;
    let items = store.evidence_items(case_id)?;
    for o in overrides {
        if !items.iter().any(|i| i.id == o.item_id) {
            return Err(CoreError::EvidenceNotFound(o.item_id));
        }
    }
    Ok(items
        .iter()
        .map(|item| {
            let chosen = overrides.iter().rev().find(|o| o.item_id == item.id).map(|o| o.include);
            plan_one(item, &profile, recipient_kind, chosen)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_has_a_profile_for_every_kind_with_a_reason() {
        let profiles = parse(REDACTION_TOML).unwrap();
        assert_eq!(profiles.len(), ALL_KINDS.len());
        assert!(profiles.values().all(|p| p.reason.len() > 40));
        assert!(!profiles[&RecipientKind::Portal].include_id_documents);
        assert!(profiles[&RecipientKind::Legal].include_id_documents);
        assert!(profiles.values().all(|p| p.strip_gps), "location never leaves");
    }

    #[test]
    fn a_missing_kind_or_an_unknown_field_is_refused_by_name() {
        let without_police = REDACTION_TOML.replace("[police]", "[police_x]");
        assert!(parse(&without_police).unwrap_err().to_string().contains("police_x"));
        let extra = REDACTION_TOML.replace("[legal]\n", "[legal]\nsend_everything = true\n");
        assert!(parse(&extra).unwrap_err().to_string().contains("send_everything"));
    }
}
