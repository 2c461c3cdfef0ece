//! The demo case a newcomer can open on first launch: a withdrawal delayed for weeks at a fictional
//! Curaçao-licensed casino, so every screen has something real to show.

use chrono::{DateTime, Days, Utc};

use crate::case::{Case, CaseInput, ProblemCategory};
use crate::error::{CoreError, CoreResult};
use crate::ladder::{self, Channel, StepInput, StepKind};
use crate::storage::Store;
use crate::timeline::{self, EventInput};
use crate::triage::{self, AnswerInput};

const DEMO_OFFERED_KEY: &str = "demo_offered";

/// The demo's form, with dates counted back from `now` so its clocks are always running.
pub fn demo_input(now: DateTime<Utc>) -> CaseInput {
    let today = now.date_naive();
    let days_ago = |days| today.checked_sub_days(Days::new(days)).unwrap_or(today).to_string();
    CaseInput {
        title: "Withdrawal of €2,350 pending for three weeks".into(),
        // Fictional: the .example domain can never belong to a real casino.
        casino_name: "Lucky Lagoon Casino (demo)".into(),
        casino_website: "luckylagoon.example".into(),
        licensee: "Lagoon Digital N.V. (fictional)".into(),
        regulator: "curacao-cga".into(),
        licence_number: "DEMO-0000".into(),
        named_adr: String::new(),
        account_id: "player-48213".into(),
        player_country: "DE".into(),
        player_time_zone: "Europe/Berlin".into(),
        amount: "2350.00".into(),
        currency: "EUR".into(),
        category: Some(ProblemCategory::Withdrawal),
        account_opened: days_ago(120),
        first_deposit: days_ago(118),
        withdrawal_requested: days_ago(21),
        description: "I requested a withdrawal of €2,350 by bank transfer. The casino first said it would \
take 3–5 business days. After a week support asked for a new proof of address, which I sent the same day. \
Since then live chat only says the payment is \"with the finance team\". My account was verified when I \
deposited and nobody has said anything is wrong with it. I want the €2,350 paid to my bank account."
            .into(),
    }
}

/// The demo's completed triage: a pending first withdrawal held up by a repeated document request.
pub(crate) fn demo_answers(now: DateTime<Utc>) -> Vec<(String, AnswerInput)> {
    let days_ago =
        |days| now.date_naive().checked_sub_days(Days::new(days)).unwrap_or(now.date_naive()).to_string();
    let yes_no = |yes: bool| if yes { AnswerInput::Yes } else { AnswerInput::No };
    let mut answers = vec![
        ("has-account", yes_no(true)),
        ("can-log-in", yes_no(true)),
        ("withdrawal-status", AnswerInput::Choice("pending".into())),
        ("bonus-played", yes_no(false)),
        ("previous-deposit", yes_no(true)),
        ("withdrawn-before", yes_no(false)),
        ("casino-communicates", yes_no(true)),
        ("casino-reason", AnswerInput::Choices(vec!["verification".into()])),
        ("fu-account-verified", yes_no(true)),
        ("fu-payment-method", AnswerInput::Choice("bank-transfer".into())),
        ("fu-deposit-method", AnswerInput::Choice("bank-transfer".into())),
        ("fu-all-documents-sent", yes_no(true)),
        ("fu-documents-visible", yes_no(true)),
        ("fu-verification-first-asked", AnswerInput::Date(days_ago(14))),
        ("fu-documents-asked-again", yes_no(true)),
    ];
    for question in [
        "elig-sports-betting",
        "elig-offensive-language",
        "elig-land-based-or-social",
        "elig-third-party",
        "elig-cybercrime",
        "elig-affiliate-deal",
        "elig-provider-complaint",
        "elig-about-complaint-service",
        "elig-banned-from-portal",
    ] {
        answers.push((question, yes_no(false)));
    }
    answers.into_iter().map(|(question, answer)| (question.to_owned(), answer)).collect()
}

