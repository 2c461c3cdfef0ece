//! Money as integer minor units plus an ISO 4217 code, and the forgiving parser that turns what a
//! player types ("2,350.00", "2350,00", "2 350") into that, saying back what it understood.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::case::CaseField;
use crate::error::{CoreError, FieldError, FieldProblem};
use crate::knowledge::{self, Currency};

/// An amount in the currency's minor unit (cents for EUR, yen for JPY).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Money {
    pub minor_units: i64,
    pub currency: String,
}

/// What the parser made of the player's text, to echo back before saving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UnderstoodAmount {
    pub money: Money,
    /// The amount written plainly, e.g. "EUR 2,350.00".
    pub display: String,
    /// The plain decimal form, e.g. "2350.00", which re-parses to the same amount.
    pub plain: String,
}

impl Money {
    /// "EUR 2,350.00": code first so the text reads the same in every language.
    pub fn display(&self) -> String {
        let digits = minor_digits(&self.currency);
        format!("{} {}", self.currency, group_thousands(&self.plain_with(digits)))
    }

    /// "2350.00": no grouping, a dot before the minor unit.
    pub fn plain(&self) -> String {
        self.plain_with(minor_digits(&self.currency))
    }

    fn plain_with(&self, digits: u8) -> String {
        let scale = 10_i64.pow(u32::from(digits));
        let whole = self.minor_units / scale;
        let fraction = (self.minor_units % scale).abs();
        if digits == 0 {
            whole.to_string()
        } else {
            format!("{whole}.{fraction:0width$}", width = usize::from(digits))
        }
    }
}

fn minor_digits(code: &str) -> u8 {
    knowledge::shipped().currency(code).map_or(2, |c| c.minor_digits)
}

fn group_thousands(plain: &str) -> String {
    let (whole, fraction) = plain.split_once('.').map_or((plain, None), |(w, f)| (w, Some(f)));
    let mut grouped = String::new();
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    match fraction {
        Some(fraction) => format!("{grouped}.{fraction}"),
        None => grouped,
    }
}

/// Looks up a currency code typed in any case ("eur" is EUR).
pub fn parse_currency(text: &str) -> Result<&'static Currency, FieldError> {
    let code = text.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Err(FieldError::new(
            CaseField::Currency,
            FieldProblem::Required,
            "Currency: choose the currency of the disputed amount, e.g. EUR.",
        ));
    }
    knowledge::shipped().currency(&code).ok_or_else(|| {
        FieldError::new(
            CaseField::Currency,
            FieldProblem::CurrencyUnknown,
            format!("Currency: \"{}\" is not a currency Casefile knows. Use a three-letter code such as EUR, GBP or USD.", text.trim()),
        )
        .with("input", text.trim())
    })
}

/// Reads an amount and a currency code as typed, reporting the currency problem first.
pub fn understand(amount: &str, currency: &str) -> Result<UnderstoodAmount, CoreError> {
    let currency = parse_currency(currency).map_err(|problem| CoreError::Invalid(vec![problem]))?;
    parse_amount(amount, currency).map_err(|problem| CoreError::Invalid(vec![problem]))
}

/// Parses an amount for the given currency. Spaces and apostrophes group thousands; of '.' and ','
/// the last one is the decimal mark when both appear; a single separator followed by exactly three
/// digits groups thousands (for currencies with fewer than three minor digits).
pub fn parse_amount(text: &str, currency: &Currency) -> Result<UnderstoodAmount, FieldError> {
    let trimmed = text.trim();
    let unreadable = || {
        FieldError::new(
            CaseField::Amount,
            FieldProblem::AmountUnreadable,
            format!("Amount: \"{trimmed}\" is not a number Casefile can read. Type digits only, for example 2350.00 or 2 350,00."),
        )
        .with("input", trimmed)
    };
    if trimmed.is_empty() {
        return Err(FieldError::new(
            CaseField::Amount,
            FieldProblem::Required,
            "Amount: type the amount in dispute, for example 2350.00.",
        ));
    }
    let compact: String =
        trimmed.chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '’')).collect();
    if compact.is_empty() || !compact.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return Err(unreadable());
    }
    let (whole, fraction) = split_decimal(&compact, currency.minor_digits).ok_or_else(unreadable)?;
    if whole.is_empty() && fraction.is_empty() {
        return Err(unreadable());
    }
    if fraction.len() > usize::from(currency.minor_digits) {
        return Err(FieldError::new(
            CaseField::Amount,
            FieldProblem::AmountTooManyDecimals,
            format!(
                "Amount: {} has at most {} digit(s) after the decimal mark, but \"{trimmed}\" has {}.",
                currency.code,
                currency.minor_digits,
                fraction.len()
            ),
        )
        .with("input", trimmed)
        .with("currency", &currency.code)
        .with("max", currency.minor_digits.to_string()));
    }
    let too_large = || {
        FieldError::new(
            CaseField::Amount,
            FieldProblem::AmountTooLarge,
            format!("Amount: \"{trimmed}\" is too large to be a real amount. Check the number of digits."),
        )
        .with("input", trimmed)
    };
    let padded = format!("{fraction:0<width$}", width = usize::from(currency.minor_digits));
    let digits = format!("{}{}", if whole.is_empty() { "0" } else { whole.as_str() }, padded);
    // Twelve digits before the decimal mark is far beyond any casino balance; more is a typo.
    if whole.trim_start_matches('0').len() > 12 {
        return Err(too_large());
    }
    let minor_units: i64 = digits.parse().map_err(|_| too_large())?;
    if minor_units == 0 {
        return Err(FieldError::new(
            CaseField::Amount,
            FieldProblem::AmountNotPositive,
            "Amount: the disputed amount must be more than zero.",
        ));
    }
    let money = Money { minor_units, currency: currency.code.clone() };
    Ok(UnderstoodAmount { display: money.display(), plain: money.plain(), money })
}

