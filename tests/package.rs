//! Scenario tests of the complaint package checked with the tools a recipient would use: `unzip`,
//! `sha256sum`, poppler's `pdftotext`/`pdfinfo` and `qpdf`. They run the real CLI against a real
//! data folder with real files, including a photo whose name is hostile on every file system.

use std::path::{Path, PathBuf};
use std::process::Command;

use casefile_test_support::{CliRun, TempHome};

const NOW: &str = "2026-11-21T09:00:00Z";
/// The CLI on the test folder (TempHome set up its vault and passes the passphrase).
fn run(home: &TempHome, args: &[&str]) -> CliRun {
    home.casefile(args)
}

/// Runs a tool and returns its stdout; fails the test with its stderr when it fails.
fn tool(program: &str, args: &[&str], dir: &Path) -> String {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program} is needed for this test (scripts/setup installs it): {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{program} {args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The PDF's text with line breaks and runs of spaces made single spaces, so a phrase the layout
/// wrapped onto two lines is still found.
fn pdf_text(pdf: &Path) -> String {
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"], Path::new("."));
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn pages(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()], Path::new("."));
    let line = info.lines().find(|l| l.starts_with("Pages:")).expect("pdfinfo prints Pages:");
    line.trim_start_matches("Pages:").trim().parse().unwrap()
}

/// A PNG (one pixel) and an email with an HTML body, written under awkward names.
fn evidence_files(dir: &Path) -> Vec<PathBuf> {
    let png: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00,
        0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00,
        0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05,
        0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42,
        0x60, 0x82,
    ];
    let photo = dir.join("con:..\\passport?*<1>|.png");
    std::fs::write(&photo, png).unwrap();
    let email = dir.join("reply from casino.eml");
    std::fs::write(
        &email,
        "From: Lucky Lagoon Support <support@lucky-lagoon.example>\r\nTo: player@example.org\r\n\
         Subject: Your withdrawal TKT-20931\r\nDate: Tue, 3 Nov 2026 10:00:00 +0000\r\n\
         Message-ID: <tkt-20931@lucky-lagoon.example>\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
         <p>Our finance team is <b>reviewing</b> your documents.</p><script>alert('x')</script>\r\n",
    )
    .unwrap();
    let chat = dir.join("chat log.txt");
    std::fs::write(&chat, "[2026-11-01 10:00] Agent: finance is checking\n").unwrap();
    vec![chat, email, photo]
}

fn demo_with_evidence(home: &TempHome) -> String {
    let id = run(home, &["demo", "--now", NOW]).ok().trim().to_owned();
    let files = evidence_files(home.path());
    let mut args = vec!["evidence", "add", &id];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let added = run(home, &args);
    assert_eq!(added.status, 0, "{}\n{}", added.stdout, added.stderr);
    id
}

fn package(home: &TempHome, id: &str, to: &str, out: &Path, extra: &[&str]) -> CliRun {
    let mut args = vec!["package", id, "--to", to, "--out", out.to_str().unwrap(), "--now", NOW];
    args.extend_from_slice(extra);
    run(home, &args)
}

