//! README.txt in the recipient's language: the sentences are data, one file per language under
//! knowledge/text/<lang>/package.toml. A recipient whose language has no README text gets English,
//! and the manifest says so.

use crate::ladder::Recipient;
use crate::text::TextTable;

const README_LANGUAGES: &[(&str, &str)] = &[
    ("en", include_str!("../../../../knowledge/text/en/package.toml")),
    ("de", include_str!("../../../../knowledge/text/de/package.toml")),
    ("fr", include_str!("../../../../knowledge/text/fr/package.toml")),
    ("sv", include_str!("../../../../knowledge/text/sv/package.toml")),
    ("es", include_str!("../../../../knowledge/text/es/package.toml")),
    ("it", include_str!("../../../../knowledge/text/it/package.toml")),
    ("nl", include_str!("../../../../knowledge/text/nl/package.toml")),
];

/// The README's text, the language it is in, and a note when that is not the recipient's.
pub(super) struct Readme {
    pub text: String,
    pub language: String,
    pub fallback_note: Option<String>,
}

fn table(language: &str) -> Option<TextTable> {
    let (_, toml_text) = README_LANGUAGES.iter().find(|(l, _)| *l == language)?;
    Some(
        TextTable::parse(language, toml_text)
            .unwrap_or_else(|e| panic!("knowledge/text/{language}/package.toml is invalid: {e}")),
    )
}

/// The README for `recipient`: in the first of its languages that has README text, else English.
pub(super) fn readme(recipient: &Recipient, recipient_name: &str, draft: bool) -> Readme {
    let chosen = recipient.languages.iter().find(|l| table(l).is_some());
    let fallback_note = match (chosen, recipient.languages.is_empty()) {
        (Some(_), _) => None,
        (None, true) => Some(
            "The directory does not record the recipient's language; README.txt is in English.".to_owned(),
        ),
        (None, false) => Some(format!(
            "No README text in the recipient's language ({}); README.txt is in English.",
            recipient.languages.join(", ")
        )),
    };
    let language = chosen.cloned().unwrap_or_else(|| "en".to_owned());
    let text = table(&language).expect("English README text is shipped");
    let body = text.get("package.readme").replace("{recipient}", recipient_name);
    let text = if draft { format!("{}\n\n{body}", text.get("package.draft")) } else { body };
    Readme { text, language, fallback_note }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_readme_language_has_the_english_keys_and_names_every_file() {
        // Only [package] is the README; English's [check] is the completeness check.
        let readme_keys =
            |text: &TextTable| text.keys().filter(|k| k.starts_with("package.")).cloned().collect::<Vec<_>>();
        let english = readme_keys(&table("en").unwrap());
        for (language, _) in README_LANGUAGES {
            let text = table(language).unwrap();
            assert_eq!(readme_keys(&text), english, "{language}");
            if *language != "en" {
                assert_eq!(text.keys().count(), english.len(), "{language} has keys besides [package]");
            }
            let readme = text.get("package.readme");
            for file in ["letter.pdf", "web-form.txt", "timeline-and-index.pdf", "SHA256SUMS", "{recipient}"]
            {
                assert!(readme.contains(file), "{language} README lacks {file}");
            }
        }
    }

    #[test]
    fn a_swedish_body_gets_a_swedish_readme_and_an_unknown_language_falls_back() {
        let directory = crate::ladder::shipped_directory();
        let swedish =
            directory.recipients.iter().find(|r| r.languages == ["sv"]).expect("a Swedish-only body");
        let made = readme(swedish, &swedish.name, true);
        assert_eq!(made.language, "sv");
        assert!(made.text.starts_with("UTKAST") && made.text.contains("kontrollsummor"), "{}", made.text);
        assert!(made.fallback_note.is_none());
        let unknown = directory.recipients.iter().find(|r| r.languages.is_empty()).unwrap();
        let made = readme(unknown, "X", false);
        assert_eq!(made.language, "en");
        assert!(made.fallback_note.unwrap().contains("does not record"));
    }
}
