//! Street addresses: which road a parcel is addressed to.
//!
//! A lot's legal front is the street its address names; on a corner or a
//! through lot nothing in the geometry says which one that is. County
//! parcel layers carry a situs address (`SITUS_ADDR`, `ADDRESS`, …) and
//! road layers a name (TIGER's `FULLNAME`, OSM's `name`, …) written
//! differently: `113 W KNOX , ENNIS, 75119` against `W Knox St`,
//! `804 N MC KINNEY` against `N McKinney St`, `STATE HIGHWAY 34` against
//! `State Hwy 34`. Both reduce to a [`street_key`]: upper case, the part
//! before the first comma, house number, unit and `NULL` placeholders
//! dropped, USPS suffix and directional words abbreviated, then the
//! directionals and the suffix dropped when a name is left (`Avenue E`
//! keeps both, they are its name), the rest joined without spaces. Two
//! keys name the same street when equal, or, for names of five letters or
//! more, one edit apart counting a swap of two neighbouring letters as one
//! edit (a county's `CEASAR` is TIGER's `Caesar`; ten letters or more, two).

use serde_json::{Map, Value};

/// Property names read as a parcel's address, first found first.
pub const ADDRESS_KEYS: [&str; 8] = [
    "SITUS_ADDR",
    "SITUS_ADDRESS",
    "SITE_ADDR",
    "SITEADDRESS",
    "FULL_ADDR",
    "FULLADDR",
    "ADDRESS",
    "ADDR",
];

/// Property names read as a road's name, first found first.
pub const ROAD_NAME_KEYS: [&str; 8] = [
    "FULLNAME",
    "FULL_NAME",
    "STREET",
    "ST_NAME",
    "STREET_NAME",
    "NAME",
    "LABEL",
    "ROAD_NAME",
];

/// The first non-empty string member of `props` among `keys`, matched
/// case-insensitively (and ignoring `_`).
pub fn first_named(props: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| {
        props
            .iter()
            .find(|(name, v)| {
                same_name(name, k) && v.as_str().is_some_and(|s| !s.trim().is_empty())
            })
            .and_then(|(_, v)| v.as_str().map(str::to_owned))
    })
}

/// Whether two member names are the same, case-insensitively and ignoring
/// `_`: byte by byte where both are ASCII (building both names in upper
/// case, once per member and key, was a twentieth of a lot's analysis),
/// by Unicode upper case otherwise.
fn same_name(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        let mut x = a.bytes().filter(|c| *c != b'_');
        let mut y = b.bytes().filter(|c| *c != b'_');
        loop {
            match (x.next(), y.next()) {
                (None, None) => return true,
                (Some(p), Some(q)) if p.eq_ignore_ascii_case(&q) => {}
                _ => return false,
            }
        }
    }
    let norm = |k: &str| -> String {
        k.chars()
            .filter(|c| *c != '_')
            .flat_map(char::to_uppercase)
            .collect()
    };
    norm(a) == norm(b)
}

/// USPS street suffixes and directionals, long form to the abbreviation.
const ABBREVIATIONS: [(&str, &str); 34] = [
    ("STREET", "ST"),
    ("AVENUE", "AVE"),
    ("AV", "AVE"),
    ("ROAD", "RD"),
    ("DRIVE", "DR"),
    ("LANE", "LN"),
    ("COURT", "CT"),
    ("BOULEVARD", "BLVD"),
    ("PARKWAY", "PKWY"),
    ("CIRCLE", "CIR"),
    ("PLACE", "PL"),
    ("TRAIL", "TRL"),
    ("TERRACE", "TER"),
    ("HIGHWAY", "HWY"),
    ("FREEWAY", "FWY"),
    ("EXPRESSWAY", "EXPY"),
    ("LOOP", "LP"),
    ("SQUARE", "SQ"),
    ("CROSSING", "XING"),
    ("POINT", "PT"),
    ("ALLEY", "ALY"),
    ("WAY", "WAY"),
    ("PIKE", "PIKE"),
    ("ROW", "ROW"),
    ("RUN", "RUN"),
    ("PATH", "PATH"),
    ("NORTH", "N"),
    ("SOUTH", "S"),
    ("EAST", "E"),
    ("WEST", "W"),
    ("NORTHEAST", "NE"),
    ("NORTHWEST", "NW"),
    ("SOUTHEAST", "SE"),
    ("SOUTHWEST", "SW"),
];

const DIRECTIONALS: [&str; 8] = ["N", "S", "E", "W", "NE", "NW", "SE", "SW"];

/// Suffix words (after abbreviation).
const SUFFIXES: [&str; 26] = [
    "ST", "AVE", "RD", "DR", "LN", "CT", "BLVD", "PKWY", "CIR", "PL", "TRL", "TER", "HWY", "FWY",
    "EXPY", "LP", "SQ", "XING", "PT", "ALY", "WAY", "PIKE", "ROW", "RUN", "PATH", "BUS",
];