#[test]
fn the_zip_unpacks_checks_and_its_pdfs_say_what_the_letter_says() {
    let home = TempHome::new();
    let id = demo_with_evidence(&home);
    let out = home.path().join("package for casino");
    let built = package(&home, &id, "casino-support", &out, &["--zip"]);
    let zip = home.path().join("package for casino.zip");
    assert_eq!(built.ok().lines().collect::<Vec<_>>(), [out.to_str().unwrap(), zip.to_str().unwrap()]);

    // The ZIP passes unzip's own test and unpacks into one folder that sha256sum accepts.
    tool("unzip", &["-t", zip.to_str().unwrap()], home.path());
    let unpacked = home.path().join("unpacked");
    tool("unzip", &["-q", zip.to_str().unwrap(), "-d", unpacked.to_str().unwrap()], home.path());
    let inside = unpacked.join("package_for_casino");
    let checked = tool("sha256sum", &["-c", "SHA256SUMS"], &inside);
    assert!(
        checked.contains("letter.pdf: OK") && checked.contains("timeline-and-index.pdf: OK"),
        "{checked}"
    );
    tool("sha256sum", &["-c", "SHA256SUMS"], &out);

    // Every name in the bundle is safe on Windows, macOS and Linux.
    let names = tool("unzip", &["-Z1", zip.to_str().unwrap()], home.path());
    for name in names.lines() {
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c)) && !name.contains(".."),
            "unsafe name in the ZIP: {name:?}"
        );
    }
    let exhibits: Vec<String> =
        names.lines().filter(|n| n.contains("/exhibits/")).map(str::to_owned).collect();
    assert_eq!(exhibits.len(), 4, "three exhibits and the email's text: {exhibits:?}");
    assert!(names.contains("exhibits/E03-con_._passport_1.png"), "{names}");

    // The letter PDF carries the facts and every exhibit number; the PDFs are valid.
    let letter = pdf_text(&out.join("letter.pdf"));
    for expected in
        ["Lucky Lagoon Casino (demo)", "EUR 2,350.00", "31 October 2026", "TKT-20931", "E01", "E02", "E03"]
    {
        assert!(letter.contains(expected), "letter.pdf lacks {expected:?}:\n{letter}");
    }
    assert!(letter.contains(&format!("Casefile case {id}")) && letter.contains("Page 1 of"), "{letter}");
    let timeline = pdf_text(&out.join("timeline-and-index.pdf"));
    for expected in [
        "Timeline",
        "Withdrawal of EUR 2,350.00 requested",
        "Evidence index",
        "reply from casino.eml",
        "3 November 2026",
    ] {
        assert!(timeline.contains(expected), "timeline-and-index.pdf lacks {expected:?}:\n{timeline}");
    }
    for pdf in ["letter.pdf", "timeline-and-index.pdf"] {
        let report = tool("qpdf", &["--check", pdf], &out);
        assert!(report.contains("No syntax or stream encoding errors"), "{pdf}: {report}");
        let info = tool("pdfinfo", &[pdf], &out);
        assert!(info.contains("PDF version:    1.7") || info.contains("PDF version:"), "{info}");
    }

    // The email has a readable, inert text copy, listed in SHA256SUMS; the form answers are ready.
    let email_text = std::fs::read_to_string(out.join("exhibits/E02-reply_from_casino.txt")).unwrap();
    assert!(
        email_text.starts_with("From: Lucky Lagoon Support <support@lucky-lagoon.example>\n"),
        "{email_text}"
    );
    assert!(
        email_text.contains("Our finance team is reviewing your documents.") && !email_text.contains("<b>")
    );
    let sums = std::fs::read_to_string(out.join("SHA256SUMS")).unwrap();
    assert!(sums.contains("  exhibits/E02-reply_from_casino.txt\n"), "{sums}");
    let form = std::fs::read_to_string(out.join("web-form.txt")).unwrap();
    assert!(form.contains("We do not know the fields") && form.contains("EUR 2,350.00"), "{form}");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let listed: Vec<&str> =
        manifest["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert!(
        listed.contains(&"exhibits/E02-reply_from_casino.txt") && listed.contains(&"letter.pdf"),
        "{listed:?}"
    );
    assert_eq!(manifest["readme_language"], "en");
}

#[test]
fn the_same_case_and_clock_give_the_same_pdfs_and_a_zip_path_writes_only_the_zip() {
    let home = TempHome::new();
    let id = demo_with_evidence(&home);
    let first = home.path().join("first");
    let second = home.path().join("second.zip");
    package(&home, &id, "casino-support", &first, &[]).ok();
    let built = package(&home, &id, "casino-support", &second, &["--json"]);
    let report = built.json();
    assert!(report["folder"].is_null() && report["zip"] == second.to_str().unwrap(), "{report}");
    assert!(!home.path().join("second").exists(), "a .zip path writes no folder");
    let unpacked = home.path().join("unpacked");
    tool("unzip", &["-q", second.to_str().unwrap(), "-d", unpacked.to_str().unwrap()], home.path());
    let again = unpacked.join("second");
    // The custody log records each export, so only the manifest (and its line in SHA256SUMS) moves on.
    for file in ["letter.pdf", "timeline-and-index.pdf", "letter.txt", "web-form.txt", "README.txt"] {
        assert!(
            std::fs::read(first.join(file)).unwrap() == std::fs::read(again.join(file)).unwrap(),
            "{file} differs between two builds with the same clock"
        );
    }
    let zip_listing = tool("unzip", &["-l", second.to_str().unwrap()], home.path());
    assert!(zip_listing.contains("2026-11-21 09:00"), "entries carry the package clock:\n{zip_listing}");
}

