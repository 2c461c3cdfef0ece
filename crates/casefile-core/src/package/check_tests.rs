//! The completeness check's warnings, each shown when the case lacks what it names and gone once
//! the case has it; the demo case (triage answered) in an in-memory store, locker items as values.

use super::*;
use crate::case::CaseInput;

const NOW: &str = "2026-11-22T12:00:00Z";

fn now() -> DateTime<Utc> {
    NOW.parse().unwrap()
}

/// The demo case and its triage, for the pure `warnings`.
fn demo() -> (Store, Case, TriageView) {
    let mut store = Store::open_in_memory().unwrap();
    let case = crate::demo::create_demo_case(&mut store, now()).unwrap();
    let triage = triage::view(&store, case.id, now(), "en").unwrap();
    (store, case, triage)
}

fn item(kind: EvidenceKind, tags: &[&str]) -> EvidenceItem {
    EvidenceItem {
        id: 1,
        case_id: 1,
        sha256: "00".repeat(32),
        size: 1,
        media_type: "application/octet-stream".into(),
        kind,
        original_name: "file".into(),
        title: "file".into(),
        description: String::new(),
        width: None,
        height: None,
        imported_at: now(),
        parent_id: None,
        email: None,
        captured_at: None,
        has_gps: false,
        chat_messages: None,
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        hidden_areas: 0,
    }
}

fn recipient(id: &str) -> Recipient {
    ladder::shipped_directory().get(id).unwrap_or_else(|| panic!("{id} is in the directory")).clone()
}

/// The warnings' sentences for the demo case and these items.
fn texts(recipient_id: &str, case: &Case, triage: &TriageView, items: &[EvidenceItem]) -> Vec<String> {
    warnings(text::shipped("en"), &recipient(recipient_id), case, triage, items)
        .into_iter()
        .map(|w| format!("{} | {} | {:?}", w.text, w.fix, w.place))
        .collect()
}

fn mentions(warnings: &[String], phrase: &str) -> bool {
    warnings.iter().any(|w| w.contains(phrase))
}

#[test]
fn the_demo_has_every_letter_fact_so_the_casino_gets_no_warning() {
    let (_store, case, triage) = demo();
    assert_eq!(texts("casino-support", &case, &triage, &[]), Vec::<String>::new());
}

#[test]
fn each_document_the_body_asks_for_is_warned_until_the_locker_provides_it() {
    let (_store, case, triage) = demo();
    // The UKGC asks for screenshots, correspondence and copies of documents.
    let empty = texts("ukgc", &case, &triage, &[]);
    assert!(
        mentions(&empty, "The recipient asks for screenshots, and the evidence locker has nothing"),
        "{empty:#?}"
    );
    assert!(mentions(&empty, "asks for your messages with the casino (emails, chat logs)"), "{empty:#?}");
    assert!(mentions(&empty, "asks for copies of your documents"), "{empty:#?}");
    assert!(empty.iter().all(|w| w.ends_with("| Evidence")), "{empty:#?}");
    // An image is a screenshot, an email or a chat is correspondence, a PDF a document copy.
    let some = [item(EvidenceKind::Image, &[]), item(EvidenceKind::Chat, &[])];
    let left = texts("ukgc", &case, &triage, &some);
    assert_eq!(left.len(), 1, "{left:#?}");
    assert!(
        left[0].contains("copies of your documents")
            && left[0].contains("type id-document in its Tags field")
    );
    let all = [item(EvidenceKind::Image, &[]), item(EvidenceKind::Email, &[]), item(EvidenceKind::Pdf, &[])];
    assert_eq!(texts("ukgc", &case, &triage, &all), Vec::<String>::new());
    // A scan tagged as an identity document is a document copy too.
    let scan = [item(EvidenceKind::Image, &["id-document"]), item(EvidenceKind::Email, &[])];
    assert_eq!(texts("ukgc", &case, &triage, &scan), Vec::<String>::new());
}

