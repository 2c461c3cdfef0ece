//! The package's PDFs, typeset in-process by typst with fonts shipped inside the binary (Noto Sans
//! for Latin, Greek and Cyrillic, Noto Naskh Arabic for Persian and Arabic). Case data never becomes
//! markup: the templates read it as JSON from a virtual file, so quotes, `#`, `$`, brackets or
//! right-to-left text in a casino's name are typeset as written. The same data and clock give the
//! same bytes: the document date comes from `now`, the PDF identifier from the package's own name.
//! `compile` is shared with the demo case, whose cashier screenshots are typeset the same way.

use std::sync::OnceLock;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use serde::Serialize;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::error::{CoreError, CoreResult};

const COMMON_TYP: &str = include_str!("common.typ");
const LETTER_TYP: &str = include_str!("letter.typ");
const TIMELINE_TYP: &str = include_str!("timeline.typ");

const SHIPPED_FONTS: &[&[u8]] = &[
    include_bytes!("../../../../assets/fonts/NotoSans-Regular.ttf"),
    include_bytes!("../../../../assets/fonts/NotoSans-Bold.ttf"),
    include_bytes!("../../../../assets/fonts/NotoNaskhArabic-Regular.ttf"),
    include_bytes!("../../../../assets/fonts/NotoNaskhArabic-Bold.ttf"),
];

/// What every page carries: the case reference in the header, "page X of Y" in the footer, and
/// DRAFT across the page when the package is a draft.
#[derive(Debug, Clone, Serialize)]
pub struct PageFrame {
    pub case_reference: String,
    /// The package's date as the language writes it, shown beside the reference.
    pub date: String,
    pub draft: bool,
    /// The document's title (PDF metadata and first heading).
    pub title: String,
    /// "Page {page} of {pages}" in the package's language.
    pub page_of: String,
    pub language: String,
}

/// One line of the timeline: what happened on a day, and the exhibits that show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineRow {
    pub date: NaiveDate,
    pub what: String,
    pub exhibits: Vec<String>,
}

/// One row of the evidence index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexRow {
    pub exhibit: String,
    pub title: String,
    pub date: String,
    pub kind: String,
    pub original_name: String,
    pub sha256: String,
}

/// Column headings and section titles of the timeline-and-index PDF, in the package's language.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineLabels {
    pub timeline: String,
    pub index: String,
    pub date: String,
    pub what: String,
    pub exhibits: String,
    pub exhibit: String,
    pub title: String,
    pub kind: String,
    pub original_name: String,
    pub sha256: String,
    pub empty: String,
}

/// The letter as a PDF: the same paragraphs as letter.txt.
pub fn letter_pdf(frame: &PageFrame, paragraphs: &[String], now: DateTime<Utc>) -> CoreResult<Vec<u8>> {
    let data = serde_json::json!({ "frame": frame, "paragraphs": paragraphs });
    render(LETTER_TYP, &data, &format!("letter {}", frame.case_reference), now)
}

/// The timeline (one row per dated event, oldest first) and the evidence index as one PDF.
pub fn timeline_and_index_pdf(
    frame: &PageFrame,
    labels: &TimelineLabels,
    timeline: &[TimelineRow],
    index: &[IndexRow],
    date_text: impl Fn(NaiveDate) -> String,
    now: DateTime<Utc>,
) -> CoreResult<Vec<u8>> {
    let rows: Vec<serde_json::Value> = timeline
        .iter()
        .map(|row| {
            serde_json::json!({ "date": date_text(row.date), "what": row.what, "exhibits": row.exhibits.join(", ") })
        })
        .collect();
    let data = serde_json::json!({ "frame": frame, "labels": labels, "timeline": rows, "index": index });
    render(TIMELINE_TYP, &data, &format!("timeline {}", frame.case_reference), now)
}

