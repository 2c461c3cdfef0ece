//! The user-facing sentences of `knowledge/`, kept apart from the structure so they can be
//! translated: one TOML file per language, flattened to keys like `question.has-account.text`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::error::{CoreError, CoreResult};

/// The languages shipped with this build, English first (the fallback). Each language is a folder
/// `knowledge/text/<language>/` of files, one per knowledge file, merged into one table.
pub const SHIPPED_LANGUAGES: &[(&str, &[(&str, &str)])] = &[(
    "en",
    &[
        ("common.toml", include_str!("../../../knowledge/text/en/common.toml")),
        ("triage.toml", include_str!("../../../knowledge/text/en/triage.toml")),
        ("outcomes.toml", include_str!("../../../knowledge/text/en/outcomes.toml")),
        ("clocks.toml", include_str!("../../../knowledge/text/en/clocks.toml")),
        ("ladder.toml", include_str!("../../../knowledge/text/en/ladder.toml")),
        ("recipients.toml", include_str!("../../../knowledge/text/en/recipients.toml")),
        ("letters.toml", include_str!("../../../knowledge/text/en/letters.toml")),
        ("timeline.toml", include_str!("../../../knowledge/text/en/timeline.toml")),
        ("package.toml", include_str!("../../../knowledge/text/en/package.toml")),
    ],
)];

/// One value: a sentence or a list of sentences (an idea's actions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextValue {
    One(String),
    Many(Vec<String>),
}

/// All sentences of one language.
#[derive(Debug, Clone, Default)]
pub struct TextTable {
    pub language: String,
    entries: BTreeMap<String, TextValue>,
}

impl TextTable {
    /// Parses one text file of a language.
    pub fn parse(language: &str, toml_text: &str) -> CoreResult<TextTable> {
        TextTable::parse_files(language, &[("text.toml", toml_text)])
    }

    /// Parses and merges the files of a language; a key defined twice is an error naming both files.
    pub fn parse_files(language: &str, files: &[(&str, &str)]) -> CoreResult<TextTable> {
        let mut entries = BTreeMap::new();
        for (name, toml_text) in files {
            let file = format!("text/{language}/{name}");
            let table: toml::Table = toml::from_str(toml_text).map_err(|error| CoreError::Knowledge {
                file: file.clone(),
                entry: error.span().map_or_else(|| "?".to_owned(), |span| format!("byte {}", span.start)),
                problem: error.message().to_owned(),
            })?;
            let mut file_entries = BTreeMap::new();
            flatten(&file, "", &table, &mut file_entries)?;
            for (key, value) in file_entries {
                if entries.insert(key.clone(), value).is_some() {
                    return Err(CoreError::Knowledge {
                        file,
                        entry: key,
                        problem: "this key is already defined in another file of the language".into(),
                    });
                }
            }
        }
        Ok(TextTable { language: language.to_owned(), entries })
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.keys()
    }

    pub fn has(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// The sentence at `key`; a missing key shows as the key itself, which tests prevent shipping.
    pub fn get(&self, key: &str) -> String {
        match self.entries.get(key) {
            Some(TextValue::One(text)) => text.clone(),
            Some(TextValue::Many(texts)) => texts.join(" "),
            None => key.to_owned(),
        }
    }

    /// The sentence at `key`, or nothing for optional parts such as a question's help.
    pub fn optional(&self, key: &str) -> String {
        if self.has(key) { self.get(key) } else { String::new() }
    }

    /// A date as the language writes it inside a sentence ("24 November 2026" in English).
    pub fn date(&self, date: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let months = self.list("date.months");
        let Some(month) = months.get(date.month0() as usize) else {
            return date.to_string();
        };
        self.get("date.pattern")
            .replace("{day}", &date.day().to_string())
            .replace("{month}", month)
            .replace("{year}", &date.year().to_string())
    }

    pub fn list(&self, key: &str) -> Vec<String> {
        match self.entries.get(key) {
            Some(TextValue::Many(texts)) => texts.clone(),
            Some(TextValue::One(text)) => vec![text.clone()],
            None => Vec::new(),
        }
    }
}

fn flatten(
    file: &str,
    prefix: &str,
    table: &toml::Table,
    out: &mut BTreeMap<String, TextValue>,
) -> CoreResult<()> {
    for (name, value) in table {
        let key = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
        match value {
            toml::Value::String(text) => {
                out.insert(key, TextValue::One(text.clone()));
            }
            toml::Value::Array(items) => {
                let texts = items
                    .iter()
                    .map(|item| item.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| CoreError::Knowledge {
                        file: file.to_owned(),
                        entry: key.clone(),
                        problem: "a list may hold only sentences".into(),
                    })?;
                out.insert(key, TextValue::Many(texts));
            }
            toml::Value::Table(inner) => flatten(file, &key, inner, out)?,
            _ => {
                return Err(CoreError::Knowledge {
                    file: file.to_owned(),
                    entry: key,
                    problem: "values must be sentences or lists of sentences".into(),
                });
            }
        }
    }
    Ok(())
}

/// The shipped text of a language, or English when the language is not shipped.
pub fn shipped(language: &str) -> &'static TextTable {
    static TABLES: OnceLock<Vec<TextTable>> = OnceLock::new();
    let tables = TABLES.get_or_init(|| {
        SHIPPED_LANGUAGES
            .iter()
            .map(|(language, files)| {
                TextTable::parse_files(language, files)
                    .unwrap_or_else(|error| panic!("shipped text is invalid: {error}"))
            })
            .collect()
    });
    tables.iter().find(|table| table.language == language).unwrap_or(&tables[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_language_has_exactly_the_english_keys() {
        let english = shipped("en");
        for (language, files) in SHIPPED_LANGUAGES {
            let table = TextTable::parse_files(language, files).unwrap();
            let missing: Vec<&String> = english.keys().filter(|key| !table.has(key)).collect();
            let extra: Vec<&String> = table.keys().filter(|key| !english.has(key)).collect();
            assert!(missing.is_empty(), "text/{language}/ lacks {missing:?}");
            assert!(extra.is_empty(), "text/{language}/ has keys English lacks: {extra:?}");
        }
    }

    #[test]
    fn a_key_in_two_files_of_a_language_is_refused() {
        let error =
            TextTable::parse_files("xx", &[("a.toml", "[x]\ny = \"1\""), ("b.toml", "[x]\ny = \"2\"")])
                .unwrap_err()
                .to_string();
        assert!(error.contains("text/xx/b.toml") && error.contains("'x.y'"), "{error}");
    }

    #[test]
    fn dates_are_written_the_languages_way() {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert_eq!(shipped("en").date(date), "24 November 2026");
    }

    #[test]
    fn nested_tables_and_lists_flatten_to_keys() {
        let table =
            TextTable::parse("xx", "[idea.a]\ntitle = \"T\"\nactions = [\"one\", \"two\"]\n").unwrap();
        assert_eq!(table.get("idea.a.title"), "T");
        assert_eq!(table.list("idea.a.actions"), vec!["one", "two"]);
        assert_eq!(table.get("idea.b.title"), "idea.b.title");
    }

    #[test]
    fn a_number_where_text_belongs_names_the_file_and_key() {
        let error = TextTable::parse("xx", "[idea.a]\ntitle = 3\n").unwrap_err().to_string();
        assert!(error.contains("text/xx/text.toml") && error.contains("idea.a.title"), "{error}");
    }
}