#[test]
fn a_document_only_a_tag_can_show_says_which_tag_to_give() {
    let (_store, case, triage) = demo();
    // A card chargeback asks for a statement, receipts, correspondence, a refund acknowledgement
    // and the terms; a PDF or an image is not recognised as a statement by itself.
    let files =
        [item(EvidenceKind::Pdf, &[]), item(EvidenceKind::Image, &[]), item(EvidenceKind::Email, &[])];
    let warned = texts("visa-chargeback", &case, &triage, &files);
    for (label, tag) in [
        ("your bank or card statement showing the payment", "type bank-statement in its Tags field"),
        ("receipts for the payment", "type receipts in its Tags field"),
        ("the casino's written confirmation of a refund or payout", "type refund-acknowledgement"),
        ("the casino's terms and conditions as they were at the time", "type terms-snapshot"),
    ] {
        assert!(warned.iter().any(|w| w.contains(label) && w.contains(tag)), "{label}: {warned:#?}");
    }
    assert!(!mentions(&warned, "messages with the casino"), "{warned:#?}");
    // Tagged (in any case of letters), each is provided.
    let tagged = [
        item(EvidenceKind::Pdf, &["Bank-Statement"]),
        item(EvidenceKind::Image, &["receipts", "terms-snapshot"]),
        item(EvidenceKind::Email, &["refund-acknowledgement"]),
    ];
    assert_eq!(texts("visa-chargeback", &case, &triage, &tagged), Vec::<String>::new());
}

#[test]
fn anything_in_the_locker_is_an_other_attachment() {
    let (_store, case, triage) = demo();
    // Casino Guru asks for screenshots and other attachments.
    let empty = texts("casino-guru", &case, &triage, &[]);
    assert!(mentions(&empty, "other files that support your complaint"), "{empty:#?}");
    let note = texts("casino-guru", &case, &triage, &[item(EvidenceKind::Note, &[])]);
    assert!(!mentions(&note, "other files") && mentions(&note, "screenshots"), "{note:#?}");
}

#[test]
fn a_payment_route_needs_the_deposit_by_date_or_by_statement() {
    let (_store, mut case, triage) = demo();
    // Skrill lists no documents; the kind of recipient still needs to find the deposit.
    assert!(case.key_dates.first_deposit.is_some());
    assert_eq!(texts("skrill", &case, &triage, &[]), Vec::<String>::new(), "the demo has the deposit date");
    case.key_dates.first_deposit = None;
    let warned = texts("skrill", &case, &triage, &[]);
    assert_eq!(warned.len(), 1, "{warned:#?}");
    assert!(
        warned[0].starts_with("A card issuer or payment service needs to find your deposit")
            && warned[0].contains("Enter the date of your first deposit on the case form")
            && warned[0].contains("type bank-statement (or receipts) in its Tags field"),
        "{warned:#?}"
    );
    for tag in ["bank-statement", "receipts"] {
        assert_eq!(texts("skrill", &case, &triage, &[item(EvidenceKind::Pdf, &[tag])]), Vec::<String>::new());
    }
    // Not asked of other kinds.
    assert!(!mentions(&texts("casino-support", &case, &triage, &[]), "find your deposit"));
}

#[test]
fn a_lawyer_needs_proof_of_identity_and_the_police_route_is_not_asked_for_it() {
    let (_store, case, triage) = demo();
    let warned = texts("lawyer", &case, &triage, &[item(EvidenceKind::Image, &[])]);
    assert_eq!(warned.len(), 1, "{warned:#?}");
    assert!(
        warned[0].starts_with("A lawyer needs to know who you are")
            && warned[0].contains("type id-document in its Tags field"),
        "{warned:#?}"
    );
    assert_eq!(
        texts("lawyer", &case, &triage, &[item(EvidenceKind::Image, &["id-document"])]),
        Vec::<String>::new()
    );
    assert_eq!(texts("police-fraud", &case, &triage, &[]), Vec::<String>::new());
}

