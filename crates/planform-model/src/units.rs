//! Unit conversions between the wire's feet and SI metres.

/// Metres per international foot (exact).
pub const FT_TO_M: f64 = 0.3048;
/// Square metres per square foot (exact).
pub const SQFT_TO_SQM: f64 = FT_TO_M * FT_TO_M;
/// Metres per US survey foot (1200/3937, used by some state-plane CRSs).
pub const US_FT_TO_M: f64 = 1200.0 / 3937.0;
/// Square metres per acre (international).
pub const ACRE_TO_SQM: f64 = 4_046.856_422_4;

/// Feet to metres.
pub fn ft_to_m(ft: f64) -> f64 {
    ft * FT_TO_M
}

/// Metres to feet.
pub fn m_to_ft(m: f64) -> f64 {
    m / FT_TO_M
}

/// Square metres to square feet.
pub fn sqm_to_sqft(sqm: f64) -> f64 {
    sqm / SQFT_TO_SQM
}

/// A length unit for output (`--units m|ft`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LengthUnit {
    /// Metres.
    #[default]
    Metre,
    /// International feet.
    Foot,
}

impl LengthUnit {
    /// Metres per unit.
    pub fn metres(self) -> f64 {
        match self {
            Self::Metre => 1.0,
            Self::Foot => FT_TO_M,
        }
    }
}

impl std::str::FromStr for LengthUnit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "m" | "metre" | "meter" | "metres" | "meters" => Ok(Self::Metre),
            "ft" | "foot" | "feet" => Ok(Self::Foot),
            other => Err(format!("unknown length unit {other:?} (expected m or ft)")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_are_inverse() {
        assert!((m_to_ft(ft_to_m(12.5)) - 12.5).abs() < 1e-12);
        assert!((sqm_to_sqft(SQFT_TO_SQM) - 1.0).abs() < 1e-12);
        assert_eq!("ft".parse::<LengthUnit>().unwrap(), LengthUnit::Foot);
        assert!("yd".parse::<LengthUnit>().is_err());
    }
}