/// Compiles one template against `data` and writes it as PDF/A-2b.
fn render(template: &str, data: &serde_json::Value, ident: &str, now: DateTime<Utc>) -> CoreResult<Vec<u8>> {
    let document = compile(template, data, now)?;
    // Tagged (the default), so screen readers can follow the letter. krilla, typst's PDF writer,
    // then puts `/MarkInfo << /Marked true /Suspects false >>` in the catalog of a PDF 1.6–1.7 (as
    // PDF/UA wants); `Suspects` is an optional boolean (ISO 32000-1, table 321), so the file is
    // valid and `qpdf --check` is clean. poppler up to 25.11 still prints "Syntax Error: Suspects
    // object is wrong type (boolean)" from `pdfinfo`: its Catalog::getMarkInfo accepts only `true`
    // (typst issue #7140). Harmless; dropping the tags or leaving PDF 1.7 would be the only way
    // round it on this side, and PDF/A-2b needs 1.7.
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_owned()),
        creator: Smart::Custom(Some(format!("Casefile {}", crate::VERSION))),
        timestamp: Some(Timestamp::new_utc(datetime(now))),
        standards: PdfStandards::new(&[PdfStandard::A_2b])
            .map_err(|e| pdf_error(format!("PDF/A-2b is not available: {}", e.message())))?,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| {
        let messages: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
        pdf_error(format!("writing the PDF failed: {}", messages.join("; ")))
    })
}

/// Typesets `template` against `data`, which the template reads with `json("/data.json")` (and may
/// import common.typ), with the shipped fonts and `now` as today. Shared by the package's PDFs and
/// the demo's generated screenshots, so both keep case data out of the markup.
pub(crate) fn compile(
    template: &str,
    data: &serde_json::Value,
    now: DateTime<Utc>,
) -> CoreResult<PagedDocument> {
    let json = serde_json::to_vec(data)
        .map_err(|e| CoreError::io("Could not prepare the typesetting data", e.into()))?;
    let world = PackageWorld::new(template, json, now);
    typst::compile(&world).output.map_err(|errors| {
        let messages: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
        pdf_error(format!("typesetting failed: {}", messages.join("; ")))
    })
}

fn pdf_error(problem: String) -> CoreError {
    CoreError::Knowledge { file: "package PDF templates".into(), entry: "typst".into(), problem }
}

fn datetime(now: DateTime<Utc>) -> Datetime {
    Datetime::from_ymd_hms(
        now.year(),
        now.month() as u8,
        now.day() as u8,
        now.hour() as u8,
        now.minute() as u8,
        now.second() as u8,
    )
    .expect("a chrono date is a valid typst date")
}

fn fonts() -> &'static (LazyHash<FontBook>, Vec<Font>) {
    static FONTS: OnceLock<(LazyHash<FontBook>, Vec<Font>)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = SHIPPED_FONTS
            .iter()
            .copied()
            .chain(typst_assets::fonts())
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
    })
}

fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

/// The smallest world typst needs: three virtual files and the shipped fonts, no file system.
struct PackageWorld {
    main: Source,
    common: Source,
    data: Bytes,
    data_id: FileId,
    today: Datetime,
}

fn file_id(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("a valid virtual path")).intern()
}

impl PackageWorld {
    fn new(template: &str, data: Vec<u8>, now: DateTime<Utc>) -> Self {
        PackageWorld {
            main: Source::new(file_id("/main.typ"), template.to_owned()),
            common: Source::new(file_id("/common.typ"), COMMON_TYP.to_owned()),
            data: Bytes::new(data),
            data_id: file_id("/data.json"),
            today: datetime(now),
        }
    }
}

impl World for PackageWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else if id == self.common.id() {
            Ok(self.common.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id { Ok(self.data.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().1.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(draft: bool) -> PageFrame {
        PageFrame {
            case_reference: "Case 7 · \"Кази#но\" $[x] ]*_".into(),
            date: "21 November 2026".into(),
            draft,
            title: "Letter".into(),
            page_of: "Page {page} of {pages}".into(),
            language: "en".into(),
        }
    }

    #[test]
    fn hostile_text_is_typeset_as_data_and_output_is_deterministic() {
        let now = "2026-11-21T09:00:00Z".parse().unwrap();
        let paragraphs = vec!["#panic(\"no\") $x^2$ [link] `raw` <label> @ref \\ 'کازینو آنلاین'".to_owned()];
        let first = letter_pdf(&frame(true), &paragraphs, now).unwrap();
        let second = letter_pdf(&frame(true), &paragraphs, now).unwrap();
        assert!(first.starts_with(b"%PDF-"));
        assert_eq!(first, second, "same data and clock, same bytes");
        let later = letter_pdf(&frame(true), &paragraphs, "2026-11-22T09:00:00Z".parse().unwrap()).unwrap();
        assert_ne!(first, later, "the clock is the document date");
    }
}