#[test]
fn a_draft_says_draft_on_every_page_and_the_readme_follows_the_recipients_language() {
    let home = TempHome::new();
    let id = demo_with_evidence(&home);
    let out = home.path().join("draft");
    let refused = package(&home, &id, "casino-guru", &out, &[]);
    assert_eq!(refused.status, 2, "{}", refused.stderr);
    package(&home, &id, "casino-guru", &out, &["--draft"]).ok();
    for pdf in ["letter.pdf", "timeline-and-index.pdf"] {
        let path = out.join(pdf);
        let count = pages(&path);
        for page in 1..=count {
            let text = tool(
                "pdftotext",
                &["-f", &page.to_string(), "-l", &page.to_string(), path.to_str().unwrap(), "-"],
                Path::new("."),
            );
            assert!(text.contains("DRAFT"), "{pdf} page {page} of {count} does not say DRAFT:\n{text}");
            assert!(text.contains(&format!("Page {page} of {count}")), "{pdf} page {page}:\n{text}");
        }
    }
    assert!(std::fs::read_to_string(out.join("README.txt")).unwrap().starts_with("DRAFT"));

    // A body that works in Swedish gets a Swedish README (ARN's form is Swedish only).
    let swedish = home.path().join("arn");
    let built = package(&home, &id, "arn", &swedish, &["--draft"]);
    let readme = std::fs::read_to_string(swedish.join("README.txt")).unwrap();
    assert!(readme.starts_with("UTKAST") && readme.contains("sha256sum -c SHA256SUMS"), "{readme}");
    // The check warns before the build that the letter is in English, and the draft lists it.
    assert!(
        built.stderr.contains(
            "warning: Allmänna reklamationsnämnden (ARN) works in Swedish, and the letter in this package is in English."
        ) && built.stderr.contains("Have letter.txt translated into Swedish"),
        "{}",
        built.stderr
    );
    let letter = std::fs::read_to_string(swedish.join("letter.txt")).unwrap();
    assert!(letter.contains("works in Swedish"), "{letter}");
}

#[test]
fn cyrillic_and_persian_text_is_typeset_and_markup_in_names_stays_text() {
    let home = TempHome::new();
    let created = run(
        &home,
        &[
            "case",
            "new",
            "--title",
            "Вывод средств",
            "--casino",
            "Казино \"Вулкан\" #[x] $y$",
            "--amount",
            "1500",
            "--currency",
            "EUR",
            "--category",
            "withdrawal",
            "--withdrawal-requested",
            "2026-10-02",
            "--description",
            "برداشت من پرداخت نشد",
        ],
    );
    let id = created.ok().trim().to_owned();
    let out = home.path().join("intl");
    package(&home, &id, "casino-support", &out, &["--draft"]).ok();
    let letter = pdf_text(&out.join("letter.pdf"));
    assert!(letter.contains("Казино \"Вулкан\" #[x] $y$"), "{letter}");
    assert!(letter.contains("EUR 1,500.00") && letter.contains("2 October 2026"), "{letter}");
    // pdftotext gives right-to-left runs in reading order; the words must be there and joined.
    for word in ["برداشت", "پرداخت"] {
        assert!(letter.contains(word), "the Persian word {word} is missing:\n{letter}");
    }
    tool("qpdf", &["--check", "letter.pdf"], &out);
}

#[test]
fn the_known_form_fields_of_the_mga_are_answered_field_by_field() {
    let home = TempHome::new();
    let id = demo_with_evidence(&home);
    let out = home.path().join("mga");
    package(&home, &id, "mga", &out, &["--draft"]).ok();
    let form = std::fs::read_to_string(out.join("web-form.txt")).unwrap();
    assert!(form.contains("Answers for the complaint form of"), "{form}");
    assert!(form.contains("Your first name:\n[fill in yourself"), "{form}");
    assert!(form.contains("Lucky Lagoon Casino (demo)"), "{form}");
}

