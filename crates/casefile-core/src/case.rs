//! A case: one dispute with one casino. `CaseInput` is what a person types (all text, as typed);
//! validation turns it into a `ValidCase` or a list of every field problem, so nothing invalid is
//! ever written.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{FieldError, FieldProblem};
use crate::knowledge;
use crate::money::{self, Money};

/// The four kinds of problem of the source process (document 002, step 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCategory {
    Deposit,
    Withdrawal,
    Account,
    Software,
}

impl ProblemCategory {
    pub const ALL: [ProblemCategory; 4] = [
        ProblemCategory::Deposit,
        ProblemCategory::Withdrawal,
        ProblemCategory::Account,
        ProblemCategory::Software,
    ];

    /// The stable name used in the database, the CLI and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemCategory::Deposit => "deposit",
            ProblemCategory::Withdrawal => "withdrawal",
            ProblemCategory::Account => "account",
            ProblemCategory::Software => "software",
        }
    }

    pub fn from_name(name: &str) -> Option<ProblemCategory> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// Every field of the case form (and of the timeline's event form, `Event*`); errors name one of
/// these so the UI can place the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CaseField {
    Title,
    CasinoName,
    CasinoWebsite,
    Licensee,
    Regulator,
    LicenceNumber,
    NamedAdr,
    AccountId,
    PlayerCountry,
    PlayerTimeZone,
    Amount,
    Currency,
    Category,
    AccountOpened,
    FirstDeposit,
    WithdrawalRequested,
    Description,
    EventDate,
    EventTime,
    EventKind,
    EventTitle,
    EventNote,
    EventEvidence,
}

/// The case form as typed. Empty strings mean "not given".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct CaseInput {
    pub title: String,
    pub casino_name: String,
    pub casino_website: String,
    pub licensee: String,
    /// An id from `knowledge/regulators.toml`, or empty when the licence is not known.
    pub regulator: String,
    pub licence_number: String,
    pub named_adr: String,
    pub account_id: String,
    /// ISO 3166-1 alpha-2, e.g. "DE".
    pub player_country: String,
    /// IANA zone, e.g. "Europe/Berlin".
    pub player_time_zone: String,
    pub amount: String,
    pub currency: String,
    pub category: Option<ProblemCategory>,
    /// Dates as YYYY-MM-DD.
    pub account_opened: String,
    pub first_deposit: String,
    pub withdrawal_requested: String,
    pub description: String,
}

/// The casino as the case records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Casino {
    pub name: String,
    pub website: Option<String>,
    pub licensee: Option<String>,
    /// Regulator id from `knowledge/regulators.toml`.
    pub regulator: Option<String>,
    pub licence_number: Option<String>,
    /// The ADR body the casino's terms name, as the player found it written.
    pub named_adr: Option<String>,
}

/// The dates that start the clocks of later stages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct KeyDates {
    pub account_opened: Option<NaiveDate>,
    pub first_deposit: Option<NaiveDate>,
    pub withdrawal_requested: Option<NaiveDate>,
}

/// The outcome label of a case the player closed because triage's ideas solved it.
pub const SELF_HELP_LABEL: &str = "resolved-without-casino";

/// How a case ended: an outcome class and label of `knowledge/outcomes.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CaseClosure {
    pub closed_at: DateTime<Utc>,
    /// resolved, rejected or unresolved.
    pub outcome: String,
    pub label: String,
    /// The label in words.
    pub label_text: String,
    pub note: String,
    /// What the player got back, in the case's currency.
    pub amount_recovered: Option<Money>,
}

/// A stored case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Case {
    pub id: i64,
    pub title: String,
    pub casino: Casino,
    pub account_id: Option<String>,
    pub player_country: Option<String>,
    pub player_time_zone: Option<String>,
    pub disputed: Money,
    pub category: ProblemCategory,
    pub key_dates: KeyDates,
    pub description: String,
    pub is_demo: bool,
    pub archived_at: Option<DateTime<Utc>>,
    pub closure: Option<CaseClosure>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One row of the home screen's case list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CaseSummary {
    pub id: i64,
    pub title: String,
    pub casino_name: String,
    pub disputed: Money,
    pub category: ProblemCategory,
    /// The ladder rung the case is on; `None` until the escalation ladder exists.
    pub stage: Option<String>,
    /// The next deadline; `None` until the ladder's clocks exist.
    pub next_action_due: Option<NaiveDate>,
    pub is_demo: bool,
    pub archived: bool,
    /// The outcome class when the case is closed.
    pub outcome: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// A case that passed validation, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCase {
    pub title: String,
    pub casino: Casino,
    pub account_id: Option<String>,
    pub player_country: Option<String>,
    pub player_time_zone: Option<String>,
    pub disputed: Money,
    pub category: ProblemCategory,
    pub key_dates: KeyDates,
    pub description: String,
}

