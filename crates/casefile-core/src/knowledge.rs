//! The domain data in `knowledge/`, embedded at build time and checked before use, so that a fact
//! lives in one reviewable file with its source instead of in code.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult};

const CURRENCIES_TOML: &str = include_str!("../../../knowledge/currencies.toml");
const REGULATORS_TOML: &str = include_str!("../../../knowledge/regulators.toml");
const OUTCOMES_TOML: &str = include_str!("../../../knowledge/outcomes.toml");

/// An ISO 4217 currency and how many digits its minor unit has.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
pub struct Currency {
    pub code: String,
    pub name: String,
    pub minor_digits: u8,
}

/// Whether a body itself settles an individual payout dispute; `Unknown` where no source says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum YesNoUnknown {
    Yes,
    No,
    Unknown,
}

/// How strongly the source supports the entry (the marks of `domain-facts.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, TS)]
pub enum Confidence {
    H,
    M,
    L,
}

/// A licensing body a casino's licence can name.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
pub struct Regulator {
    pub id: String,
    pub name: String,
    pub jurisdiction: String,
    pub decides_disputes: YesNoUnknown,
    pub source: String,
    pub confidence: Confidence,
}

/// An outcome class of document 002 step 6 and its labels.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
pub struct OutcomeClass {
    pub id: String,
    pub labels: Vec<String>,
}

#[derive(Deserialize)]
struct OutcomeFile {
    #[serde(rename = "outcome")]
    outcomes: Vec<OutcomeClass>,
}

#[derive(Deserialize)]
struct CurrencyFile {
    #[serde(rename = "currency")]
    currencies: Vec<Currency>,
}

#[derive(Deserialize)]
struct RegulatorFile {
    #[serde(rename = "regulator")]
    regulators: Vec<Regulator>,
}

/// Everything in `knowledge/`, parsed and validated.
#[derive(Debug, Clone)]
pub struct Knowledge {
    pub currencies: Vec<Currency>,
    pub regulators: Vec<Regulator>,
    pub outcomes: Vec<OutcomeClass>,
}

impl Knowledge {
    /// Parses and validates the given file texts; the error names the file and the entry.
    pub fn parse(currencies_toml: &str, regulators_toml: &str, outcomes_toml: &str) -> CoreResult<Knowledge> {
        let currencies: CurrencyFile = parse_toml("currencies.toml", currencies_toml)?;
        let regulators: RegulatorFile = parse_toml("regulators.toml", regulators_toml)?;
        let outcomes: OutcomeFile = parse_toml("outcomes.toml", outcomes_toml)?;
        let knowledge = Knowledge {
            currencies: currencies.currencies,
            regulators: regulators.regulators,
            outcomes: outcomes.outcomes,
        };
        knowledge.validate()?;
        Ok(knowledge)
    }

    fn validate(&self) -> CoreResult<()> {
        let mut seen = std::collections::BTreeSet::new();
        for currency in &self.currencies {
            let valid_code =
                currency.code.len() == 3 && currency.code.chars().all(|c| c.is_ascii_uppercase());
            if !valid_code {
                return Err(knowledge_error(
                    "currencies.toml",
                    &currency.code,
                    "code must be three capital letters",
                ));
            }
            if currency.minor_digits > 4 {
                return Err(knowledge_error(
                    "currencies.toml",
                    &currency.code,
                    "minor_digits must be 0 to 4",
                ));
            }
            if !seen.insert(currency.code.clone()) {
                return Err(knowledge_error("currencies.toml", &currency.code, "listed twice"));
            }
        }
        seen.clear();
        for regulator in &self.regulators {
            let valid_id = !regulator.id.is_empty()
                && regulator.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !valid_id {
                return Err(knowledge_error(
                    "regulators.toml",
                    &regulator.id,
                    "id must be lowercase letters, digits and '-'",
                ));
            }
            if !seen.insert(regulator.id.clone()) {
                return Err(knowledge_error("regulators.toml", &regulator.id, "listed twice"));
            }
            if !is_well_formed_https_url(&regulator.source) {
                return Err(knowledge_error(
                    "regulators.toml",
                    &regulator.id,
                    "source must be an https:// address",
                ));
            }
        }
        let english = crate::text::shipped("en");
        for outcome in &self.outcomes {
            for label in &outcome.labels {
                if !english.has(&format!("outcome.{}.{label}", outcome.id)) {
                    return Err(knowledge_error("outcomes.toml", label, "no text in knowledge/text/en/"));
                }
            }
        }
        Ok(())
    }

