//! Builds a package: decides where it goes, stages it under temporary names, writes every file in
//! a fixed order (generated documents, exhibits, manifest, SHA256SUMS) and renames it into place.

use std::fs;
use std::path::Path;

use chrono::{DateTime, Utc};

use super::output::{self, Output};
use super::pdf::{self, IndexRow, PageFrame, TimelineLabels};
use super::preview::PackageProgress;
use super::{BuildOptions, PackageCheck, PackageFile, PackageReport, check, email, files, letter, readme};
use super::{timeline, webform};
use crate::case::Case;
use crate::error::{CoreError, CoreResult};
use crate::home::DataHome;
use crate::ladder::{self, Recipient};
use crate::locker::{self, EvidenceItem, EvidenceKind, PlannedExhibit, VaultKey, formats};
use crate::storage::Store;
use crate::text::{self, TextTable};

/// Builds the package into `out` (see `BuildOptions::zip` for where the folder and ZIP go; neither
/// may exist yet). Refused while the recipient is blocked unless `options.draft`. `progress` hears
/// of every exhibit written and of the documents after them (never `finished`: the caller says
/// that once it has done its own part, such as recording the package).
#[allow(clippy::too_many_arguments)]
pub fn build(
    store: &Store,
    home: &DataHome,
    key: &VaultKey,
    case_id: i64,
    recipient_id: &str,
    out: &Path,
    options: &BuildOptions,
    progress: &mut dyn FnMut(PackageProgress),
) -> CoreResult<PackageReport> {
    let checked = check(store, case_id, recipient_id, options.now)?;
    if !checked.blocking.is_empty() && !options.draft {
        return Err(CoreError::Refused(format!(
            "The package was not built: {} Build a draft with --draft if you want to see it anyway.",
            checked.blocking.join(" ")
        )));
    }
    let (folder_out, zip_out) = output::targets(out, options.zip);
    for target in folder_out.iter().chain(zip_out.iter()) {
        if target.exists() {
            return Err(CoreError::Refused(format!(
                "The package was not built: {} already exists. Choose a new name.",
                target.display()
            )));
        }
    }
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let cannot_write = |e| CoreError::io(format!("Could not write in {}", parent.display()), e);
    let staging_folder = match &folder_out {
        Some(_) => Some(
            tempfile::Builder::new().prefix(".casefile-package-").tempdir_in(parent).map_err(cannot_write)?,
        ),
        None => None,
    };
    let staging_zip = match &zip_out {
        Some(_) => Some(
            tempfile::Builder::new()
                .prefix(".casefile-package-")
                .suffix(".zip.part")
                .tempfile_in(parent)
                .map_err(cannot_write)?,
        ),
        None => None,
    };
    let zip_root = zip_out
        .as_deref()
        .or(folder_out.as_deref())
        .and_then(|p| p.file_stem())
        .map(|s| files::safe_name(&s.to_string_lossy()))
        .unwrap_or_else(|| "package".to_owned());
    let zip_file = match &staging_zip {
        Some(temp) => Some(temp.as_file().try_clone().map_err(cannot_write)?),
        None => None,
    };
    let mut output =
        Output::new(staging_folder.as_ref().map(|d| d.path().to_path_buf()), zip_file, zip_root, options.now);
    let context = Context { store, home, key, scratch: parent, now: options.now };
    let built = write_contents(&context, case_id, recipient_id, &checked, options, &mut output, progress)?;
    let files = output.finish()?;

    // Both are complete: move them into place (the ZIP never overwrites a file that appeared since).
    if let (Some(staging), Some(target)) = (staging_folder, &folder_out) {
        let staged = staging.keep();
        fs::rename(&staged, target).map_err(|e| {
            let _ = fs::remove_dir_all(&staged);
            CoreError::io(format!("Could not move the package to {}", target.display()), e)
        })?;
    }
    if let (Some(staging), Some(target)) = (staging_zip, &zip_out) {
        staging.persist_noclobber(target).map_err(|e| {
            if let Some(folder) = &folder_out {
                let _ = fs::remove_dir_all(folder);
            }
            CoreError::io(format!("Could not move the ZIP to {}", target.display()), e.error)
        })?;
    }
    Ok(PackageReport {
        folder: folder_out.map(|p| p.display().to_string()),
        zip: zip_out.map(|p| p.display().to_string()),
        draft: options.draft,
        template: built.template,
        manifest_sha256: files
            .iter()
            .find(|f| f.path == "manifest.json")
            .map(|f| f.sha256.clone())
            .unwrap_or_default(),
        files,
        readme_language: built.readme_language,
    })
}