const SHORT_TEXT_LIMIT: usize = 200;
const DESCRIPTION_LIMIT: usize = 20_000;

impl CaseInput {
    /// Checks every field and returns all problems at once, in form order. `today` bounds the dates.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidCase, Vec<FieldError>> {
        let mut problems = Vec::new();
        let mut keep = |result: Result<Option<String>, FieldError>| match result {
            Ok(value) => value,
            Err(problem) => {
                problems.push(problem);
                None
            }
        };
        let title = keep(required_text(
            CaseField::Title,
            "Title",
            &self.title,
            "a short name for this case, e.g. \"Withdrawal stuck since May\"",
        ));
        let casino_name = keep(required_text(
            CaseField::CasinoName,
            "Casino",
            &self.casino_name,
            "the casino's name as its website shows it",
        ));
        let website = keep(website(&self.casino_website));
        let licensee = keep(optional_text(CaseField::Licensee, "Licensee company", &self.licensee));
        let regulator = keep(regulator(&self.regulator));
        let licence_number =
            keep(optional_text(CaseField::LicenceNumber, "Licence number", &self.licence_number));
        let named_adr = keep(optional_text(CaseField::NamedAdr, "ADR body", &self.named_adr));
        let account_id = keep(optional_text(CaseField::AccountId, "Account id", &self.account_id));
        let country = keep(country(&self.player_country));
        let time_zone = keep(time_zone(&self.player_time_zone));

        let disputed = match money::parse_currency(&self.currency) {
            Ok(currency) => match money::parse_amount(&self.amount, currency) {
                Ok(understood) => Some(understood.money),
                Err(problem) => {
                    problems.push(problem);
                    None
                }
            },
            Err(problem) => {
                // The amount cannot be read without knowing its currency's decimals.
                problems.push(problem);
                None
            }
        };

        if self.category.is_none() {
            problems.push(FieldError::new(
                CaseField::Category,
                FieldProblem::Required,
                "Problem: choose deposit, withdrawal, account or software.",
            ));
        }

        let mut date = |field, label, text: &str| match parse_date(field, label, text, today) {
            Ok(value) => value,
            Err(problem) => {
                problems.push(problem);
                None
            }
        };
        let key_dates = KeyDates {
            account_opened: date(CaseField::AccountOpened, "Account opened", &self.account_opened),
            first_deposit: date(CaseField::FirstDeposit, "First deposit", &self.first_deposit),
            withdrawal_requested: date(
                CaseField::WithdrawalRequested,
                "Withdrawal requested",
                &self.withdrawal_requested,
            ),
        };
        problems.extend(date_order_problems(&key_dates));

        let description = self.description.trim().to_owned();
        if description.chars().count() > DESCRIPTION_LIMIT {
            problems.push(
                FieldError::new(
                    CaseField::Description,
                    FieldProblem::TooLong,
                    format!("Description: keep it under {DESCRIPTION_LIMIT} characters; put long documents in the evidence locker."),
                )
                .with("max", DESCRIPTION_LIMIT.to_string()),
            );
        }

        // Report in form order, whatever order the checks ran in.
        problems.sort_by_key(|p| p.field as u8);
        match (problems.is_empty(), title, casino_name, disputed, self.category) {
            (true, Some(title), Some(name), Some(disputed), Some(category)) => Ok(ValidCase {
                title,
                casino: Casino { name, website, licensee, regulator, licence_number, named_adr },
                account_id,
                player_country: country,
                player_time_zone: time_zone,
                disputed,
                category,
                key_dates,
                description,
            }),
            _ => Err(problems),
        }
    }

    /// The last date that is not in the future for this player: today in their time zone, or, when
    /// they gave none, today anywhere on Earth (UTC+14), so nobody's "today" is refused.
    pub fn latest_allowed_date(&self, now: DateTime<Utc>) -> NaiveDate {
        match self.player_time_zone.trim().parse::<chrono_tz::Tz>() {
            Ok(zone) => now.with_timezone(&zone).date_naive(),
            Err(_) => (now + chrono::Duration::hours(14)).date_naive(),
        }
    }

    /// The form filled with a stored case, for editing.
    pub fn from_case(case: &Case) -> CaseInput {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        let date = |value: Option<NaiveDate>| value.map(|d| d.to_string()).unwrap_or_default();
        CaseInput {
            title: case.title.clone(),
            casino_name: case.casino.name.clone(),
            casino_website: text(&case.casino.website),
            licensee: text(&case.casino.licensee),
            regulator: text(&case.casino.regulator),
            licence_number: text(&case.casino.licence_number),
            named_adr: text(&case.casino.named_adr),
            account_id: text(&case.account_id),
            player_country: text(&case.player_country),
            player_time_zone: text(&case.player_time_zone),
            amount: case.disputed.plain(),
            currency: case.disputed.currency.clone(),
            category: Some(case.category),
            account_opened: date(case.key_dates.account_opened),
            first_deposit: date(case.key_dates.first_deposit),
            withdrawal_requested: date(case.key_dates.withdrawal_requested),
            description: case.description.clone(),
        }
    }
}

