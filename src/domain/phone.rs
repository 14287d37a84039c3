//! Phone numbers as enterprises give them: mainland mobiles (11 digits starting 1[3-9]) and
//! fixed lines (area code 0XX/0XXX + 7–8 digits, e.g. 023-68881234), optional +86 and extension.

/// Normalises a phone number (removes spaces, unifies the separator) or returns `None` when it is
/// not a valid mainland number. An empty input is allowed by callers that make the phone optional.
pub fn normalize(input: &str) -> Option<String> {
    let s: String = input
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '－' | '—' | '–' => '-',
            c if ('０'..='９').contains(&c) => {
                char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c)
            }
            c => c,
        })
        .collect();
    let s = s
        .strip_prefix("+86")
        .or_else(|| s.strip_prefix("0086"))
        .unwrap_or(&s);
    let s = s.trim_start_matches('-');
    let (main, ext) = match s.split_once(['#', '转']) {
        Some((m, e)) if !e.is_empty() && e.len() <= 6 && e.chars().all(|c| c.is_ascii_digit()) => {
            (m, Some(e))
        }
        Some(_) => return None,
        None => (s, None),
    };
    let digits: String = main.chars().filter(|c| *c != '-').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) || main.matches('-').count() > 1 {
        return None;
    }
    let b = digits.as_bytes();
    let out =
        if b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && !main.contains('-') {
            digits.clone()
        } else if b.first() == Some(&b'0') && (10..=12).contains(&b.len()) {
            // Area codes: 010, 02X are 3 digits; the rest are 4.
            let area = if b[1] == b'1' || b[1] == b'2' { 3 } else { 4 };
            let local = &digits[area..];
            if !(7..=8).contains(&local.len()) {
                return None;
            }
            format!("{}-{}", &digits[..area], local)
        } else if (7..=8).contains(&b.len()) && b[0] != b'0' && b[0] != b'1' {
            // A local number without area code (the desk's own district).
            digits.clone()
        } else {
            return None;
        };
    Some(match ext {
        Some(e) => format!("{out}#{e}"),
        None => out,
    })
}

/// Masks a phone number for printed handovers: 13812345678 → 138****5678.
pub fn mask(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let keep_tail = 4;
    let keep_head = 3;
    let hidden = chars.len() - keep_head - keep_tail;
    let mut s: String = chars[..keep_head].iter().collect();
    s.push_str(&"*".repeat(hidden));
    s.extend(&chars[chars.len() - keep_tail..]);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles_and_landlines() {
        assert_eq!(normalize("13812345678").as_deref(), Some("13812345678"));
        assert_eq!(
            normalize("+86 138 1234 5678").as_deref(),
            Some("13812345678")
        );
        assert_eq!(normalize("023-68881234").as_deref(), Some("023-68881234"));
        assert_eq!(normalize("02368881234").as_deref(), Some("023-68881234"));
        assert_eq!(normalize("0851-8888123").as_deref(), Some("0851-8888123"));
        assert_eq!(
            normalize("023-68881234#802").as_deref(),
            Some("023-68881234#802")
        );
        assert_eq!(normalize("68881234").as_deref(), Some("68881234"));
        assert_eq!(
            normalize("１３８１２３４５６７８").as_deref(),
            Some("13812345678")
        );
    }

    #[test]
    fn rejects() {
        for bad in [
            "",
            "123",
            "12812345678",
            "1381234567",
            "138123456789",
            "abc",
            "023-123",
            "138-1234-5678x",
        ] {
            assert_eq!(normalize(bad), None, "{bad}");
        }
    }

    #[test]
    fn masking() {
        assert_eq!(mask("13812345678"), "138****5678");
        assert_eq!(mask("023-68881234"), "023*****1234");
        assert_eq!(mask("123"), "***");
    }
}