/// Unit designators: the word and the one after it are not the street.
const UNITS: [&str; 6] = ["APT", "UNIT", "STE", "SUITE", "LOT", "BLDG"];

/// The street of an address or a road name as a comparable key; `None`
/// when nothing of a name is left (`", ,"`, `NULL NULL`).
pub fn street_key(text: &str) -> Option<String> {
    let head = text.split(',').next().unwrap_or("");
    let upper = head.to_uppercase();
    let mut tokens: Vec<&str> = upper
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty() && *t != "NULL")
        .collect();
    if let Some(i) = tokens.iter().position(|t| UNITS.contains(t)) {
        tokens.truncate(i);
    }
    // the house number (`113`, `113A`, `113-115` split above), not a
    // numbered street (`34TH`)
    let house = |t: &str| {
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        digits > 0 && t.len() - digits <= 1
    };
    while tokens.len() > 1 && house(tokens[0]) {
        tokens.remove(0);
    }
    let words: Vec<&str> = tokens
        .iter()
        .map(|t| {
            ABBREVIATIONS
                .iter()
                .find(|(long, _)| long == t)
                .map_or(*t, |(_, short)| short)
        })
        .collect();
    let name: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !DIRECTIONALS.contains(w) && !SUFFIXES.contains(w))
        .collect();
    let kept = if name
        .iter()
        .any(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
    {
        name
    } else {
        words
    };
    let key: String = kept.concat();
    (!key.is_empty()).then_some(key)
}

/// Edit distance with adjacent transpositions (optimal string alignment).
fn osa(a: &[u8], b: &[u8]) -> usize {
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, v) in d.iter_mut().enumerate().take(w) {
        *v = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

/// Whether two [`street_key`]s name the same street.
pub fn same_street(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let n = a.len().min(b.len());
    let allowed = match n {
        0..=4 => 0,
        5..=9 => 1,
        _ => 2,
    };
    allowed > 0
        && a.len().abs_diff(b.len()) <= allowed
        && osa(a.as_bytes(), b.as_bytes()) <= allowed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> String {
        street_key(s).unwrap()
    }

    #[test]
    fn county_addresses_and_tiger_names_reduce_to_the_same_street() {
        for (addr, road) in [
            ("113 W KNOX , ENNIS,  75119", "W Knox St"),
            ("804 N MC KINNEY , ENNIS,  75119", "N McKinney St"),
            ("2101 W STATE HIGHWAY 34 , ENNIS,  75119", "State Hwy 34"),
            ("4645 NULL LAKEVIEW , ENNIS,  75119", "Lakeview Dr"),
            ("5811 Rose Ct, Countryside, IL", "Rose Court"),
            ("12 Main Street Apt 4", "S Main St E"),
        ] {
            assert!(same_street(&key(addr), &key(road)), "{addr} / {road}");
        }
    }

    #[test]
    fn different_streets_stay_different() {
        for (a, b) in [
            ("Avenue E", "Avenue F"),
            ("12 Oak Ave", "Main St"),
            ("1 Elm St", "Ella St"),
            ("FM 85 Lp", "FM 87"),
            ("120 34th St", "43rd St"),
        ] {
            assert!(!same_street(&key(a), &key(b)), "{a} / {b}");
        }
        assert_eq!(key("Avenue E"), "AVEE");
        assert_eq!(key("120 34th Street"), "34TH");
    }

    #[test]
    fn a_misspelt_name_is_one_swap_away() {
        assert!(same_street(
            &key("NULL N CEASAR , ENNIS"),
            &key("N Caesar St")
        ));
        assert!(!same_street(&key("1 Ceasar"), &key("Cicero")));
    }

    #[test]
    fn empty_addresses_name_no_street() {
        assert_eq!(street_key(", ,"), None);
        assert_eq!(street_key("NULL NULL , ENNIS"), None);
        assert_eq!(street_key(""), None);
    }

    #[test]
    fn names_match_ignoring_case_and_underscores_in_any_script() {
        for (a, b, same) in [
            ("situs_addr", "SITUSADDR", true),
            ("Situs_Addr_", "situsaddr", true),
            ("addr", "address", false),
            ("address", "addr", false),
            ("", "_", true),
            ("Straße", "STRASSE", true),
            ("straße", "strasse_x", false),
            ("ÉTAGE", "étage", true),
        ] {
            assert_eq!(same_name(a, b), same, "{a} / {b}");
        }
    }

    #[test]
    fn property_names_are_matched_loosely() {
        let v: Value = serde_json::json!({"situs_addr": " ", "Address": "5 Elm St", "name": "x"});
        let m = v.as_object().unwrap();
        assert_eq!(first_named(m, &ADDRESS_KEYS).as_deref(), Some("5 Elm St"));
        assert_eq!(first_named(m, &ROAD_NAME_KEYS).as_deref(), Some("x"));
    }
}