struct Built {
    template: String,
    readme_language: String,
}

/// The case reference every page carries.
fn case_reference(english: &TextTable, case: &Case) -> String {
    english
        .get("pdf.case-reference")
        .replace("{id}", &case.id.to_string())
        .replace("{casino}", &case.casino.name)
        .replace("{amount}", &case.disputed.display())
}

/// What writing the exhibits needs besides the output: the locker, and a folder beside the package
/// for the few copies that must be changed before they go in (deleted as soon as they are in).
struct Context<'a> {
    store: &'a Store,
    home: &'a DataHome,
    key: &'a VaultKey,
    scratch: &'a Path,
    now: DateTime<Utc>,
}

/// The items the recipient gets, in the locker's order, each with what changes in its copy.
fn planned_items<'a>(
    items: &'a [EvidenceItem],
    plan: &'a [PlannedExhibit],
) -> Vec<(&'a EvidenceItem, &'a PlannedExhibit)> {
    items
        .iter()
        .filter_map(|item| plan.iter().find(|p| p.item_id == item.id && p.include).map(|p| (item, p)))
        .collect()
}

fn write_contents(
    context: &Context<'_>,
    case_id: i64,
    recipient_id: &str,
    checked: &PackageCheck,
    options: &BuildOptions,
    output: &mut Output,
    progress: &mut dyn FnMut(PackageProgress),
) -> CoreResult<Built> {
    let Context { store, now, .. } = *context;
    let english = text::shipped("en");
    let case = store.get_case(case_id)?;
    let recipient = ladder::shipped_directory().get(recipient_id).expect("checked before");
    let items = store.evidence_items(case_id)?;
    let plan = locker::plan_exhibits(store, case_id, recipient.kind, &options.exhibits)?;
    let planned = planned_items(&items, &plan);
    let history = ladder::ladder_view(store, case_id, now, "en")?.history;
    let exhibits: Vec<(String, &EvidenceItem)> = planned
        .iter()
        .enumerate()
        .map(|(i, (item, _))| (files::exhibit_number(i, planned.len()), *item))
        .collect();
    // One step per exhibit, and one for the documents that follow them (index, manifest, sums).
    let total = exhibits.len() as u32 + 1;
    let mut report = |done: u32| progress(PackageProgress { done, total, finished: false });
    report(0);
    let exhibit_lines: Vec<String> =
        exhibits.iter().map(|(n, item)| format!("{n} ({})", item.title)).collect();

    let values = letter::values(store, &case, recipient, &history, &exhibit_lines, now)?;
    let (paragraphs, template) = letter::paragraphs(recipient, &values, checked, options.draft)?;
    let recipient_name = values["recipient"].clone();
    let frame = |title: String| PageFrame {
        case_reference: case_reference(english, &case),
        date: english.date(now.date_naive()),
        draft: options.draft,
        title,
        page_of: english.get("pdf.page-of"),
        language: "en".into(),
    };
    output.add("letter.txt", (paragraphs.join("\n\n") + "\n").as_bytes())?;
    let letter_frame = frame(english.get("pdf.letter-title").replace("{recipient}", &recipient_name));
    output.add("letter.pdf", &pdf::letter_pdf(&letter_frame, &paragraphs, now)?)?;

    // The exhibits go in before the index, which says what was actually changed in each copy.
    let mut changes = Vec::with_capacity(exhibits.len());
    for (done, ((number, item), (_, planned))) in (1..).zip(exhibits.iter().zip(&planned)) {
        changes.push(add_exhibit(context, number, item, planned, output)?);
        report(done);
    }
    let index = index_rows(english, &exhibits, &changes);
    let rows = timeline_rows(store, case_id, &exhibits, now)?;
    let timeline_pdf = pdf::timeline_and_index_pdf(
        &frame(english.get("pdf.timeline-title")),
        &timeline_labels(english),
        &rows,
        &index,
        |d| english.date(d),
        now,
    )?;
    output.add("timeline-and-index.pdf", &timeline_pdf)?;
    output.add("evidence-index.txt", index_text(&index).as_bytes())?;
    let exhibits_line = values["exhibits"].clone();
    output.add("web-form.txt", webform::web_form(recipient, &case, &values, &exhibits_line).as_bytes())?;
    let readme = readme::readme(recipient, &recipient_name, options.draft);
    output.add("README.txt", readme.text.as_bytes())?;

    // Every exhibit was checked against its recorded hash as it was exported; no second pass.
    let custody_head = store.custody_head()?;
    let manifest = serde_json::json!({
        "generator": format!("casefile {}", crate::VERSION),
        "generated_at": now.to_rfc3339(),
        "draft": options.draft,
        "case": {
            "id": case.id,
            "title": case.title,
            "casino": case.casino.name,
            "amount": case.disputed.display(),
            "category": case.category.as_str(),
        },
        "recipient": recipient_json(recipient),
        "template": template,
        "left_out": plan.iter().filter(|p| !p.include).map(|p| serde_json::json!({
            "item": p.item_id,
            "title": p.title,
            "why": p.reason_excluded,
        })).collect::<Vec<_>>(),
        "readme_language": readme.language,
        "readme_note": readme.fallback_note,
        "custody_log_head": custody_head,
        "files": sorted(&output.files),
    });
    let manifest_text = serde_json::to_string_pretty(&manifest)
        .map_err(|e| CoreError::io("Could not write the manifest", e.into()))?;
    output.add("manifest.json", manifest_text.as_bytes())?;
    let sums: String = sorted(&output.files).iter().map(|f| format!("{}  {}\n", f.sha256, f.path)).collect();
    output.add("SHA256SUMS", sums.as_bytes())?;
    report(total);
    Ok(Built { template, readme_language: readme.language })
}

