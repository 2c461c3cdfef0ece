//! Card numbers in text exhibits (notes, chats, email bodies) masked to their last four digits
//! before they leave the player's hands: a complaint needs to say which card, never the number.

/// Shortest and longest card numbers (ISO/IEC 7812 primary account numbers).
const MIN_DIGITS: usize = 13;
const MAX_DIGITS: usize = 19;

/// The Luhn checksum every payment card number passes; it keeps order numbers, phone numbers and
/// transaction ids that merely have the right length from being masked.
pub fn luhn_valid(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (index, digit) in digits.iter().rev().enumerate() {
        let mut value = u32::from(*digit);
        if index % 2 == 1 {
            value *= 2;
            if value > 9 {
                value -= 9;
            }
        }
        sum += value;
    }
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// Masks every card number in `text` to `•••• •••• •••• 1234`. A card number is a run of 13–19
/// digits, optionally grouped by single spaces or dashes, not glued to other digits or letters,
/// that passes the Luhn check. Returns the text and how many numbers were masked.
pub fn mask_card_numbers(text: &str) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut masked = 0;
    let mut at = 0;
    while at < chars.len() {
        let starts_clean = at == 0 || !chars[at - 1].is_alphanumeric();
        if starts_clean
            && chars[at].is_ascii_digit()
            && let Some((end, digits)) = longest_card_at(&chars, at)
        {
            let last4: String = digits[digits.len() - 4..].iter().map(|d| char::from(b'0' + d)).collect();
            out.push_str("•••• •••• •••• ");
            out.push_str(&last4);
            masked += 1;
            at = end;
            continue;
        }
        out.push(chars[at]);
        at += 1;
    }
    (out, masked)
}

/// The card number starting at `start`, if any. The run of digits and single separators is cut
/// at each group boundary, longest first ("4111 1111 1111 1111 2 items" still finds the card); a
/// candidate must be 13–19 digits passing Luhn and not run on into more digits or letters.
fn longest_card_at(chars: &[char], start: usize) -> Option<(usize, Vec<u8>)> {
    let mut digits = Vec::new();
    let mut boundaries = Vec::new();
    let mut at = start;
    while at < chars.len() && digits.len() <= MAX_DIGITS {
        let c = chars[at];
        if c.is_ascii_digit() {
            digits.push(u8::try_from(u32::from(c) - u32::from('0')).ok()?);
            at += 1;
        } else if (c == ' ' || c == '-') && chars.get(at + 1).is_some_and(char::is_ascii_digit) {
            boundaries.push((at, digits.len()));
            at += 1;
        } else {
            break;
        }
    }
    if !chars.get(at).is_some_and(|c| c.is_alphanumeric()) {
        boundaries.push((at, digits.len()));
    }
    boundaries.into_iter().rev().find_map(|(end, count)| {
        let candidate = &digits[..count];
        ((MIN_DIGITS..=MAX_DIGITS).contains(&count) && luhn_valid(candidate))
            .then(|| (end, candidate.to_vec()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_numbers_in_common_shapes_are_masked_to_the_last_four() {
        let text = "Visa 4111 1111 1111 1111, Mastercard 5500-0000-0000-0004 and Amex 378282246310005.";
        let (masked, count) = mask_card_numbers(text);
        assert_eq!(count, 3);
        assert_eq!(
            masked,
            "Visa •••• •••• •••• 1111, Mastercard •••• •••• •••• 0004 and Amex •••• •••• •••• 0005."
        );
    }

    #[test]
    fn numbers_that_fail_luhn_or_have_the_wrong_length_stay() {
        // One digit off a valid Visa test number: fails the check.
        let text = "Order 4111 1111 1111 1112, phone +44 20 7946 0958, ref 411111111111 and IBAN GB82WEST12345698765432";
        assert_eq!(mask_card_numbers(text), (text.to_owned(), 0));
    }

    #[test]
    fn a_card_number_glued_to_more_digits_or_letters_is_not_one() {
        let text = "tx 41111111111111119 id A4111111111111111";
        // 17 digits that fail Luhn, then a number glued to a letter.
        assert_eq!(mask_card_numbers(text).1, 0);
    }

    #[test]
    fn a_card_followed_by_another_number_is_still_found() {
        let (masked, count) = mask_card_numbers("card 4111 1111 1111 1111 2 items");
        assert_eq!((masked.as_str(), count), ("card •••• •••• •••• 1111 2 items", 1));
    }

    #[test]
    fn luhn_accepts_known_test_numbers() {
        let digits = |s: &str| s.bytes().map(|b| b - b'0').collect::<Vec<u8>>();
        assert!(luhn_valid(&digits("4111111111111111")));
        assert!(luhn_valid(&digits("6011111111111117")));
        assert!(!luhn_valid(&digits("6011111111111118")));
        assert!(!luhn_valid(&[]));
    }

    #[test]
    fn text_around_and_non_ascii_text_are_kept() {
        let (masked, count) = mask_card_numbers("Carte n° 4111-1111-1111-1111 — débitée");
        assert_eq!(count, 1);
        assert_eq!(masked, "Carte n° •••• •••• •••• 1111 — débitée");
    }
}
