//! `catalogType` slugs, their aliases, and the service's `types` / `include`
//! query filters.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::ModelError;
use crate::json::{FromJson, ToJson, open_enum};

open_enum! {
    /// The canonical `catalogType` values.
    pub enum CatalogType {
        /// A tree (polygon of the canopy, or a point).
        Tree = "tree",
        /// A hedge row.
        Hedge = "hedge",
        /// A fence.
        Fence = "fence",
        /// A swimming pool, spa or hot tub.
        Pool = "pool",
        /// A parked vehicle.
        Vehicle = "vehicle",
        /// A shed, detached garage, gazebo, pergola or outbuilding.
        Structure = "structure",
        /// A sports court or other amenity.
        Amenity = "amenity",
        /// A driveway.
        Driveway = "driveway",
        /// A patio, deck, walkway or hot tub surface.
        Surface = "surface",
        /// The parcel boundary (`?include=parcel`).
        Parcel = "parcel",
        /// The primary building footprint (`?include=building`).
        Building = "building",
    }
}

impl CatalogType {
    /// Resolves a slug as the service might spell it, aliases included:
    /// case, spaces and hyphens are folded, and `swimming pool`, `shrub_row`,
    /// `privacy_hedge` (the aliases the service documents) map to their canonical type.
    pub fn resolve(slug: &str) -> Self {
        let exact = Self::from(slug);
        if exact.is_known() {
            return exact;
        }
        let folded: String = slug
            .trim()
            .chars()
            .map(|c| {
                if c == ' ' || c == '-' {
                    '_'
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect();
        match folded.as_str() {
            "swimming_pool" => Self::Pool,
            "shrub_row" | "privacy_hedge" => Self::Hedge,
            _ => Self::from(folded),
        }
    }

    /// Whether the service detects this type (it carries `attrs`, `confidence`
    /// and `source`), as opposed to the included `parcel` / `building`.
    pub fn is_detected(&self) -> bool {
        !matches!(self, Self::Parcel | Self::Building | Self::Other(_))
    }

    /// The URL category (`?types=`) this type belongs to.
    pub fn category(&self) -> Option<Category> {
        Some(match self {
            Self::Tree => Category::Trees,
            Self::Hedge => Category::Hedges,
            Self::Fence => Category::Fences,
            Self::Pool => Category::Pools,
            Self::Vehicle => Category::Vehicles,
            Self::Structure => Category::Structures,
            Self::Amenity => Category::Amenities,
            Self::Driveway | Self::Surface => Category::Surfaces,
            Self::Parcel | Self::Building | Self::Other(_) => return None,
        })
    }
}

/// A `catalogType` as sent: its canonical type plus the original spelling when
/// that was an alias (written back unchanged on output).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CatalogSlug {
    canonical: CatalogType,
    spelling: Option<String>,
}

impl CatalogSlug {
    /// A slug with the canonical spelling.
    pub fn new(canonical: CatalogType) -> Self {
        Self {
            canonical,
            spelling: None,
        }
    }

    /// Parses a wire value, remembering a non-canonical spelling.
    pub fn parse(wire: &str) -> Self {
        let canonical = CatalogType::resolve(wire);
        let spelling = (canonical.as_str() != wire).then(|| wire.to_owned());
        Self {
            canonical,
            spelling,
        }
    }

    /// The canonical type (aliases resolved).
    pub fn canonical(&self) -> &CatalogType {
        &self.canonical
    }

    /// The spelling as sent (the alias, or the canonical slug).
    pub fn as_sent(&self) -> &str {
        self.spelling.as_deref().unwrap_or(self.canonical.as_str())
    }

    /// Whether the wire spelling was an alias of a known type.
    pub fn is_alias(&self) -> bool {
        self.spelling.is_some() && self.canonical.is_known()
    }
}

impl From<CatalogType> for CatalogSlug {
    fn from(t: CatalogType) -> Self {
        Self::new(t)
    }
}

impl fmt::Display for CatalogSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_sent())
    }
}

impl FromJson for CatalogSlug {
    fn from_json(value: serde_json::Value) -> Result<Self, serde_json::Value> {
        match value {
            serde_json::Value::String(s) => Ok(Self::parse(&s)),
            other => Err(other),
        }
    }
    const EXPECTED: &'static str = "a string";
}

impl ToJson for CatalogSlug {
    fn to_json(&self) -> serde_json::Value {
        serde_json::Value::String(self.as_sent().to_owned())
    }
}

impl Serialize for CatalogSlug {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_sent())
    }
}

impl<'de> Deserialize<'de> for CatalogSlug {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| Self::parse(&s))
    }
}

/// A `?types=` category (the plural URL form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// `trees`
    Trees,
    /// `hedges`
    Hedges,
    /// `fences`
    Fences,
    /// `pools`
    Pools,
    /// `vehicles`
    Vehicles,
    /// `structures`
    Structures,
    /// `amenities`
    Amenities,
    /// `surfaces`: driveways and surfaces.
    Surfaces,
}

impl Category {
    /// Every category.
    pub const ALL: [Self; 8] = [
        Self::Trees,
        Self::Hedges,
        Self::Fences,
        Self::Pools,
        Self::Vehicles,
        Self::Structures,
        Self::Amenities,
        Self::Surfaces,
    ];

    /// The URL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Trees => "trees",
            Self::Hedges => "hedges",
            Self::Fences => "fences",
            Self::Pools => "pools",
            Self::Vehicles => "vehicles",
            Self::Structures => "structures",
            Self::Amenities => "amenities",
            Self::Surfaces => "surfaces",
        }
    }

    /// Whether a feature of this catalog type is in the category.
    pub fn matches(self, t: &CatalogType) -> bool {
        t.category() == Some(self)
    }
}

