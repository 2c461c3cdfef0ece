//! The complaint package for one recipient: a letter filled from the case, the numbered exhibits
//! (decrypted copies, each export logged), an evidence index, a manifest and SHA256SUMS that
//! `sha256sum -c` accepts. Written into a temp folder and renamed into place, so a failure leaves
//! nothing half-written. Text only for now; PDFs and the ZIP come next.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult};
use crate::home::DataHome;
use crate::ladder::{self, RungStatus, StepKind};
use crate::locker::{self, VaultKey};
use crate::storage::Store;
use crate::{knowledge, text, triage};

pub mod preview;
pub mod record;

const LETTERS_TOML: &str = include_str!("../../../knowledge/letters.toml");

#[derive(Debug, Clone, Deserialize)]
struct LetterTemplate {
    id: String,
    for_kinds: Vec<String>,
    paragraphs: Vec<String>,
}

#[derive(Deserialize)]
struct LetterFile {
    #[allow(dead_code)]
    source: String,
    template: Vec<LetterTemplate>,
}

fn templates() -> &'static [LetterTemplate] {
    static TEMPLATES: OnceLock<Vec<LetterTemplate>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        let file: LetterFile =
            toml::from_str(LETTERS_TOML).unwrap_or_else(|e| panic!("knowledge/letters.toml is invalid: {e}"));
        file.template
    })
}

/// What stands between the case and a package for this recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PackageCheck {
    pub recipient_id: String,
    /// Reasons the recipient would refuse the package now; a draft can still be built.
    pub blocking: Vec<String>,
    /// Facts a letter should have that the case lacks.
    pub warnings: Vec<String>,
}

/// What was built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PackageReport {
    pub folder: String,
    pub draft: bool,
    /// Which letter template of knowledge/letters.toml was used.
    pub template: String,
    pub files: Vec<PackageFile>,
    /// SHA-256 of manifest.json.
    pub manifest_sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PackageFile {
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

/// Checks the recipient against the case's ladder and triage.
pub fn check(
    store: &Store,
    case_id: i64,
    recipient_id: &str,
    now: DateTime<Utc>,
) -> CoreResult<PackageCheck> {
    let recipient = ladder::shipped_directory().get(recipient_id).ok_or_else(|| {
        CoreError::Refused(format!(
            "'{recipient_id}' is not in the directory. `casefile recipients` lists the ids."
        ))
    })?;
    let view = ladder::ladder_view(store, case_id, now, "en")?;
    let mut blocking = Vec::new();
    match view.rungs.iter().find(|rung| rung.recipient_id == recipient.id) {
        None => blocking.push(format!("{} is not a step on this case's ladder (check the licence, the ADR body named, and the deposit method).", recipient.name)),
        Some(rung) if matches!(rung.status, RungStatus::NotStarted | RungStatus::NotApplicable) => {
            // The last reason is the one holding the rung back.
            blocking.extend(rung.why.last().cloned());
        }
        Some(_) => {}
    }
    let triage = triage::view(store, case_id, now, "en")?;
    let warnings = triage
        .completeness
        .facts
        .iter()
        .filter(|f| !f.present)
        .map(|f| format!("Missing: {}", f.title))
        .collect();
    Ok(PackageCheck { recipient_id: recipient.id.clone(), blocking, warnings })
}

/// A file name safe on Windows, macOS and Linux: letters, digits, dot, dash and underscore.
fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .collect();
    let trimmed = cleaned.trim_matches(['.', '_']).chars().take(80).collect::<String>();
    if trimmed.is_empty() { "file".to_owned() } else { trimmed }
}

fn sha256_file(path: &Path) -> CoreResult<(String, u64)> {
    let bytes = fs::read(path).map_err(|e| CoreError::io(format!("Could not read {}", path.display()), e))?;
    Ok((data_encoding::HEXLOWER.encode(&Sha256::digest(&bytes)), bytes.len() as u64))
}

fn write(path: &Path, text: &str) -> CoreResult<()> {
    fs::write(path, text).map_err(|e| CoreError::io(format!("Could not write {}", path.display()), e))
}