/// The demo's ladder so far: a live chat, then a formal complaint by email still waiting for its
/// answer, so the reply window and the Curaçao 4-week wait are running.
fn demo_steps(now: DateTime<Utc>) -> Vec<StepInput> {
    let days_ago =
        |days| now.date_naive().checked_sub_days(Days::new(days)).unwrap_or(now.date_naive()).to_string();
    let sent = |days, channel, reference: &str, summary: &str| StepInput {
        recipient_id: "casino-support".into(),
        kind: StepKind::Sent,
        channel: Some(channel),
        on: days_ago(days),
        reference: reference.into(),
        summary: summary.into(),
        outcome: None,
        milestone: None,
        evidence: Vec::new(),
    };
    vec![
        sent(
            12,
            Channel::LiveChat,
            "chat 55812",
            "Asked why the withdrawal is still pending; told finance is checking.",
        ),
        sent(
            5,
            Channel::Email,
            "TKT-20931",
            "Formal written complaint: asked for payment within 7 days or a final response.",
        ),
    ]
}

/// The player's own timeline entries: what they did around the withdrawal, in their words.
fn demo_events(now: DateTime<Utc>) -> Vec<EventInput> {
    let days_ago =
        |days| now.date_naive().checked_sub_days(Days::new(days)).unwrap_or(now.date_naive()).to_string();
    let event = |days, time: &str, kind: &str, title: &str, note: &str| EventInput {
        date: days_ago(days),
        time: time.into(),
        kind: kind.into(),
        title: title.into(),
        note: note.into(),
        evidence: Vec::new(),
    };
    vec![
        event(
            30,
            "",
            "deposit",
            "Deposited €200 by bank transfer",
            "Reference LL-DEP-7781 on my bank statement.",
        ),
        event(
            21,
            "19:42",
            "withdrawal_request",
            "Asked to withdraw €2,350 to my bank account",
            "The cashier said bank transfers take 3–5 business days.",
        ),
        event(
            14,
            "10:05",
            "documents_sent",
            "Sent a new proof of address by email",
            "Utility bill from September, as support asked. Sent the same day they asked.",
        ),
    ]
}

/// Creates the demo case with its triage answered, and remembers that it was offered.
pub fn create_demo_case(store: &mut Store, now: DateTime<Utc>) -> CoreResult<Case> {
    let valid = demo_input(now).validate(now.date_naive()).map_err(CoreError::Invalid)?;
    let case = store.insert_case(&valid, true, now)?;
    triage::answer_all(store, case.id, demo_answers(now), now, "en")?;
    store.set_evidence_checked(case.id, "documents-sent-receipts", true, now)?;
    for step in demo_steps(now) {
        ladder::record_step(store, case.id, &step, now, "en")?;
    }
    for event in demo_events(now) {
        timeline::add_event(store, case.id, &event, now)?;
    }
    store.set_meta(DEMO_OFFERED_KEY, "created")?;
    Ok(case)
}

/// Whether the first-launch screen should offer the demo: the folder has no cases and the person has
/// not already taken or declined it.
pub fn should_offer_demo(store: &Store) -> CoreResult<bool> {
    Ok(store.count_cases()? == 0 && store.meta(DEMO_OFFERED_KEY)?.is_none())
}

/// Records that the person chose to start without the demo.
pub fn decline_demo(store: &mut Store) -> CoreResult<()> {
    store.set_meta(DEMO_OFFERED_KEY, "declined")
}

/// The demo case as the app and `scripts/launch` offer it: the case, and its evidence in the locker.
pub fn create_demo_case_with_evidence(
    store: &mut Store,
    home: &crate::home::DataHome,
    key: &crate::locker::VaultKey,
    now: DateTime<Utc>,
) -> CoreResult<Case> {
    let case = create_demo_case(store, now)?;
    add_demo_evidence(store, home, key, case.id, now)?;
    Ok(case)
}

/// The demo's locker: two generated cashier screenshots, two emails from the casino and a live-chat
/// transcript, dated around the demo's withdrawal so the timeline and packages have exhibits.
pub fn add_demo_evidence(
    store: &mut Store,
    home: &crate::home::DataHome,
    key: &crate::locker::VaultKey,
    case_id: i64,
    now: DateTime<Utc>,
) -> CoreResult<Vec<crate::locker::ImportOutcome>> {
    let mut outcomes = Vec::new();
    for (name, bytes) in demo_files(now)? {
        outcomes.extend(crate::locker::import_bytes(store, home, key, case_id, &name, &bytes, now)?);
    }
    Ok(outcomes)
}

