//! The sun's path: NREL's Solar Position Algorithm (Reda & Andreas 2003)
//! through the `solar-positioning` crate, geometric (no refraction), ΔT
//! estimated from the date (Espenak & Meeus fits), sampled over a local day.

use solar_positioning::time::JulianDate;
use solar_positioning::{Location, SolarPositions};

use crate::error::{Result, SiteError};

/// One sun position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SunPosition {
    /// Azimuth, degrees clockwise from north.
    pub azimuth: f64,
    /// Elevation above the horizon, degrees (90 − zenith).
    pub elevation: f64,
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day, 1–31.
    pub day: u32,
}

impl std::str::FromStr for Date {
    type Err = SiteError;

    /// `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<Self> {
        let bad = || SiteError::invalid("date", format!("{s:?}: expected YYYY-MM-DD"));
        let mut it = s.split('-');
        let (Some(y), Some(m), Some(d), None) = (it.next(), it.next(), it.next(), it.next()) else {
            return Err(bad());
        };
        let date = Self {
            year: y.parse().map_err(|_| bad())?,
            month: m.parse().map_err(|_| bad())?,
            day: d.parse().map_err(|_| bad())?,
        };
        let days = match date.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if date.year % 4 == 0 && (date.year % 100 != 0 || date.year % 400 == 0) => 29,
            2 => 28,
            _ => return Err(bad()),
        };
        if date.day == 0 || date.day > days {
            return Err(bad());
        }
        Ok(date)
    }
}

/// ΔT (TT − UT) for a month, seconds (Espenak & Meeus fits).
pub fn delta_t(date: Date) -> Result<f64> {
    solar_positioning::delta_t::estimate_from_date(date.year, date.month)
        .map_err(|e| SiteError::invalid("ΔT", e.to_string()))
}

/// The geometric sun position at a UTC instant (`seconds` after midnight
/// UTC of `date`, may run past 86 400 or below 0).
pub fn position(lat: f64, lon: f64, date: Date, seconds: f64) -> Result<SunPosition> {
    let err = |e: solar_positioning::Error| SiteError::invalid("sun position", e.to_string());
    let delta_t =
        solar_positioning::delta_t::estimate_from_date(date.year, date.month).map_err(err)?;
    let jd0 =
        JulianDate::from_utc(date.year, date.month, date.day, 0, 0, 0.0, delta_t).map_err(err)?;
    let jd = JulianDate::new(jd0.julian_date() + seconds / 86_400.0, delta_t).map_err(err)?;
    let p = SolarPositions::new()
        .at_from_julian(
            jd,
            Location {
                latitude: lat,
                longitude: lon,
            },
            0.0,
            None,
        )
        .map_err(err)?;
    Ok(SunPosition {
        azimuth: p.azimuth(),
        elevation: 90.0 - p.zenith_angle(),
    })
}

/// The sun over the local day of `date` at a site, every `step_minutes`
/// from local midnight (time zone: `utc_offset_hours`, by default the
/// longitude's nominal zone, `round(lon / 15)`), positions above the
/// horizon only, each weighted by the step.
pub fn day_path(
    lat: f64,
    lon: f64,
    date: Date,
    utc_offset_hours: Option<f64>,
    step_minutes: f64,
) -> Result<Vec<SunPosition>> {
    // at least 6 seconds: a smaller step would ask for millions of sun
    // positions (a step of 1e-300 minutes, for a capacity overflow)
    if !(0.1..=240.0).contains(&step_minutes) {
        return Err(SiteError::invalid("step", "expected 0.1 to 240 minutes"));
    }
    let offset = utc_offset_hours.unwrap_or_else(|| (lon / 15.0).round());
    if !(-14.0..=14.0).contains(&offset) {
        return Err(SiteError::invalid("UTC offset", "expected -14 to 14 hours"));
    }
    let steps = (24.0 * 60.0 / step_minutes).round() as usize;
    let mut out = Vec::with_capacity(steps);
    for k in 0..steps {
        // the middle of each step, local time → UTC
        let local = (k as f64 + 0.5) * step_minutes * 60.0;
        let p = position(lat, lon, date, local - offset * 3600.0)?;
        if p.elevation > 0.0 {
            out.push(p);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spa_papers_example() {
        // Reda & Andreas, table A5.1: 2003-10-17 12:30:30 local (UT-7),
        // 39.742476 N, 105.1786 W: azimuth 194.34024°, zenith 50.11162° (with
        // refraction at 820 mb and 1 830 m; geometric here, about 0.016°
        // more)
        let d = Date {
            year: 2003,
            month: 10,
            day: 17,
        };
        let p = position(
            39.742_476,
            -105.1786,
            d,
            (19.0 * 3600.0) + 30.0 * 60.0 + 30.0,
        )
        .unwrap();
        assert!((90.0 - p.elevation - 50.11162).abs() < 0.02, "{p:?}");
        assert!((p.azimuth - 194.34024).abs() < 1e-3, "{p:?}");
    }

    #[test]
    fn dates_and_day_paths() {
        assert!("2025-02-29".parse::<Date>().is_err());
        assert!("2024-02-29".parse::<Date>().is_ok());
        assert!("2024-13-01".parse::<Date>().is_err());
        let d: Date = "2025-06-21".parse().unwrap();
        // about 15.5 h of daylight at 51.5 N on the solstice
        let path = day_path(51.5, 0.0, d, None, 15.0).unwrap();
        let hours = path.len() as f64 * 0.25;
        assert!((hours - 16.5).abs() < 0.6, "{hours}");
        assert!(path.iter().all(|p| p.elevation > 0.0));
    }
}