/// Builds the package into `out` (which must not exist yet). Refused while blocked unless `draft`.
#[allow(clippy::too_many_arguments)]
pub fn build(
    store: &Store,
    home: &DataHome,
    key: &VaultKey,
    case_id: i64,
    recipient_id: &str,
    out: &Path,
    draft: bool,
    now: DateTime<Utc>,
) -> CoreResult<PackageReport> {
    let checked = check(store, case_id, recipient_id, now)?;
    if !checked.blocking.is_empty() && !draft {
        return Err(CoreError::Refused(format!(
            "The package was not built: {} Build a draft with --draft if you want to see it anyway.",
            checked.blocking.join(" ")
        )));
    }
    if out.exists() {
        return Err(CoreError::Refused(format!(
            "The package was not built: {} already exists. Choose a new folder.",
            out.display()
        )));
    }
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let staging = tempfile::Builder::new()
        .prefix(".casefile-package-")
        .tempdir_in(parent)
        .map_err(|e| CoreError::io(format!("Could not write in {}", parent.display()), e))?;
    let folder = staging.path();
    let exhibits_dir = folder.join("exhibits");
    fs::create_dir(&exhibits_dir).map_err(|e| CoreError::io("Could not create the exhibits folder", e))?;

    let english = text::shipped("en");
    let case = store.get_case(case_id)?;
    let recipient = ladder::shipped_directory().get(recipient_id).expect("checked above");
    let items = store.evidence_items(case_id)?;
    let mut exhibit_lines = Vec::new();
    let mut index = String::from("Exhibit\tTitle\tDate\tKind\tOriginal name\tSHA-256\n");
    for (number, item) in items.iter().enumerate() {
        let exhibit = format!("E{:02}", number + 1);
        let file_name = format!("{exhibit}-{}", safe_name(&item.original_name));
        locker::export_item(store, home, key, case_id, item.id, &exhibits_dir.join(&file_name), now)?;
        let date = item
            .email
            .as_ref()
            .and_then(|e| e.date)
            .map(|d| d.date_naive())
            .or(item.captured_at.map(|c| c.date()))
            .unwrap_or(item.imported_at.date_naive());
        index.push_str(&format!(
            "{exhibit}\t{}\t{}\t{:?}\t{}\t{}\n",
            item.title,
            english.date(date),
            item.kind,
            item.original_name,
            item.sha256
        ));
        exhibit_lines.push(format!("{exhibit} ({})", item.title));
    }

    let (letter, template) = letter_text(store, &case, recipient, &exhibit_lines, &checked, draft, now)?;
    write(&folder.join("letter.txt"), &letter)?;
    write(&folder.join("evidence-index.txt"), &index)?;
    let readme = english.get("package.readme").replace("{recipient}", &display_name(&case, &recipient.id));
    let readme = if draft { format!("DRAFT\n\n{readme}") } else { readme };
    write(&folder.join("README.txt"), &readme)?;

    // Every exhibit was checked against its recorded hash as it was exported; no second pass.
    let custody_head = store.custody_head()?;
    let mut files = list_files(folder)?;
    let manifest = serde_json::json!({
        "generator": format!("casefile {}", crate::VERSION),
        "generated_at": now.to_rfc3339(),
        "draft": draft,
        "case": {
            "id": case.id,
            "title": case.title,
            "casino": case.casino.name,
            "amount": case.disputed.display(),
            "category": case.category.as_str(),
        },
        "recipient": { "id": recipient.id, "name": recipient.name },
        "custody_log_head": custody_head,
        "files": files,
    });
    let manifest_text = serde_json::to_string_pretty(&manifest)
        .map_err(|e| CoreError::io("Could not write the manifest", e.into()))?;
    write(&folder.join("manifest.json"), &manifest_text)?;
    let (manifest_sha256, manifest_size) = sha256_file(&folder.join("manifest.json"))?;
    files.push(PackageFile {
        path: "manifest.json".into(),
        sha256: manifest_sha256.clone(),
        size: manifest_size,
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let sums: String = files.iter().map(|f| format!("{}  {}\n", f.sha256, f.path)).collect();
    write(&folder.join("SHA256SUMS"), &sums)?;

    let staged = staging.keep();
    fs::rename(&staged, out).map_err(|e| {
        let _ = fs::remove_dir_all(&staged);
        CoreError::io(format!("Could not move the package to {}", out.display()), e)
    })?;
    Ok(PackageReport { folder: out.display().to_string(), draft, template, files, manifest_sha256 })
}

fn list_files(folder: &Path) -> CoreResult<Vec<PackageFile>> {
    let mut files = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).map_err(|e| CoreError::io("Could not list the package", e))?.flatten()
        {
            let path: PathBuf = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative = path.strip_prefix(folder).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            let (sha256, size) = sha256_file(&path)?;
            files.push(PackageFile { path: relative, sha256, size });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// How a letter names a body: the casino by its own name, the others by the directory's.
fn display_name(case: &crate::case::Case, recipient_id: &str) -> String {
    match ladder::shipped_directory().get(recipient_id) {
        Some(r) if r.kind == ladder::RecipientKind::CasinoSupport => case.casino.name.clone(),
        Some(r) => r.name.clone(),
        None => recipient_id.to_owned(),
    }
}

fn letter_text(
    store: &Store,
    case: &crate::case::Case,
    recipient: &ladder::Recipient,
    exhibits: &[String],
    checked: &PackageCheck,
    draft: bool,
    now: DateTime<Utc>,
) -> CoreResult<(String, String)> {
    let english = text::shipped("en");
    let kind = recipient.kind.as_str();
    let template = templates().iter().find(|t| t.for_kinds.iter().any(|k| k == kind)).ok_or_else(|| {
        CoreError::Knowledge {
            file: "letters.toml".into(),
            entry: kind.into(),
            problem: "no template for this kind".into(),
        }
    })?;
    let triage = triage::view(store, case.id, now, "en")?;
    let fact = |id: &str| triage.facts.iter().find(|f| f.question_id == id).map(|f| f.value.clone());
    let not_given = english.get("letter.not-given");
    let history: Vec<String> = ladder::ladder_view(store, case.id, now, "en")?
        .history
        .iter()
        .filter(|s| s.kind == StepKind::Sent)
        .map(|s| {
            let reference =
                if s.reference.is_empty() { String::new() } else { format!(" ({})", s.reference) };
            format!("{}: {}{reference}", english.date(s.on), display_name(case, &s.recipient_id))
        })
        .collect();
    let incident = case.key_dates.withdrawal_requested.or(case.key_dates.first_deposit);
    let values = [
        ("recipient", display_name(case, &recipient.id)),
        ("casino", case.casino.name.clone()),
        ("account", case.account_id.clone().unwrap_or_else(|| not_given.clone())),
        ("amount", case.disputed.display()),
        ("incident_date", incident.map_or_else(|| not_given.clone(), |d| english.date(d))),
        ("category", english.get(&format!("category.{}.title", case.category.as_str())).to_lowercase()),
        (
            "description",
            if case.description.is_empty() {
                fact("desc-what").unwrap_or_else(|| not_given.clone())
            } else {
                case.description.clone()
            },
        ),
        ("reason", fact("casino-reason").unwrap_or_else(|| not_given.clone())),
        (
            "sent_history",
            if history.is_empty() { english.get("letter.none-recorded") } else { history.join("; ") },
        ),
        (
            "exhibits",
            if exhibits.is_empty() { english.get("letter.none-recorded") } else { exhibits.join(", ") },
        ),
        (
            "licence",
            case.casino
                .regulator
                .as_deref()
                .and_then(|id| knowledge::shipped().regulator(id))
                .map_or_else(|| not_given.clone(), |r| r.name.clone()),
        ),
    ];
    let mut paragraphs = Vec::new();
    if draft {
        let mut points = checked.blocking.clone();
        points.extend(checked.warnings.iter().cloned());
        let points = if points.is_empty() { english.get("letter.none-recorded") } else { points.join(" ") };
        paragraphs.push(english.get("letter.draft-banner").replace("{points}", &points));
    }
    for paragraph in &template.paragraphs {
        let mut sentence = english.get(&format!("letter.{paragraph}"));
        for (name, value) in &values {
            sentence = sentence.replace(&format!("{{{name}}}"), value);
        }
        paragraphs.push(sentence);
    }
    Ok((paragraphs.join("\n\n") + "\n", template.id.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_recipient_kind_has_a_letter_and_every_paragraph_has_text() {
        let english = text::shipped("en");
        for kind in ["casino_support", "regulator", "adr", "portal", "payment", "legal", "police"] {
            let template = templates().iter().find(|t| t.for_kinds.iter().any(|k| k == kind));
            let template = template.unwrap_or_else(|| panic!("no letter for {kind}"));
            for paragraph in &template.paragraphs {
                assert!(english.has(&format!("letter.{paragraph}")), "{}: letter.{paragraph}", template.id);
            }
        }
    }

    #[test]
    fn file_names_are_safe_everywhere() {
        assert_eq!(safe_name("../../etc/passwd"), "etc_passwd");
        assert_eq!(safe_name("Kontoauszug März.pdf"), "Kontoauszug_M_rz.pdf");
        assert_eq!(safe_name("CON:?*<>|"), "CON");
        assert_eq!(safe_name("..."), "file");
    }
}