/// The demo withdrawal's reference at the casino, as its emails, chat and cashier show it.
const WITHDRAWAL_REFERENCE: &str = "W-2291";

/// The demo's files, as bytes: nothing is read from disk.
fn demo_files(now: DateTime<Utc>) -> CoreResult<Vec<(String, Vec<u8>)>> {
    let day = |days: u64| now.checked_sub_days(Days::new(days)).unwrap_or(now);
    let rfc2822 = |days: u64, time: &str| format!("{} {time} +0000", day(days).format("%a, %d %b %Y"));
    let email = |days: u64, time: &str, subject: &str, body: &str| {
        format!(
            "From: Lucky Lagoon Support <support@lucky-lagoon.example>\r\nTo: player-48213@example.org\r\n\
             Subject: {subject}\r\nDate: {}\r\nMessage-ID: <{}-{days}@lucky-lagoon.example>\r\n\
             Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n",
            rfc2822(days, time),
            subject.len()
        )
        .into_bytes()
    };
    let chat_day = day(9).format("%Y-%m-%d");
    let reference = WITHDRAWAL_REFERENCE;
    Ok(vec![
        ("cashier - withdrawal pending.png".into(), cashier_screenshot(now, &CASHIER_PENDING)?),
        ("cashier - withdrawal still pending.png".into(), cashier_screenshot(now, &CASHIER_UNDER_REVIEW)?),
        (
            "withdrawal received.eml".into(),
            email(
                20,
                "09:12:00",
                &format!("Your withdrawal request {reference} has been received"),
                &format!(
                    "Dear player,\r\n\r\nWe have received your withdrawal request {reference} of EUR 2,350.00. \
                     Withdrawals are processed within 3-5 business days.\r\n\r\nLucky Lagoon Support"
                ),
            ),
        ),
        (
            "proof of address request.eml".into(),
            email(
                14,
                "08:40:00",
                &format!("Additional verification needed for {reference}"),
                &format!(
                    "Dear player,\r\n\r\nTo complete your withdrawal {reference} we need a proof of address \
                     dated within the last three months.\r\n\r\nLucky Lagoon Support"
                ),
            ),
        ),
        (
            "live chat.txt".into(),
            format!(
                "[{chat_day} 18:02] You: Hello, my withdrawal {reference} is pending for 12 days.\n\
                 [{chat_day} 18:03] Agent Mia: Thank you for waiting. Your withdrawal is with the finance team.\n\
                 [{chat_day} 18:04] You: When will it be paid? I sent the proof of address a week ago.\n\
                 [{chat_day} 18:06] Agent Mia: I cannot give a date. Finance will contact you by email.\n"
            )
            .into_bytes(),
        ),
    ])
}

/// The cashier page typeset as a browser window; every value comes in as data.
const CASHIER_TYP: &str = include_str!("demo_cashier.typ");

/// One moment the player captured the cashier: when (in their own time) and what it said.
struct CashierMoment {
    days_ago: u64,
    time: &'static str,
    status: &'static str,
    /// The status colour: "amber" or "red".
    tone: &'static str,
    notice: &'static str,
}

/// The day after the request, when the received email promised 3-5 business days.
const CASHIER_PENDING: CashierMoment = CashierMoment {
    days_ago: 20,
    time: "10:31",
    status: "Pending",
    tone: "amber",
    notice: "Your withdrawal request has been received. Withdrawals are processed within 3–5 business days.",
};

/// Right after the live chat, twelve days after the request and a week after the proof of address.
const CASHIER_UNDER_REVIEW: CashierMoment = CashierMoment {
    days_ago: 9,
    time: "18:09",
    status: "Pending – documents under review",
    tone: "red",
    notice: "Your withdrawal is on hold while our finance team reviews your documents. \
             We will contact you by email.",
};

