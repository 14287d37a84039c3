//! Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters, the last a
//! check character computed from the first 17.

/// The 31 characters the standard allows (digits and upper-case letters minus I, O, Z, S, V).
const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights of positions 1..=17 (3^(i-1) mod 31).
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Why a credit code is not valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditCodeError {
    /// Not 18 characters long (the count found).
    Length(usize),
    /// A character the standard does not allow (position 1-based, the character).
    Char(usize, char),
    /// The check character is wrong (found, expected).
    Check(char, char),
}

fn value_of(c: char) -> Option<u32> {
    ALPHABET.find(c).map(|i| i as u32)
}

/// The check character for the first 17 characters, or `None` if one is not allowed.
pub fn check_char(first17: &str) -> Option<char> {
    let mut sum = 0;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += value_of(c)? * w;
    }
    let idx = (31 - sum % 31) % 31;
    ALPHABET.chars().nth(idx as usize)
}

/// Normalises (trim, upper-case) and validates a credit code.
pub fn validate(code: &str) -> Result<String, CreditCodeError> {
    let code: String = code.trim().to_uppercase();
    let n = code.chars().count();
    if n != 18 {
        return Err(CreditCodeError::Length(n));
    }
    for (i, c) in code.chars().enumerate() {
        if value_of(c).is_none() {
            return Err(CreditCodeError::Char(i + 1, c));
        }
    }
    let first: String = code.chars().take(17).collect();
    let expected = check_char(&first).unwrap_or('0');
    let found = code.chars().last().unwrap_or('0');
    if found != expected {
        return Err(CreditCodeError::Check(found, expected));
    }
    Ok(code)
}

/// Completes 17 characters with their check character (used by the demo data).
pub fn complete(first17: &str) -> Option<String> {
    check_char(first17).map(|c| format!("{first17}{c}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_real_codes_validate() {
        // Published codes of real enterprises.
        assert_eq!(
            validate("91440300708461136T"),
            Ok("91440300708461136T".into())
        );
        assert_eq!(
            validate("91110000100003495Y"),
            Ok("91110000100003495Y".into())
        );
    }

    #[test]
    fn wrong_check_char_is_named() {
        assert_eq!(
            validate("91440300708461136A"),
            Err(CreditCodeError::Check('A', 'T'))
        );
    }

    #[test]
    fn length_and_alphabet() {
        assert_eq!(validate("123"), Err(CreditCodeError::Length(3)));
        assert_eq!(
            validate("9144030070846113IT"),
            Err(CreditCodeError::Char(17, 'I'))
        );
        // lower case is normalised
        assert_eq!(
            validate(" 91440300708461136t "),
            Ok("91440300708461136T".into())
        );
    }

    #[test]
    fn every_single_char_change_is_caught() {
        let good = "91440300708461136T";
        for pos in 0..18 {
            for c in ALPHABET.chars() {
                let mut chars: Vec<char> = good.chars().collect();
                if chars[pos] == c {
                    continue;
                }
                chars[pos] = c;
                let s: String = chars.into_iter().collect();
                assert!(validate(&s).is_err(), "{s} should fail");
            }
        }
    }
}