#[test]
fn each_recipient_gets_what_its_redaction_profile_allows_and_hidden_areas_are_black() {
    let home = TempHome::new();
    // Every step at the same moment, so the custody log's times stay in order.
    let run = |home: &TempHome, args: &[&str]| home.casefile(&[args, &["--now", NOW]].concat());
    let id = run(&home, &["demo"]).ok().trim().to_owned();
    // A light picture of a card statement, and a scan tagged as an ID document.
    let statement = image::RgbImage::from_fn(200, 100, |x, _| image::Rgb([220, 220, (x % 30) as u8 + 200]));
    let statement_path = home.path().join("card statement.png");
    statement.save(&statement_path).unwrap();
    let passport = image::RgbImage::from_fn(60, 40, |_, _| image::Rgb([180, 200, 240]));
    let passport_path = home.path().join("passport scan.png");
    passport.save(&passport_path).unwrap();
    let note = home.path().join("note.txt");
    std::fs::write(&note, "Paid with card 4111 1111 1111 1111 on 26 July.\n").unwrap();
    let added = run(
        &home,
        &[
            "evidence",
            "add",
            &id,
            statement_path.to_str().unwrap(),
            passport_path.to_str().unwrap(),
            note.to_str().unwrap(),
            "--json",
        ],
    )
    .json();
    let item = |n: usize| added[n]["item"]["id"].as_i64().unwrap().to_string();
    let (statement_id, passport_id) = (item(0), item(1));
    run(&home, &["evidence", "redact", &id, &statement_id, "--box", "10,10,50,20"]).ok();
    run(&home, &["evidence", "edit", &id, &passport_id, "--tag", "id-document"]).ok();

    // The casino gets all three: the statement with its area black, the card number masked.
    let casino = home.path().join("casino");
    package(&home, &id, "casino-support", &casino, &[]).ok();
    let exhibits: Vec<String> = std::fs::read_dir(casino.join("exhibits"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(exhibits.len(), 3, "{exhibits:?}");
    let copy = exhibits.iter().find(|n| n.contains("card_statement")).unwrap();
    let copy = image::open(casino.join("exhibits").join(copy)).unwrap().into_rgb8();
    assert_eq!(copy.get_pixel(20, 20).0, [0, 0, 0], "inside the hidden area");
    assert_eq!(copy.get_pixel(150, 80), statement.get_pixel(150, 80), "outside it");
    let note_copy = exhibits.iter().find(|n| n.contains("note")).unwrap();
    let note_text = std::fs::read_to_string(casino.join("exhibits").join(note_copy)).unwrap();
    assert!(note_text.contains("•••• •••• •••• 1111") && !note_text.contains("4111 1111"), "{note_text}");
    let index = std::fs::read_to_string(casino.join("evidence-index.txt")).unwrap();
    assert!(index.contains("areas hidden") && index.contains("card numbers masked"), "{index}");
    tool("sha256sum", &["-c", "SHA256SUMS"], &casino);

    // A public portal gets no ID document (a draft: the portal waits for the casino's answer) …
    let portal = home.path().join("portal");
    package(&home, &id, "casino-guru", &portal, &["--draft"]).ok();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(portal.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["left_out"][0]["item"].as_i64().unwrap().to_string(), passport_id);
    assert!(
        !std::fs::read_dir(portal.join("exhibits"))
            .unwrap()
            .any(|e| { e.unwrap().file_name().to_string_lossy().contains("passport") }),
        "the portal got the passport scan"
    );
    // … unless the player includes it.
    let with_id = home.path().join("portal with id");
    package(&home, &id, "casino-guru", &with_id, &["--draft", "--include", &passport_id]).ok();
    assert!(
        std::fs::read_dir(with_id.join("exhibits"))
            .unwrap()
            .any(|e| { e.unwrap().file_name().to_string_lossy().contains("passport") })
    );
    let verified = run(&home, &["verify", &id]);
    assert_eq!(verified.status, 0, "{}", verified.stdout);
}

/// One recipient of each kind in the directory, with the letter template knowledge/letters.toml
/// gives its kind and a phrase only that template's opening has.
const ONE_OF_EACH_KIND: &[(&str, &str, &str)] = &[
    ("casino-support", "casino-complaint", "I am writing to make a formal complaint about my account"),
    ("curacao-cga", "regulator-report", "which holds a licence from you"),
    ("ibas", "adr-or-portal", "I would like to ask you to consider my dispute with"),
    ("casino-guru", "adr-or-portal", "I would like to ask you to consider my dispute with"),
    ("visa-chargeback", "payment-dispute", "I am writing about a payment I made to"),
    ("skrill", "payment-dispute", "I am writing about a payment I made to"),
    ("lawyer", "lawyer-brief", "I would like your advice on a dispute with"),
    ("police-fraud", "lawyer-brief", "I would like your advice on a dispute with"),
];

#[test]
fn every_recipient_kind_gets_a_complete_verifiable_package() {
    let home = TempHome::new();
    let id = run(&home, &["demo", "--with-evidence", "--now", NOW]).ok().trim().to_owned();
    let directory = run(&home, &["recipients", "--json"]).json();
    let kind_of = |recipient: &str| {
        directory.as_array().unwrap().iter().find(|r| r["id"] == recipient).unwrap()["kind"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let mut kinds = std::collections::BTreeSet::new();
    let mut stderr_of = std::collections::BTreeMap::new();
    for (recipient, template, opening) in ONE_OF_EACH_KIND {
        kinds.insert(kind_of(recipient));
        let out = home.path().join(recipient);
        // A recipient the ladder is not ready for is refused with exit status 2 and the reason;
        // the draft is built then.
        let mut built = package(&home, &id, recipient, &out, &["--zip"]);
        if built.status == 2 {
            assert!(built.stderr.contains("blocks:") && built.stderr.contains("--draft"), "{}", built.stderr);
            built = package(&home, &id, recipient, &out, &["--zip", "--draft"]);
        }
        assert_eq!(built.status, 0, "{recipient}: {}", built.stderr);
        stderr_of.insert(*recipient, built.stderr.clone());

        tool("sha256sum", &["-c", "--quiet", "SHA256SUMS"], &out);
        let zip = home.path().join(format!("{recipient}.zip"));
        tool("unzip", &["-t", zip.to_str().unwrap()], home.path());
        let manifest: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
        assert_eq!(manifest["template"], *template, "{recipient}");
        let letter = pdf_text(&out.join("letter.pdf"));
        for expected in ["Lucky Lagoon Casino (demo)", "EUR 2,350.00", opening, "E01", "E05"] {
            assert!(letter.contains(expected), "{recipient}: letter.pdf lacks {expected:?}:\n{letter}");
        }
        for pdf in ["letter.pdf", "timeline-and-index.pdf"] {
            let report = tool("qpdf", &["--check", pdf], &out);
            assert!(report.contains("No syntax or stream encoding errors"), "{recipient} {pdf}: {report}");
        }
    }
    let every_kind: std::collections::BTreeSet<String> =
        directory.as_array().unwrap().iter().map(|r| r["kind"].as_str().unwrap().to_owned()).collect();
    assert_eq!(kinds, every_kind, "one recipient of each kind in the directory");
    assert_eq!(every_kind.len(), 7, "{every_kind:?}");

    // The check says, before the build, what each recipient would miss and how to fix it.
    assert!(!stderr_of["casino-support"].contains("warning:"), "{}", stderr_of["casino-support"]);
    let visa = &stderr_of["visa-chargeback"];
    assert!(
        visa.contains("Before sending to Visa chargeback (dispute through your card issuer):")
            && visa.contains("blocks:  Visa chargeback (dispute through your card issuer) is not a step on this case's ladder.")
            && visa.contains("your bank or card statement showing the payment")
            && visa.contains("How to fix it: Add your bank or card statement showing the payment on the Evidence tab and type bank-statement in its Tags field"),
        "{visa}"
    );
    let lawyer = &stderr_of["lawyer"];
    assert!(
        lawyer.contains("warning: A lawyer needs to know who you are")
            && lawyer.contains("type id-document in its Tags field"),
        "{lawyer}"
    );
    // Casino Guru asks for screenshots and other attachments: the demo's locker has both.
    assert!(!stderr_of["casino-guru"].contains("asks for screenshots"), "{}", stderr_of["casino-guru"]);
}