fn required_text(
    field: CaseField,
    label: &str,
    text: &str,
    hint: &str,
) -> Result<Option<String>, FieldError> {
    match optional_text(field, label, text)? {
        Some(value) => Ok(Some(value)),
        None => Err(FieldError::new(
            field,
            FieldProblem::Required,
            format!("{label}: this is required — type {hint}."),
        )),
    }
}

fn optional_text(field: CaseField, label: &str, text: &str) -> Result<Option<String>, FieldError> {
    let value = text.trim();
    if value.chars().count() > SHORT_TEXT_LIMIT {
        return Err(FieldError::new(
            field,
            FieldProblem::TooLong,
            format!("{label}: keep it under {SHORT_TEXT_LIMIT} characters."),
        )
        .with("max", SHORT_TEXT_LIMIT.to_string()));
    }
    Ok((!value.is_empty()).then(|| value.to_owned()))
}

fn website(text: &str) -> Result<Option<String>, FieldError> {
    let Some(value) = optional_text(CaseField::CasinoWebsite, "Website", text)? else {
        return Ok(None);
    };
    let host = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .unwrap_or(&value)
        .split('/')
        .next()
        .unwrap_or("");
    let host_ok = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if host_ok && !value.chars().any(char::is_whitespace) {
        Ok(Some(value))
    } else {
        Err(FieldError::new(
            CaseField::CasinoWebsite,
            FieldProblem::WebsiteUnreadable,
            format!("Website: \"{value}\" does not look like a web address. Type it as it appears in the browser, e.g. casino.example.com."),
        )
        .with("input", value))
    }
}

fn regulator(text: &str) -> Result<Option<String>, FieldError> {
    let id = text.trim();
    if id.is_empty() {
        return Ok(None);
    }
    match knowledge::shipped().regulator(id) {
        Some(regulator) => Ok(Some(regulator.id.clone())),
        None => Err(FieldError::new(
            CaseField::Regulator,
            FieldProblem::RegulatorUnknown,
            format!("Licence: \"{id}\" is not a regulator Casefile knows. Choose one from the list, or leave it empty if you do not know."),
        )
        .with("input", id)),
    }
}

fn country(text: &str) -> Result<Option<String>, FieldError> {
    let code = text.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Ok(None);
    }
    if code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(Some(code))
    } else {
        Err(FieldError::new(
            CaseField::PlayerCountry,
            FieldProblem::CountryUnreadable,
            format!("Country: use the two-letter country code, e.g. DE for Germany or GB for the United Kingdom (got \"{}\").", text.trim()),
        )
        .with("input", text.trim()))
    }
}

fn time_zone(text: &str) -> Result<Option<String>, FieldError> {
    let name = text.trim();
    if name.is_empty() {
        return Ok(None);
    }
    match name.parse::<chrono_tz::Tz>() {
        Ok(zone) => Ok(Some(zone.name().to_owned())),
        Err(_) => Err(FieldError::new(
            CaseField::PlayerTimeZone,
            FieldProblem::TimeZoneUnknown,
            format!("Time zone: \"{name}\" is not a time zone name. Use a name like Europe/Berlin or America/Toronto."),
        )
        .with("input", name)),
    }
}

fn parse_date(
    field: CaseField,
    label: &str,
    text: &str,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, FieldError> {
    let value = text.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let date = NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| {
        FieldError::new(
            field,
            FieldProblem::DateUnreadable,
            format!("{label}: \"{value}\" is not a date. Write it as year-month-day, e.g. 2026-05-31."),
        )
        .with("input", value)
    })?;
    if date > today {
        return Err(FieldError::new(
            field,
            FieldProblem::DateInFuture,
            format!("{label}: {date} is in the future. Check the year and month."),
        )
        .with("input", value));
    }
    Ok(Some(date))
}