impl FromStr for Category {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, ModelError> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s.trim())
            .ok_or_else(|| ModelError::InvalidFilter {
                param: "types",
                value: s.to_owned(),
                expected: "trees, hedges, fences, pools, vehicles, structures, amenities, surfaces",
            })
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An `?include=` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Include {
    /// `parcel`
    Parcel,
    /// `building`
    Building,
}

impl Include {
    /// The URL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Parcel => "parcel",
            Self::Building => "building",
        }
    }
}

impl FromStr for Include {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, ModelError> {
        match s.trim() {
            "parcel" => Ok(Self::Parcel),
            "building" => Ok(Self::Building),
            _ => Err(ModelError::InvalidFilter {
                param: "include",
                value: s.to_owned(),
                expected: "parcel, building",
            }),
        }
    }
}

impl fmt::Display for Include {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The service's feature filter: `types` (absent = every detected category)
/// plus `include` (parcel and/or building polygons).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeatureFilter {
    /// `?types=`: `None` keeps every detected feature.
    pub types: Option<Vec<Category>>,
    /// `?include=`: which boundary polygons to keep.
    pub include: Vec<Include>,
}

impl FeatureFilter {
    /// Parses the query values as the service takes them
    /// (`"trees,structures"`, `"parcel,building"`); empty items are ignored.
    pub fn parse(types: Option<&str>, include: Option<&str>) -> Result<Self, ModelError> {
        let split = |s: &str| -> Vec<String> {
            s.split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let types = types
            .map(|t| {
                split(t)
                    .iter()
                    .map(|p| p.parse())
                    .collect::<Result<Vec<Category>, _>>()
            })
            .transpose()?;
        let include = include
            .map(|t| {
                split(t)
                    .iter()
                    .map(|p| p.parse())
                    .collect::<Result<Vec<Include>, _>>()
            })
            .transpose()?
            .unwrap_or_default();
        Ok(Self { types, include })
    }

    /// A filter that keeps everything, boundary polygons included.
    pub fn everything() -> Self {
        Self {
            types: None,
            include: vec![Include::Parcel, Include::Building],
        }
    }

    /// Whether a feature with this `catalogType` (or none) passes. Features
    /// with no or an unknown `catalogType` are opaque: kept unless `types`
    /// narrows the selection.
    pub fn keeps(&self, t: Option<&CatalogType>) -> bool {
        match t {
            Some(CatalogType::Parcel) => self.include.contains(&Include::Parcel),
            Some(CatalogType::Building) => self.include.contains(&Include::Building),
            Some(t) if t.is_known() => self
                .types
                .as_ref()
                .is_none_or(|cs| cs.iter().any(|c| c.matches(t))),
            _ => self.types.is_none(),
        }
    }

    /// The query string the service takes for this filter (`types=…&include=…`).
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(t) = &self.types {
            let v: Vec<_> = t.iter().map(|c| c.as_str()).collect();
            parts.push(format!("types={}", v.join(",")));
        }
        if !self.include.is_empty() {
            let v: Vec<_> = self.include.iter().map(|c| c.as_str()).collect();
            parts.push(format!("include={}", v.join(",")));
        }
        parts.join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve_and_keep_their_spelling() {
        for (wire, canon) in [
            ("swimming pool", CatalogType::Pool),
            ("shrub_row", CatalogType::Hedge),
            ("privacy_hedge", CatalogType::Hedge),
            ("Tree", CatalogType::Tree),
            ("pool", CatalogType::Pool),
        ] {
            let s = CatalogSlug::parse(wire);
            assert_eq!(s.canonical(), &canon, "{wire}");
            assert_eq!(s.as_sent(), wire);
            assert_eq!(s.to_json(), serde_json::Value::String(wire.into()));
        }
        assert!(!CatalogSlug::parse("pool").is_alias());
        assert!(CatalogSlug::parse("swimming pool").is_alias());
        let odd = CatalogSlug::parse("solar_array");
        assert_eq!(odd.canonical(), &CatalogType::Other("solar_array".into()));
        assert_eq!(odd.as_sent(), "solar_array");
    }

    #[test]
    fn filters_follow_the_service_rules() {
        let f = FeatureFilter::parse(Some("trees, surfaces"), Some("parcel")).unwrap();
        assert!(f.keeps(Some(&CatalogType::Tree)));
        assert!(f.keeps(Some(&CatalogType::Driveway)));
        assert!(f.keeps(Some(&CatalogType::Surface)));
        assert!(!f.keeps(Some(&CatalogType::Pool)));
        assert!(f.keeps(Some(&CatalogType::Parcel)));
        assert!(!f.keeps(Some(&CatalogType::Building)));
        assert!(!f.keeps(None));
        let all = FeatureFilter::parse(None, None).unwrap();
        assert!(all.keeps(Some(&CatalogType::Pool)));
        assert!(all.keeps(Some(&CatalogType::Other("x".into()))));
        assert!(!all.keeps(Some(&CatalogType::Parcel)));
        assert_eq!(f.to_query(), "types=trees,surfaces&include=parcel");
    }

    #[test]
    fn bad_filter_values_are_typed_errors() {
        let e = FeatureFilter::parse(Some("trees,ufos"), None).unwrap_err();
        assert!(
            matches!(e, ModelError::InvalidFilter { param: "types", ref value, .. } if value == "ufos")
        );
        let e = FeatureFilter::parse(None, Some("roof")).unwrap_err();
        assert!(matches!(
            e,
            ModelError::InvalidFilter {
                param: "include",
                ..
            }
        ));
    }
}