    /// True when `label` is one of the labels of outcome class `outcome`.
    pub fn outcome_label_exists(&self, outcome: &str, label: &str) -> bool {
        self.outcomes.iter().any(|class| class.id == outcome && class.labels.iter().any(|l| l == label))
    }

    pub fn currency(&self, code: &str) -> Option<&Currency> {
        self.currencies.iter().find(|c| c.code == code)
    }

    pub fn regulator(&self, id: &str) -> Option<&Regulator> {
        self.regulators.iter().find(|r| r.id == id)
    }
}

/// The knowledge shipped with this build. Its files are checked by tests, so a failure here is a
/// build defect, not a user error.
pub fn shipped() -> &'static Knowledge {
    static SHIPPED: OnceLock<Knowledge> = OnceLock::new();
    SHIPPED.get_or_init(|| {
        Knowledge::parse(CURRENCIES_TOML, REGULATORS_TOML, OUTCOMES_TOML)
            .unwrap_or_else(|error| panic!("shipped knowledge is invalid: {error}"))
    })
}

fn parse_toml<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> CoreResult<T> {
    toml::from_str(text).map_err(|error| CoreError::Knowledge {
        file: file.to_owned(),
        entry: error.span().map(|span| format!("byte {}", span.start)).unwrap_or_else(|| "?".to_owned()),
        problem: error.message().to_owned(),
    })
}

fn knowledge_error(file: &str, entry: &str, problem: &str) -> CoreError {
    CoreError::Knowledge { file: file.to_owned(), entry: entry.to_owned(), problem: problem.to_owned() }
}

/// A deliberately small check: scheme, a host with a dot, no spaces.
pub(crate) fn is_well_formed_https_url(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split('/').next().unwrap_or("");
    host.contains('.') && !host.starts_with('.') && !url.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_knowledge_is_valid() {
        let knowledge = Knowledge::parse(CURRENCIES_TOML, REGULATORS_TOML, OUTCOMES_TOML).expect("valid");
        assert!(knowledge.currency("EUR").is_some());
        assert_eq!(knowledge.currency("JPY").map(|c| c.minor_digits), Some(0));
        assert!(knowledge.regulator("curacao-cga").is_some());
        assert!(knowledge.regulators.len() >= 15, "every regulator of domain-facts §2");
    }

    #[test]
    fn duplicate_regulator_is_named_with_its_file() {
        let doubled = format!(
            "{REGULATORS_TOML}\n{}",
            &REGULATORS_TOML[REGULATORS_TOML.find("[[regulator]]").unwrap()..]
        );
        let error = Knowledge::parse(CURRENCIES_TOML, &doubled, OUTCOMES_TOML).unwrap_err().to_string();
        assert!(error.contains("regulators.toml"), "{error}");
        assert!(error.contains("ukgc") && error.contains("listed twice"), "{error}");
    }

    #[test]
    fn a_source_that_is_not_https_is_rejected() {
        let bad = REGULATORS_TOML.replacen("https://www.gamblingcommission", "www.gamblingcommission", 1);
        let error = Knowledge::parse(CURRENCIES_TOML, &bad, OUTCOMES_TOML).unwrap_err().to_string();
        assert!(error.contains("'ukgc'") && error.contains("https://"), "{error}");
    }

    #[test]
    fn broken_toml_names_the_file() {
        let error = Knowledge::parse("[[currency]]\ncode = ", REGULATORS_TOML, OUTCOMES_TOML)
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("knowledge/currencies.toml"), "{error}");
    }
}
