//! English names for the ISO 3166-1 alpha-2 codes an organisation registry is likely to
//! hold. Series labels and definitions show names; filters and `share_of` match codes.

/// The English short name of `code` ("CN" → "China"); any other text (an unlisted code,
/// "unknown", "unattributed") is returned as it is.
pub fn country_name(code: &str) -> &str {
    match code {
        "AE" => "United Arab Emirates",
        "AR" => "Argentina",
        "AT" => "Austria",
        "AU" => "Australia",
        "BD" => "Bangladesh",
        "BE" => "Belgium",
        "BG" => "Bulgaria",
        "BR" => "Brazil",
        "CA" => "Canada",
        "CH" => "Switzerland",
        "CL" => "Chile",
        "CN" => "China",
        "CO" => "Colombia",
        "CZ" => "Czechia",
        "DE" => "Germany",
        "DK" => "Denmark",
        "EE" => "Estonia",
        "EG" => "Egypt",
        "ES" => "Spain",
        "FI" => "Finland",
        "FR" => "France",
        "GB" => "United Kingdom",
        "GR" => "Greece",
        "HK" => "Hong Kong",
        "HU" => "Hungary",
        "ID" => "Indonesia",
        "IE" => "Ireland",
        "IL" => "Israel",
        "IN" => "India",
        "IR" => "Iran",
        "IT" => "Italy",
        "JP" => "Japan",
        "KE" => "Kenya",
        "KR" => "South Korea",
        "KZ" => "Kazakhstan",
        "LU" => "Luxembourg",
        "MX" => "Mexico",
        "MY" => "Malaysia",
        "NG" => "Nigeria",
        "NL" => "Netherlands",
        "NO" => "Norway",
        "NZ" => "New Zealand",
        "PH" => "Philippines",
        "PK" => "Pakistan",
        "PL" => "Poland",
        "PT" => "Portugal",
        "QA" => "Qatar",
        "RO" => "Romania",
        "RU" => "Russia",
        "SA" => "Saudi Arabia",
        "SE" => "Sweden",
        "SG" => "Singapore",
        "TH" => "Thailand",
        "TR" => "Türkiye",
        "TW" => "Taiwan",
        "UA" => "Ukraine",
        "US" => "United States",
        "VN" => "Vietnam",
        "ZA" => "South Africa",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_known_codes_and_passes_others_through() {
        assert_eq!(country_name("CN"), "China");
        assert_eq!(country_name("AE"), "United Arab Emirates");
        assert_eq!(country_name("KR"), "South Korea");
        assert_eq!(country_name("XK"), "XK");
        assert_eq!(country_name("unattributed"), "unattributed");
    }
}