/// A screenshot of the demo casino's cashier at `moment`, with the demo case's own values (casino,
/// account, amount, request date) so it agrees with the form, the emails and the timeline. Typeset
/// by typst and rasterised at one pixel per point: 1280 × 800, the same bytes for the same `now`.
/// The task bar says it is a generated demo, so nobody takes it for real evidence.
fn cashier_screenshot(now: DateTime<Utc>, moment: &CashierMoment) -> CoreResult<Vec<u8>> {
    let input = demo_input(now);
    let date = |days: u64| now.date_naive().checked_sub_days(Days::new(days)).unwrap_or(now.date_naive());
    let amount = crate::money::understand(&input.amount, &input.currency)?.display;
    let deposit = crate::money::understand("200.00", &input.currency)?.display;
    let shown = |days: u64| date(days).format("%-d %b %Y").to_string();
    let data = serde_json::json!({
        "tab_title": format!("Cashier – {}", input.casino_name),
        "url": format!("https://{}/cashier/withdrawals", input.casino_website),
        "casino": input.casino_name,
        "account": input.account_id,
        "withdrawal": {
            "reference": WITHDRAWAL_REFERENCE,
            "amount": amount,
            "method": "Bank transfer",
            // The player's own timeline entry: asked at 19:42, 21 days ago.
            "requested": format!("{}, 19:42", shown(21)),
            "processing": "3–5 business days",
        },
        "status": { "label": moment.status, "tone": moment.tone, "notice": moment.notice },
        "transactions": [
            { "date": shown(21), "kind": "Withdrawal", "reference": WITHDRAWAL_REFERENCE,
              "amount": format!("− {amount}"), "status": moment.status.split(" – ").next(), "tone": moment.tone },
            { "date": shown(30), "kind": "Deposit", "reference": "LL-DEP-7781",
              "amount": format!("+ {deposit}"), "status": "Completed", "tone": "green" },
        ],
        "clock": { "time": moment.time, "date": date(moment.days_ago).format("%d.%m.%Y").to_string() },
        "footer": "Demo screenshot generated by Casefile · not real evidence",
    });
    let document = crate::package::pdf::compile(CASHIER_TYP, &data, now)?;
    let page = document.pages().first().expect("the cashier template makes one page");
    let options =
        typst_render::RenderOptions { pixel_per_pt: typst::utils::Scalar::new(1.0), render_bleed: false };
    let pixmap = typst_render::render(page, &options);
    // The page is opaque, so its premultiplied RGBA is plain RGBA.
    let (width, height) = (pixmap.width(), pixmap.height());
    let image =
        image::RgbaImage::from_raw(width, height, pixmap.take()).expect("a pixmap's buffer has its size");
    // Fast deflate with the Sub filter: a quarter of the default's time in debug builds, for a file
    // about half again as large (~0.2 MB).
    let mut png = Vec::new();
    let encoder = image::codecs::png::PngEncoder::new_with_quality(
        &mut png,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Sub,
    );
    image.write_with_encoder(encoder).expect("an in-memory PNG always encodes");
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_apps_demo_has_screenshots_emails_and_a_chat_on_its_timeline() {
        let dir = tempfile::tempdir().unwrap();
        let home = crate::home::DataHome::at(dir.path());
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap();
        let key = crate::locker::vault::create_with_passphrase(&home, "correct horse battery", now).unwrap();
        let mut store = Store::open_home(&home, &key.database_key()).unwrap();
        let case = create_demo_case(&mut store, now).unwrap();
        let outcomes = add_demo_evidence(&mut store, &home, &key, case.id, now).unwrap();
        assert!(
            outcomes.iter().all(|o| matches!(o, crate::locker::ImportOutcome::Added { .. })),
            "{outcomes:?}"
        );
        let items = store.evidence_items(case.id).unwrap();
        let kinds: Vec<_> = items.iter().map(|i| i.kind.as_str()).collect();
        assert_eq!(kinds, ["image", "image", "email", "email", "chat"]);
        assert_eq!(
            items[2].email.as_ref().unwrap().subject.as_deref(),
            Some("Your withdrawal request W-2291 has been received")
        );
        assert_eq!(items[4].chat_messages, Some(4));
        let timeline = timeline::case_timeline(&store, case.id, now, "en").unwrap();
        let from_locker = timeline.events.iter().filter(|e| !e.evidence.is_empty()).count();
        assert!(from_locker >= 3, "the emails and the chat are dated events: {from_locker}");
        assert!(crate::locker::verify(&store, &home, &key, case.id).unwrap().problems.is_empty());
    }

    /// The screenshot's pixels, and how many distinct colours they use.
    fn decoded(png: &[u8]) -> (image::RgbImage, usize) {
        let image = image::load_from_memory_with_format(png, image::ImageFormat::Png).unwrap().to_rgb8();
        let colours: std::collections::HashSet<[u8; 3]> = image.pixels().map(|p| p.0).collect();
        let count = colours.len();
        (image, count)
    }

    #[test]
    fn the_cashier_screenshots_are_typeset_pages_in_the_status_colour_and_reproducible() {
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap();
        let started = std::time::Instant::now();
        let pending = cashier_screenshot(now, &CASHIER_PENDING).unwrap();
        let review = cashier_screenshot(now, &CASHIER_UNDER_REVIEW).unwrap();
        eprintln!("two screenshots in {:?}: {} and {} bytes", started.elapsed(), pending.len(), review.len());
        let amber = image::Rgb([0xf0, 0xad, 0x4e]);
        let red = image::Rgb([0xc9, 0x30, 0x2c]);
        for (png, status, other) in [(&pending, amber, red), (&review, red, amber)] {
            let (image, colours) = decoded(png);
            assert_eq!(image.dimensions(), (1280, 800));
            // Anti-aliased text gives hundreds of shades; flat blocks alone give a handful.
            assert!(colours > 200, "{colours} colours: is there any text?");
            // Between the casino's header and the task bar everything dark is lettering.
            let dark = image
                .enumerate_pixels()
                .filter(|(x, y, p)| *x >= 284 && (150..760).contains(y) && p.0.iter().all(|&c| c < 90))
                .count();
            assert!(dark > 5_000, "{dark} dark pixels in the cashier: is the withdrawal written out?");
            assert!(image.pixels().any(|p| *p == status), "the status badge's colour");
            assert!(!image.pixels().any(|p| *p == other), "only this moment's status colour");
        }
        assert_ne!(pending, review);
        assert_eq!(pending, cashier_screenshot(now, &CASHIER_PENDING).unwrap(), "same clock, same bytes");
        let next_day = now.checked_add_days(Days::new(1)).unwrap();
        assert_ne!(
            pending,
            cashier_screenshot(next_day, &CASHIER_PENDING).unwrap(),
            "its dates follow the clock"
        );
    }

    #[test]
    fn demo_is_offered_once_and_is_valid() {
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap();
        let mut store = Store::open_in_memory().unwrap();
        assert!(should_offer_demo(&store).unwrap());
        let case = create_demo_case(&mut store, now).unwrap();
        assert!(case.is_demo);
        assert_eq!(case.casino.regulator.as_deref(), Some("curacao-cga"));
        assert_eq!(case.disputed.display(), "EUR 2,350.00");
        assert_eq!(case.key_dates.withdrawal_requested.unwrap().to_string(), "2026-10-31");
        let timeline = timeline::case_timeline(&store, case.id, now, "en").unwrap();
        let mine: Vec<&str> =
            timeline.events.iter().filter(|e| e.entry_id.is_some()).map(|e| e.title.as_str()).collect();
        assert_eq!(
            mine,
            [
                "Deposited €200 by bank transfer",
                "Asked to withdraw €2,350 to my bank account",
                "Sent a new proof of address by email"
            ]
        );
        store.delete_case(case.id).unwrap();
        assert!(!should_offer_demo(&store).unwrap(), "not offered again after it was taken");
    }

    #[test]
    fn declining_hides_the_offer() {
        let mut store = Store::open_in_memory().unwrap();
        decline_demo(&mut store).unwrap();
        assert!(!should_offer_demo(&store).unwrap());
    }
}
