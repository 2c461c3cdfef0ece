//! The clock rules (`knowledge/clocks.toml`) and the date arithmetic that turns them into dated
//! deadlines. Dates are the player's calendar dates; "today" is passed in.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult};
use crate::knowledge::{self, Confidence};
use crate::text::TextTable;

const FILE: &str = "clocks.toml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    /// The gated rung may not be used before the date.
    Earliest,
    /// The last date to act.
    Deadline,
    /// When the other side (or the player) should have answered.
    ReplyDue,
    /// A prerequisite or routing rule without a date.
    Rule,
}

/// A length of time as the rule states it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Length {
    #[serde(default)]
    pub days: u32,
    #[serde(default)]
    pub business_days: u32,
    #[serde(default)]
    pub weeks: u32,
    #[serde(default)]
    pub months: u32,
    #[serde(default)]
    pub years: u32,
}

impl Length {
    /// Adds this length to `start`. Months and years keep the day of the month, clamped to the
    /// month's end (31 Jan + 1 month = 28 or 29 Feb); business days skip Saturdays and Sundays.
    pub fn after(&self, start: NaiveDate) -> Option<NaiveDate> {
        let months = self.months + 12 * self.years;
        let mut date = start.checked_add_months(Months::new(months))?;
        date = date.checked_add_days(Days::new(u64::from(self.days) + 7 * u64::from(self.weeks)))?;
        let mut remaining = self.business_days;
        while remaining > 0 {
            date = date.succ_opt()?;
            if !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
                remaining -= 1;
            }
        }
        Some(date)
    }

    fn is_empty(&self) -> bool {
        *self == Length::default()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    pub id: String,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockRule {
    pub id: String,
    /// The rule's number in domain-facts §6; 0 for document 002's clocks.
    pub rule: u8,
    pub kind: ClockKind,
    /// The rung kind the clock is shown on.
    pub concerns: String,
    /// Space-separated rung kinds the clock holds back (earliest) or governs (rule).
    #[serde(default)]
    pub gates: String,
    /// Any-of conditions that must hold for the clock to apply (empty: always).
    #[serde(default)]
    pub when: Vec<String>,
    /// A second any-of list that must also hold.
    #[serde(default)]
    pub also_when: Vec<String>,
    pub starts: Option<String>,
    #[serde(default)]
    pub length: Length,
    #[serde(default)]
    pub stops_when: Vec<String>,
    pub source: String,
    pub confidence: Confidence,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockFile {
    #[allow(dead_code)]
    source: String,
    milestone: Vec<Milestone>,
    clock: Vec<ClockRule>,
}

#[derive(Debug, Clone)]
pub struct ClockRules {
    pub milestones: Vec<Milestone>,
    pub clocks: Vec<ClockRule>,
}

fn problem(entry: &str, text: impl Into<String>) -> CoreError {
    CoreError::Knowledge { file: FILE.to_owned(), entry: entry.to_owned(), problem: text.into() }
}

const RUNG_KINDS: &[&str] = &["casino_support", "regulator", "adr", "portal", "payment", "legal"];

impl ClockRules {
    pub fn parse(toml_text: &str, english: &TextTable) -> CoreResult<ClockRules> {
        let file: ClockFile = toml::from_str(toml_text).map_err(|error| {
            problem(
                &error.span().map_or_else(|| "?".to_owned(), |span| format!("byte {}", span.start)),
                error.message(),
            )
        })?;
        let rules = ClockRules { milestones: file.milestone, clocks: file.clock };
        rules.validate(english)?;
        Ok(rules)
    }

    pub fn milestone(&self, id: &str) -> Option<&Milestone> {
        self.milestones.iter().find(|m| m.id == id)
    }

    fn validate(&self, english: &TextTable) -> CoreResult<()> {
        let mut seen = std::collections::BTreeSet::new();
        for milestone in &self.milestones {
            if !english.has(&format!("milestone.{}", milestone.id)) {
                return Err(problem(&milestone.id, "no text in knowledge/text/en/"));
            }
            check_source(&milestone.id, &milestone.source)?;
        }
        for clock in &self.clocks {
            let id = &clock.id;
            if !seen.insert(id.clone()) {
                return Err(problem(id, "listed twice"));
            }
            check_source(id, &clock.source)?;
            if clock.rule > 28 {
                return Err(problem(
                    id,
                    "rule must be a number of domain-facts §6 (1-28), or 0 for document 002",
                ));
            }
            for part in ["title", "explain"] {
                if !english.has(&format!("clock.{id}.{part}")) {
                    return Err(problem(
                        id,
                        format!("no text for 'clock.{id}.{part}' in knowledge/text/en/"),
                    ));
                }
            }
            if !RUNG_KINDS.contains(&clock.concerns.as_str()) {
                return Err(problem(id, format!("concerns '{}' is not a rung kind", clock.concerns)));
            }
            for gate in clock.gates.split_whitespace() {
                if !RUNG_KINDS.contains(&gate) {
                    return Err(problem(id, format!("gates names '{gate}', not a rung kind")));
                }
            }
            for condition in clock.when.iter().chain(&clock.also_when) {
                if !condition_is_well_formed(condition) {
                    return Err(problem(id, format!("'{condition}' is not a condition the ladder knows")));
                }
            }
            for stop in &clock.stops_when {
                let known = stop == "deadlock"
                    || stop.strip_prefix("milestone:").is_some_and(|m| self.milestone(m).is_some());
                if !known {
                    return Err(problem(
                        id,
                        format!("stops_when '{stop}' is not deadlock or a known milestone"),
                    ));
                }
            }
            match (clock.kind, &clock.starts) {
                (ClockKind::Rule, None) if clock.length.is_empty() => {}
                (ClockKind::Rule, _) => return Err(problem(id, "a rule has no start and no length")),
                (_, Some(start)) if !clock.length.is_empty() => {
                    if !self.start_is_well_formed(start) {
                        return Err(problem(
                            id,
                            format!("starts '{start}' is not an event the ladder records"),
                        ));
                    }
                }
                _ => return Err(problem(id, "a dated clock needs `starts` and a `length`")),
            }
            if clock.kind == ClockKind::Earliest && clock.gates.is_empty() {
                return Err(problem(id, "an earliest clock must say which rung it gates"));
            }
        }
        Ok(())
    }

    fn start_is_well_formed(&self, start: &str) -> bool {
        match start {
            "incident" | "deposit" | "first-written-complaint" | "operator-final-response" => true,
            _ => {
                if let Some(kind) =
                    start.strip_prefix("last-sent:").or_else(|| start.strip_prefix("last-reply:"))
                {
                    return RUNG_KINDS.contains(&kind);
                }
                start.strip_prefix("milestone:").is_some_and(|m| self.milestone(m).is_some())
            }
        }
    }
}

fn check_source(entry: &str, source: &str) -> CoreResult<()> {
    if source == "doc-002" || knowledge::is_well_formed_https_url(source) {
        Ok(())
    } else {
        Err(problem(entry, "source must be an https:// address or doc-002"))
    }
}

/// licence:<regulator>, country:<CC>, payment:<method>, category:<id>, reason:<casino-reason option>.
pub fn condition_is_well_formed(condition: &str) -> bool {
    let Some((kind, value)) = condition.split_once(':') else {
        return false;
    };
    match kind {
        "licence" => knowledge::shipped().regulator(value).is_some(),
        "country" => value.len() == 2 && value.chars().all(|c| c.is_ascii_uppercase()),
        "payment" => super::directory::PAYMENT_METHODS.contains(&value),
        "category" => crate::case::ProblemCategory::from_name(value).is_some(),
        "reason" => crate::triage::shipped_rules()
            .questions
            .get("casino-reason")
            .is_some_and(|q| q.options.iter().any(|o| o.id == value)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn eight_weeks_is_56_days() {
        let start = date("2026-03-02");
        assert_eq!(Length { weeks: 8, ..Length::default() }.after(start), Some(date("2026-04-27")));
        assert_eq!((date("2026-04-27") - start).num_days(), 56);
    }

    #[test]
    fn months_clamp_to_the_end_of_short_months() {
        assert_eq!(
            Length { months: 1, ..Length::default() }.after(date("2026-01-31")),
            Some(date("2026-02-28"))
        );
        assert_eq!(
            Length { months: 6, ..Length::default() }.after(date("2026-08-31")),
            Some(date("2027-02-28"))
        );
        assert_eq!(
            Length { years: 1, ..Length::default() }.after(date("2028-02-29")),
            Some(date("2029-02-28"))
        );
    }

    #[test]
    fn business_days_skip_the_weekend() {
        // Friday + 5 business days = next Friday; Thursday + 2 = Monday.
        assert_eq!(
            Length { business_days: 5, ..Length::default() }.after(date("2026-11-20")),
            Some(date("2026-11-27"))
        );
        assert_eq!(
            Length { business_days: 2, ..Length::default() }.after(date("2026-11-19")),
            Some(date("2026-11-23"))
        );
        // Starting on a Saturday: the first business day is Monday.
        assert_eq!(
            Length { business_days: 1, ..Length::default() }.after(date("2026-11-21")),
            Some(date("2026-11-23"))
        );
        assert_eq!(
            Length { business_days: 15, ..Length::default() }.after(date("2026-11-02")),
            Some(date("2026-11-23"))
        );
    }
}