fn recipient_json(recipient: &Recipient) -> serde_json::Value {
    serde_json::json!({ "id": recipient.id, "name": recipient.name, "kind": recipient.kind.as_str() })
}

fn sorted(files: &[PackageFile]) -> Vec<PackageFile> {
    let mut files = files.to_vec();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Streams one exhibit (decrypted once) into the package; an email also gets its text rendering.
/// A copy with hidden areas or without location data is written beside the package first (the
/// locker's `export_for_recipient`), and text has card numbers masked when the recipient's profile
/// says so.
fn add_exhibit(
    context: &Context<'_>,
    number: &str,
    item: &EvidenceItem,
    planned: &PlannedExhibit,
    output: &mut Output,
) -> CoreResult<Changes> {
    let Context { store, home, key, now, .. } = *context;
    let mut name = format!("{number}-{}", files::safe_name(&item.original_name));
    let compress = matches!(item.kind, EvidenceKind::Email | EvidenceKind::Chat | EvidenceKind::Note);
    if planned.redacted || planned.gps_removed {
        let scratch = tempfile::Builder::new()
            .prefix(".casefile-exhibit-")
            .tempdir_in(context.scratch)
            .map_err(|e| CoreError::io("Could not prepare a changed copy of an exhibit", e))?;
        let copy_path = scratch.path().join("copy");
        let policy = planned.export_policy();
        let copy =
            locker::export_for_recipient(store, home, key, item.case_id, item.id, &policy, &copy_path, now)?;
        if copy.media_type == "image/png" && !name.to_lowercase().ends_with(".png") {
            name.push_str(".png");
        }
        let path = format!("exhibits/{name}");
        output.add_stream(&path, copy.size, false, |sink| {
            let mut file =
                fs::File::open(&copy_path).map_err(|e| CoreError::io("Could not read a copy", e))?;
            std::io::copy(&mut file, sink)
                .map(|_| ())
                .map_err(|e| CoreError::io(format!("Could not write {path}"), e))
        })?;
        return Ok(Changes { redacted: copy.redacted, gps_removed: copy.gps_removed, masked: false });
    }
    let path = format!("exhibits/{name}");
    let export = |sink: &mut dyn std::io::Write| {
        locker::export_item_to(store, home, key, item.case_id, item.id, sink, now)
    };
    let readable = item.size <= formats::MAX_EMAIL_BYTES;
    if readable && (item.kind == EvidenceKind::Email || planned.masked) {
        // Text exhibits to render or mask are bounded in size and read whole.
        let mut bytes = Vec::with_capacity(item.size as usize);
        export(&mut bytes)?;
        let (bytes, masked) = if planned.masked { masked_text(bytes) } else { (bytes, 0) };
        output.add_stream(&path, bytes.len() as u64, compress, |sink| {
            sink.write_all(&bytes).map_err(|e| CoreError::io(format!("Could not write {path}"), e))
        })?;
        let mut masked_in_rendering = 0;
        if item.kind == EvidenceKind::Email
            && let Some(text) = email::render(&name, &bytes)
        {
            let text = if planned.masked {
                let (text, count) = locker::masking::mask_card_numbers(&text);
                masked_in_rendering = count;
                text
            } else {
                text
            };
            output.add(&format!("exhibits/{}", email::text_name(&name)), text.as_bytes())?;
        }
        return Ok(Changes { masked: masked + masked_in_rendering > 0, ..Changes::default() });
    }
    // The export checks the decrypted bytes against the item's recorded SHA-256 as they pass.
    output.add_checked_stream(&path, item.size, compress, &item.sha256, export)?;
    Ok(Changes::default())
}

/// What was changed in an exhibit's copy, as the index tells the recipient.
#[derive(Debug, Clone, Copy, Default)]
struct Changes {
    redacted: bool,
    gps_removed: bool,
    masked: bool,
}

/// Card numbers masked in text that is UTF-8 (with how many); other bytes are left as they are.
fn masked_text(bytes: Vec<u8>) -> (Vec<u8>, usize) {
    match String::from_utf8(bytes) {
        Ok(text) => {
            let (masked, count) = locker::masking::mask_card_numbers(&text);
            (masked.into_bytes(), count)
        }
        Err(not_text) => (not_text.into_bytes(), 0),
    }
}

/// The case's timeline (the same one the Timeline tab shows), its evidence named by exhibit number;
/// items the recipient does not get are not named.
fn timeline_rows(
    store: &Store,
    case_id: i64,
    exhibits: &[(String, &EvidenceItem)],
    now: DateTime<Utc>,
) -> CoreResult<Vec<pdf::TimelineRow>> {
    let timeline = crate::timeline::case_timeline(store, case_id, now, "en")?;
    Ok(timeline
        .rows()
        .into_iter()
        .map(|row| pdf::TimelineRow {
            date: row.date,
            what: row.what,
            exhibits: row
                .exhibits
                .iter()
                .filter_map(|id| exhibits.iter().find(|(_, item)| item.id == *id).map(|(n, _)| n.clone()))
                .collect(),
        })
        .collect())
}

fn index_rows(
    english: &TextTable,
    exhibits: &[(String, &EvidenceItem)],
    changes: &[Changes],
) -> Vec<IndexRow> {
    exhibits
        .iter()
        .zip(changes)
        .map(|((number, item), changes)| IndexRow {
            exhibit: number.clone(),
            title: with_changes(english, &item.title, changes),
            date: english.date(timeline::exhibit_date(item)),
            kind: item.kind.as_str().to_owned(),
            original_name: item.original_name.clone(),
            sha256: item.sha256.clone(),
        })
        .collect()
}

/// The title, with what was changed in the copy (the SHA-256 in the index is the original's).
fn with_changes(english: &TextTable, title: &str, changed: &Changes) -> String {
    let changes: Vec<String> = [
        (changed.redacted, "pdf.change-redacted"),
        (changed.gps_removed, "pdf.change-gps"),
        (changed.masked, "pdf.change-masked"),
    ]
    .into_iter()
    .filter(|(changed, _)| *changed)
    .map(|(_, key)| english.get(key))
    .collect();
    if changes.is_empty() {
        title.to_owned()
    } else {
        format!("{title} ({})", english.get("pdf.copy-note").replace("{changes}", &changes.join(", ")))
    }
}

fn index_text(index: &[IndexRow]) -> String {
    let mut text = String::from("Exhibit\tTitle\tDate\tKind\tOriginal name\tSHA-256\n");
    for row in index {
        // A tab or line break inside a title would shift the columns.
        let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\n",
            row.exhibit,
            clean(&row.title),
            row.date,
            row.kind,
            clean(&row.original_name),
            row.sha256
        ));
    }
    text
}

fn timeline_labels(english: &TextTable) -> TimelineLabels {
    let get = |key: &str| english.get(&format!("pdf.{key}"));
    TimelineLabels {
        timeline: get("timeline"),
        index: get("index"),
        date: get("date"),
        what: get("what"),
        exhibits: get("exhibits"),
        exhibit: get("exhibit"),
        title: get("title"),
        kind: get("kind"),
        original_name: get("original-name"),
        sha256: get("sha256"),
        empty: get("empty"),
    }
}
