//! web-form.txt: paste-ready answers, "label: value", for the recipient's complaint form. Where
//! the directory knows the form's fields (knowledge/recipients.toml `form_fields`, with source and
//! checked date), the answers follow them; elsewhere a generic set most forms ask for, and the
//! file says the form is unknown. Personal details Casefile does not record stay to fill in.

use super::letter::{Values, request};
use crate::case::Case;
use crate::ladder::Recipient;
use crate::text;

/// The answer for one field id of knowledge/recipients.toml, `None` when Casefile has no value.
fn answer(field: &str, case: &Case, values: &Values, kind: &str) -> Option<String> {
    // "not given" reads well in a letter; in a form the player should fill the field in instead.
    let not_given = text::shipped("en").get("letter.not-given");
    let value = |name: &str| values.get(name).filter(|v| **v != not_given).cloned();
    match field {
        "operator" | "merchant-name" => value("casino"),
        "username" | "account-number" => case.account_id.clone(),
        "amount" | "disputed-amount" => value("amount"),
        "incident-date" | "transaction-date" => value("incident_date"),
        "country-of-residence" => case.player_country.clone(),
        "reason" | "short-summary" | "written-account" => value("description"),
        "dispute-type" => value("category"),
        "steps-with-operator" => value("sent_history"),
        "remedy" => request(kind, values),
        _ => None,
    }
}

/// The text of web-form.txt.
pub(super) fn web_form(recipient: &Recipient, case: &Case, values: &Values, exhibits_line: &str) -> String {
    let english = text::shipped("en");
    let fill_in = english.get("webform.fill-in");
    let name = values.get("recipient").cloned().unwrap_or_default();
    let kind = recipient.kind.as_str();
    let mut out = String::new();
    let mut field = |label: String, value: Option<String>| {
        out.push_str(&format!("{label}:\n{}\n\n", value.unwrap_or_else(|| fill_in.clone())));
    };
    let intro = if recipient.form_known && !recipient.form_fields.is_empty() {
        english
            .get("webform.known")
            .replace("{recipient}", &name)
            .replace("{source}", &recipient.source)
            .replace("{checked}", &recipient.checked)
    } else {
        english.get("webform.unknown").replace("{recipient}", &name)
    };
    let header = format!("{intro}\n\n");
    if recipient.form_known && !recipient.form_fields.is_empty() {
        for id in &recipient.form_fields {
            field(english.get(&format!("form_field.{id}")), answer(id, case, values, kind));
        }
    } else {
        let generic = [
            ("webform.who", "full-name"),
            ("webform.casino", "operator"),
            ("webform.account", "username"),
            ("webform.amount", "amount"),
            ("webform.dates", "incident-date"),
            ("webform.what-happened", "written-account"),
            ("webform.what-was-done", "steps-with-operator"),
            ("webform.what-is-asked", "remedy"),
        ];
        for (key, id) in generic {
            field(english.get(key), answer(id, case, values, kind));
        }
    }
    field(english.get("webform.exhibits"), Some(exhibits_line.to_owned()));
    format!("{header}{out}")
}
