//! The demo case a newcomer can open on first launch: a withdrawal delayed for weeks at a fictional
//! Curaçao-licensed casino, so every screen has something real to show.

use chrono::{DateTime, Days, Utc};

use crate::case::{Case, CaseInput, ProblemCategory};
use crate::error::{CoreError, CoreResult};
use crate::storage::Store;

const DEMO_OFFERED_KEY: &str = "demo_offered";

/// The demo's form, with dates counted back from `now` so its clocks are always running.
pub fn demo_input(now: DateTime<Utc>) -> CaseInput {
    let today = now.date_naive();
    let days_ago = |days| {
        today
            .checked_sub_days(Days::new(days))
            .unwrap_or(today)
            .to_string()
    };
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

/// Creates the demo case and remembers that it was offered.
pub fn create_demo_case(store: &mut Store, now: DateTime<Utc>) -> CoreResult<Case> {
    let valid = demo_input(now)
        .validate(now.date_naive())
        .map_err(CoreError::Invalid)?;
    let case = store.insert_case(&valid, true, now)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn demo_is_offered_once_and_is_valid() {
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap();
        let mut store = Store::open_in_memory().unwrap();
        assert!(should_offer_demo(&store).unwrap());
        let case = create_demo_case(&mut store, now).unwrap();
        assert!(case.is_demo);
        assert_eq!(case.casino.regulator.as_deref(), Some("curacao-cga"));
        assert_eq!(case.disputed.display(), "EUR 2,350.00");
        assert_eq!(
            case.key_dates.withdrawal_requested.unwrap().to_string(),
            "2026-10-31"
        );
        store.delete_case(case.id).unwrap();
        assert!(
            !should_offer_demo(&store).unwrap(),
            "not offered again after it was taken"
        );
    }

    #[test]
    fn declining_hides_the_offer() {
        let mut store = Store::open_in_memory().unwrap();
        decline_demo(&mut store).unwrap();
        assert!(!should_offer_demo(&store).unwrap());
    }
}