#[test]
fn a_body_that_does_not_work_in_english_is_named_with_its_language_in_words() {
    let (_store, case, triage) = demo();
    let warned = texts("arn", &case, &triage, &[]);
    assert_eq!(
        warned,
        [
            "Allmänna reklamationsnämnden (ARN) works in Swedish, and the letter in this package is in English. | \
          Have letter.txt translated into Swedish before you send it, or ask Allmänna reklamationsnämnden (ARN) \
          first whether it accepts a letter in English. | Outside"
        ]
    );
    // English among several languages, or no languages recorded: nothing to say.
    assert!(recipient("adr-group").languages.len() > 1);
    assert_eq!(texts("adr-group", &case, &triage, &[]), Vec::<String>::new());
    assert_eq!(texts("casino-support", &case, &triage, &[]), Vec::<String>::new());
    // Several languages without English are listed in words.
    let mut bilingual = recipient("arn");
    bilingual.languages = vec!["fr".into(), "de".into(), "sv".into()];
    let warned = warnings(text::shipped("en"), &bilingual, &case, &triage, &[]);
    assert!(warned[0].text.contains("works in French, German or Swedish,"), "{warned:#?}");
}

#[test]
fn missing_letter_facts_say_where_they_are_filled_in() {
    let mut store = Store::open_in_memory().unwrap();
    let input = CaseInput {
        title: "Stuck".into(),
        casino_name: "Lucky Lagoon".into(),
        amount: "100".into(),
        currency: "EUR".into(),
        category: Some(crate::case::ProblemCategory::Withdrawal),
        ..CaseInput::default()
    };
    let case = store.create_case(&input, now()).unwrap();
    let checked = check(&store, case.id, "casino-support", now()).unwrap();
    let find = |phrase: &str| {
        checked
            .warnings
            .iter()
            .find(|w| w.text.contains(phrase))
            .unwrap_or_else(|| panic!("{phrase}: {checked:#?}"))
    };
    let account = find("Missing: Your account id or username.");
    assert_eq!((account.place, account.fix.contains("case form")), (FixPlace::CaseForm, true));
    let reason = find("Missing: The reason the casino gave.");
    assert_eq!((reason.place, reason.fix.contains("Triage tab")), (FixPlace::Triage, true));
    assert!(checked.warnings.iter().all(|w| !w.text.contains("Missing: The casino's name")));
}

#[test]
fn a_body_off_the_ladder_blocks_and_says_what_to_check() {
    let mut store = Store::open_in_memory().unwrap();
    let case = crate::demo::create_demo_case(&mut store, now()).unwrap();
    // The demo paid by bank transfer: no card chargeback.
    let checked = check(&store, case.id, "visa-chargeback", now()).unwrap();
    assert_eq!(checked.blocking.len(), 1, "{checked:#?}");
    assert!(
        checked.blocking[0].starts_with(
            "Visa chargeback (dispute through your card issuer) is not a step on this case's ladder. Check"
        ) && checked.blocking[0].contains("how you deposited"),
        "{checked:#?}"
    );
    // The empty locker of the demo (no evidence added here) provides none of its documents.
    assert_eq!(checked.warnings.len(), 5, "{checked:#?}");
}

#[test]
fn every_document_a_body_asks_for_has_a_rule_a_label_and_a_fix() {
    let english = text::shipped("en");
    let rules = document_rules();
    let labelled: Vec<String> =
        english.keys().filter_map(|k| k.strip_prefix("document.")).map(str::to_owned).collect();
    let asked: Vec<String> =
        ladder::shipped_directory().recipients.iter().flat_map(|r| r.documents.clone()).collect();
    for id in labelled.iter().chain(&asked) {
        let rule = rules.get(id).unwrap_or_else(|| panic!("knowledge/documents.toml has no [{id}]"));
        assert_eq!(rule.tags.first(), Some(id), "[{id}]: its own id is its first tag");
        assert!(english.has(&format!("check.document-fix.{id}")), "no check.document-fix.{id}");
    }
    for (id, rule) in rules {
        assert!(labelled.contains(id), "[{id}] of documents.toml is no document of recipients.toml");
        // A document no kind recognises is provided by its tag only; its fix must name the tag.
        if rule.kinds.is_empty() {
            let fix = english.get(&format!("check.document-fix.{id}"));
            assert!(fix.contains(&format!("type {id} in its Tags field")), "{id}: {fix}");
        }
    }
}

#[test]
fn an_unknown_evidence_kind_in_the_documents_table_is_refused() {
    let broken = DOCUMENTS_TOML.replacen("kinds = [\"image\"]", "kinds = [\"photo\"]", 1);
    let error = toml::from_str::<BTreeMap<String, DocumentRule>>(&broken).unwrap_err().to_string();
    assert!(error.contains("photo"), "{error}");
}
