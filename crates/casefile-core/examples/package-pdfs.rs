//! Times the package's two PDFs alone for a case of N exhibits (default 1000): the letter and the
//! timeline-and-index PDF, typeset in-process. Used by scripts/bench-package; asserts nothing.
//!   cargo run --release -p casefile-core --example package-pdfs -- [N]

use std::time::Instant;

use casefile_core::package::pdf::{self, IndexRow, PageFrame, TimelineLabels, TimelineRow};

fn main() {
    let count: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(1000);
    let now = "2026-11-21T09:00:00Z".parse().expect("a valid date");
    let frame = |title: &str| PageFrame {
        case_reference: "Casefile case 1 · Bench · EUR 1.00".into(),
        date: "21 November 2026".into(),
        draft: true,
        title: title.into(),
        page_of: "Page {page} of {pages}".into(),
        language: "en".into(),
    };
    let exhibit = |i: usize| format!("E{:04}", i + 1);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 10, 1).expect("a valid date");
    let index: Vec<IndexRow> = (0..count)
        .map(|i| IndexRow {
            exhibit: exhibit(i),
            title: format!("shot-{i:04}.png"),
            date: "1 October 2026".into(),
            kind: "image".into(),
            original_name: format!("shot-{i:04}.png"),
            sha256: format!("{:064x}", i),
        })
        .collect();
    let timeline: Vec<TimelineRow> = (0..count)
        .map(|i| TimelineRow { date: day, what: format!("shot-{i:04}.png"), exhibits: vec![exhibit(i)] })
        .collect();
    let labels = TimelineLabels {
        timeline: "Timeline".into(),
        index: "Evidence index".into(),
        date: "Date".into(),
        what: "What happened".into(),
        exhibits: "Exhibits".into(),
        exhibit: "Exhibit".into(),
        title: "Title".into(),
        kind: "Kind".into(),
        original_name: "Original name".into(),
        sha256: "SHA-256".into(),
        empty: "Nothing recorded yet.".into(),
    };
    let exhibits: Vec<String> = (0..count).map(exhibit).collect();
    let paragraphs = vec![
        "To Bench,".to_owned(),
        format!("I attach these documents, numbered as exhibits: {}.", exhibits.join(", ")),
    ];
    let start = Instant::now();
    let letter = pdf::letter_pdf(&frame("Letter"), &paragraphs, now).expect("the letter PDF");
    let letter_time = start.elapsed();
    let start = Instant::now();
    let index_pdf =
        pdf::timeline_and_index_pdf(&frame("Timeline"), &labels, &timeline, &index, |d| d.to_string(), now)
            .expect("the index PDF");
    let index_time = start.elapsed();
    println!(
        "letter.pdf {:.2} s ({} bytes); timeline-and-index.pdf for {count} exhibits {:.2} s ({} bytes)",
        letter_time.as_secs_f64(),
        letter.len(),
        index_time.as_secs_f64(),
        index_pdf.len()
    );
}