fn date_order_problems(dates: &KeyDates) -> Vec<FieldError> {
    let Some(opened) = dates.account_opened else {
        return Vec::new();
    };
    [
        (CaseField::FirstDeposit, "First deposit", dates.first_deposit),
        (CaseField::WithdrawalRequested, "Withdrawal requested", dates.withdrawal_requested),
    ]
    .into_iter()
    .filter_map(|(field, label, date)| {
        let date = date.filter(|d| *d < opened)?;
        Some(
            FieldError::new(
                field,
                FieldProblem::DateBeforeAccountOpened,
                format!("{label}: {date} is before the account was opened ({opened}). Check both dates."),
            )
            .with("opened", opened.to_string()),
        )
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    pub(crate) fn minimal_input() -> CaseInput {
        CaseInput {
            title: "Withdrawal stuck".into(),
            casino_name: "Lucky Lagoon".into(),
            amount: "2,350.00".into(),
            currency: "eur".into(),
            category: Some(ProblemCategory::Withdrawal),
            ..CaseInput::default()
        }
    }

    fn problems(input: &CaseInput) -> Vec<(CaseField, FieldProblem)> {
        input.validate(today()).unwrap_err().into_iter().map(|p| (p.field, p.problem)).collect()
    }

    #[test]
    fn a_minimal_case_is_accepted_and_normalised() {
        let valid = minimal_input().validate(today()).unwrap();
        assert_eq!(valid.disputed, Money { minor_units: 235_000, currency: "EUR".into() });
        assert_eq!(valid.casino.website, None);
        assert_eq!(valid.key_dates, KeyDates::default());
    }

    #[test]
    fn every_problem_is_reported_at_once_in_form_order() {
        let input = CaseInput { title: "  ".into(), amount: "12x".into(), ..minimal_input() };
        assert_eq!(
            problems(&input),
            vec![
                (CaseField::Title, FieldProblem::Required),
                (CaseField::Amount, FieldProblem::AmountUnreadable)
            ]
        );
    }

    #[test]
    fn optional_fields_are_checked_when_given() {
        let input = CaseInput {
            casino_website: "not a site".into(),
            regulator: "moon-gaming".into(),
            player_country: "Germany".into(),
            player_time_zone: "Berlin".into(),
            currency: "XYZ".into(),
            ..minimal_input()
        };
        assert_eq!(
            problems(&input),
            vec![
                (CaseField::CasinoWebsite, FieldProblem::WebsiteUnreadable),
                (CaseField::Regulator, FieldProblem::RegulatorUnknown),
                (CaseField::PlayerCountry, FieldProblem::CountryUnreadable),
                (CaseField::PlayerTimeZone, FieldProblem::TimeZoneUnknown),
                (CaseField::Currency, FieldProblem::CurrencyUnknown),
            ]
        );
    }

    #[test]
    fn dates_must_be_real_past_and_in_order() {
        let input = CaseInput {
            account_opened: "2026-06-01".into(),
            first_deposit: "2026-05-30".into(),
            withdrawal_requested: "2026-13-01".into(),
            ..minimal_input()
        };
        assert_eq!(
            problems(&input),
            vec![
                (CaseField::FirstDeposit, FieldProblem::DateBeforeAccountOpened),
                (CaseField::WithdrawalRequested, FieldProblem::DateUnreadable),
            ]
        );
        let future = CaseInput { withdrawal_requested: "2026-11-22".into(), ..minimal_input() };
        assert_eq!(problems(&future), vec![(CaseField::WithdrawalRequested, FieldProblem::DateInFuture)]);
        let today_is_fine = CaseInput { withdrawal_requested: "2026-11-21".into(), ..minimal_input() };
        assert!(today_is_fine.validate(today()).is_ok());
    }

    #[test]
    fn the_latest_allowed_date_follows_the_players_zone() {
        use chrono::TimeZone;
        let late_utc = Utc.with_ymd_and_hms(2026, 11, 21, 23, 30, 0).unwrap();
        let in_zone = |zone: &str| CaseInput { player_time_zone: zone.into(), ..minimal_input() };
        assert_eq!(in_zone("Europe/Berlin").latest_allowed_date(late_utc).to_string(), "2026-11-22");
        assert_eq!(in_zone("America/Toronto").latest_allowed_date(late_utc).to_string(), "2026-11-21");
        assert_eq!(
            in_zone("").latest_allowed_date(late_utc).to_string(),
            "2026-11-22",
            "UTC+14 without a zone"
        );
    }

    #[test]
    fn missing_category_is_named() {
        let input = CaseInput { category: None, ..minimal_input() };
        assert_eq!(problems(&input), vec![(CaseField::Category, FieldProblem::Required)]);
    }

    #[test]
    fn over_long_text_is_refused() {
        let input = CaseInput { title: "x".repeat(201), ..minimal_input() };
        assert_eq!(problems(&input), vec![(CaseField::Title, FieldProblem::TooLong)]);
    }
}