/// Splits "1.234,56" into ("1234", "56"); `None` when the grouping is inconsistent.
fn split_decimal(compact: &str, minor_digits: u8) -> Option<(String, String)> {
    let dots = compact.matches('.').count();
    let commas = compact.matches(',').count();
    let decimal_mark = match (dots, commas) {
        (0, 0) => None,
        (_, 0) | (0, _) => {
            let mark = if dots > 0 { '.' } else { ',' };
            let count = dots + commas;
            let after = compact.len() - compact.rfind(mark)? - 1;
            let groups_thousands = count > 1 || (after == 3 && minor_digits < 3 && compact.find(mark)? > 0);
            if groups_thousands { None } else { Some(mark) }
        }
        _ => {
            let last = compact.rfind(['.', ','])?;
            let mark = compact[last..].chars().next()?;
            // The decimal mark may appear once; the other character only groups.
            if compact.matches(mark).count() > 1 {
                return None;
            }
            Some(mark)
        }
    };
    let (whole, fraction) = match decimal_mark {
        Some(mark) => {
            let (w, f) = compact.split_once(mark)?;
            (w.to_owned(), f.to_owned())
        }
        None => (compact.to_owned(), String::new()),
    };
    let group_mark = match decimal_mark {
        Some('.') => ',',
        Some(_) => '.',
        None if whole.contains('.') => '.',
        None => ',',
    };
    if !fraction.chars().all(|c| c.is_ascii_digit()) || !groups_are_valid(&whole, group_mark) {
        return None;
    }
    Some((whole.replace(group_mark, ""), fraction))
}

/// "1,234,567" is grouped correctly; "12,34" or ",123" are not.
fn groups_are_valid(whole: &str, mark: char) -> bool {
    if !whole.contains(mark) {
        return whole.chars().all(|c| c.is_ascii_digit());
    }
    let groups: Vec<&str> = whole.split(mark).collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    first_ok
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur() -> &'static Currency {
        parse_currency("EUR").unwrap()
    }

    fn minor(text: &str, code: &str) -> Result<i64, FieldProblem> {
        let currency = parse_currency(code).unwrap();
        parse_amount(text, currency).map(|a| a.money.minor_units).map_err(|e| e.problem)
    }

    #[test]
    fn the_three_forms_the_issue_names() {
        assert_eq!(minor("2,350.00", "EUR"), Ok(235_000));
        assert_eq!(minor("2350,00", "EUR"), Ok(235_000));
        assert_eq!(minor("2 350", "EUR"), Ok(235_000));
    }

    #[test]
    fn european_and_swiss_grouping() {
        assert_eq!(minor("1.234,56", "EUR"), Ok(123_456));
        assert_eq!(minor("1’234.50", "CHF"), Ok(123_450));
        assert_eq!(minor("2\u{a0}350,5", "EUR"), Ok(235_050));
        assert_eq!(minor("1.234.567", "EUR"), Ok(123_456_700));
        assert_eq!(minor("1,234,567.89", "USD"), Ok(123_456_789));
    }

    #[test]
    fn a_single_separator_before_three_digits_groups_thousands() {
        assert_eq!(minor("1,234", "EUR"), Ok(123_400));
        assert_eq!(minor("2.350", "EUR"), Ok(235_000));
        // Kuwaiti dinar has three minor digits, so the same text is a decimal.
        assert_eq!(minor("2.350", "KWD"), Ok(2_350));
    }

    #[test]
    fn decimals_and_zero_decimal_currencies() {
        assert_eq!(minor("0.5", "EUR"), Ok(50));
        assert_eq!(minor(".50", "EUR"), Ok(50));
        assert_eq!(minor("15000", "JPY"), Ok(15_000));
        assert_eq!(minor("150.5", "JPY"), Err(FieldProblem::AmountTooManyDecimals));
        assert_eq!(minor("1.999", "KWD"), Ok(1_999));
    }

    #[test]
    fn what_is_refused_and_why() {
        assert_eq!(minor("", "EUR"), Err(FieldProblem::Required));
        assert_eq!(minor("abc", "EUR"), Err(FieldProblem::AmountUnreadable));
        assert_eq!(minor("-50", "EUR"), Err(FieldProblem::AmountUnreadable));
        assert_eq!(minor("12,34,56", "EUR"), Err(FieldProblem::AmountUnreadable));
        assert_eq!(minor("1.2.3,4,5", "EUR"), Err(FieldProblem::AmountUnreadable));
        assert_eq!(minor("1,2345", "EUR"), Err(FieldProblem::AmountTooManyDecimals));
        assert_eq!(minor("0,00", "EUR"), Err(FieldProblem::AmountNotPositive));
        assert_eq!(minor("99999999999999999", "EUR"), Err(FieldProblem::AmountTooLarge));
        assert_eq!(minor(",", "EUR"), Err(FieldProblem::AmountUnreadable));
    }

    #[test]
    fn echoes_what_it_understood() {
        let understood = parse_amount("2350,5", eur()).unwrap();
        assert_eq!(understood.display, "EUR 2,350.50");
        assert_eq!(understood.plain, "2350.50");
        assert_eq!(parse_amount(&understood.plain, eur()).unwrap().money, understood.money);
        let yen = parse_amount("1 500 000", parse_currency("jpy").unwrap()).unwrap();
        assert_eq!(yen.display, "JPY 1,500,000");
    }

    #[test]
    fn unknown_currency_says_what_to_type() {
        let error = parse_currency("EURO").unwrap_err();
        assert_eq!(error.problem, FieldProblem::CurrencyUnknown);
        assert!(error.message.contains("three-letter code"));
    }
}
