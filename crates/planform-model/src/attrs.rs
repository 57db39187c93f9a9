//! Typed `properties.attrs` per `catalogType`, as the service documents them.
//!
//! Every field is optional ("absence means not detected"); numbers keep their
//! wire unit in the field name (`height_ft` is feet) and SI helpers convert.
//! Unknown enum values are kept as `Other`, unknown members in `extra`.

use serde_json::Number;

use crate::catalog::CatalogType;
use crate::json::{Object, num_f64, open_enum, open_record};
use crate::units::{FT_TO_M, SQFT_TO_SQM};

open_enum! {
    /// Tree species class (vision QA).
    pub enum Species {
        /// `deciduous`
        Deciduous = "deciduous",
        /// `evergreen`
        Evergreen = "evergreen",
        /// `palm`
        Palm = "palm",
        /// `unknown`
        Unknown = "unknown",
    }
}

open_enum! {
    /// Fence material.
    pub enum FenceMaterial {
        /// `wood`
        Wood = "wood",
        /// `vinyl`
        Vinyl = "vinyl",
        /// `chain_link`
        ChainLink = "chain_link",
        /// `wrought_iron`
        WroughtIron = "wrought_iron",
        /// `masonry`
        Masonry = "masonry",
        /// `composite`
        Composite = "composite",
        /// `unknown`
        Unknown = "unknown",
    }
}

open_enum! {
    /// Pool installation type.
    pub enum PoolKind {
        /// `in_ground`
        InGround = "in_ground",
        /// `above_ground`
        AboveGround = "above_ground",
        /// `spa`
        Spa = "spa",
        /// `unknown`
        Unknown = "unknown",
    }
}

open_enum! {
    /// Pool plan-view shape.
    pub enum PoolShape {
        /// `rectangular`
        Rectangular = "rectangular",
        /// `kidney`
        Kidney = "kidney",
        /// `freeform`
        Freeform = "freeform",
        /// `lap`
        Lap = "lap",
        /// `round`
        Round = "round",
        /// `oval`
        Oval = "oval",
        /// `unknown`
        Unknown = "unknown",
    }
}

open_enum! {
    /// Vehicle body style (`attrs.type`).
    pub enum VehicleType {
        /// `sedan`
        Sedan = "sedan",
        /// `suv`
        Suv = "suv",
        /// `pickup`
        Pickup = "pickup",
        /// `truck`
        Truck = "truck",
        /// `unknown`
        Unknown = "unknown",
    }
}

open_enum! {
    /// Structure sub-kind.
    pub enum StructureKind {
        /// `shed`
        Shed = "shed",
        /// `garage`
        Garage = "garage",
        /// `gazebo`
        Gazebo = "gazebo",
        /// `pergola`
        Pergola = "pergola",
        /// `outbuilding`
        Outbuilding = "outbuilding",
        /// `unknown`
        Unknown = "unknown",
    }
}

open_enum! {
    /// Amenity sub-kind.
    pub enum AmenityKind {
        /// `tennis_court`
        TennisCourt = "tennis_court",
        /// `basketball_court`
        BasketballCourt = "basketball_court",
        /// `amenity` (generic)
        Amenity = "amenity",
    }
}

open_enum! {
    /// Driveway / surface material.
    pub enum SurfaceMaterial {
        /// `concrete`
        Concrete = "concrete",
        /// `asphalt`
        Asphalt = "asphalt",
        /// `pavers`
        Pavers = "pavers",
        /// `gravel`
        Gravel = "gravel",
        /// `dirt`
        Dirt = "dirt",
        /// `unknown`
        Unknown = "unknown",
    }
}

open_enum! {
    /// Surface sub-kind (`properties.kind` on `surface` features).
    pub enum SurfaceKind {
        /// `patio`
        Patio = "patio",
        /// `deck`
        Deck = "deck",
        /// `walkway`
        Walkway = "walkway",
        /// `hot_tub`
        HotTub = "hot_tub",
    }
}

open_enum! {
    /// Roof topology (vision QA).
    pub enum RoofType {
        /// `gable`
        Gable = "gable",
        /// `hip`
        Hip = "hip",
        /// `flat`
        Flat = "flat",
        /// `shed`
        Shed = "shed",
        /// `unknown`
        Unknown = "unknown",
    }
}

open_enum! {
    /// Architectural style (vision QA).
    pub enum ArchitecturalStyle {
        /// `modern`
        Modern = "modern",
        /// `contemporary`
        Contemporary = "contemporary",
        /// `traditional`
        Traditional = "traditional",
        /// `colonial`
        Colonial = "colonial",
        /// `craftsman`
        Craftsman = "craftsman",
        /// `ranch`
        Ranch = "ranch",
        /// `mediterranean`
        Mediterranean = "mediterranean",
        /// `unknown`
        Unknown = "unknown",
    }
}

open_record! {
    /// `tree` attrs.
    pub struct TreeAttrs {
        /// Height in metres above ground (DSM-derived).
        height_m: Number = "heightM",
        /// Species class.
        species: Species = "species",
        /// Canopy radius in metres.
        canopy_radius_m: Number = "canopyRadiusM",
    }
}

open_record! {
    /// `hedge` attrs.
    pub struct HedgeAttrs {
        /// Run length in feet.
        length_ft: Number = "lengthFt",
        /// Mean height in feet.
        height_ft: Number = "heightFt",
    }
}

open_record! {
    /// `fence` attrs.
    pub struct FenceAttrs {
        /// Material.
        material: FenceMaterial = "material",
        /// Height in feet.
        height_ft: Number = "heightFt",
    }
}

open_record! {
    /// `pool` attrs.
    pub struct PoolAttrs {
        /// Installation type.
        kind: PoolKind = "kind",
        /// Plan-view shape.
        shape: PoolShape = "shape",
        /// Surface area in square feet.
        area_sq_ft: Number = "areaSqFt",
        /// Whether a perimeter fence was detected.
        fenced: bool = "fenced",
    }
}

open_record! {
    /// `vehicle` attrs.
    pub struct VehicleAttrs {
        /// Body style.
        vehicle_type: VehicleType = "type",
    }
}

open_record! {
    /// `structure` attrs.
    pub struct StructureAttrs {
        /// Sub-kind.
        kind: StructureKind = "kind",
        /// Height in metres above ground (DSM).
        height_m: Number = "heightM",
    }
}

open_record! {
    /// `amenity` attrs.
    pub struct AmenityAttrs {
        /// Sub-kind.
        kind: AmenityKind = "kind",
    }
}

open_record! {
    /// `driveway` and `surface` attrs.
    pub struct SurfaceAttrs {
        /// Material.
        material: SurfaceMaterial = "material",
    }
}

open_record! {
    /// `building` attrs (the rich `?include=building` variant).
    pub struct BuildingAttrs {
        /// Height in metres (DSM-derived).
        height_m: Number = "heightM",
        /// Story count.
        stories: Number = "stories",
        /// Roof topology.
        roof_type: RoofType = "roofType",
        /// Mean roof pitch in degrees.
        roof_slope: Number = "roofSlope",
        /// Cardinal aspect of the roof's downslope direction (free text, e.g. `south`).
        roof_aspect: String = "roofAspect",
        /// Index of the footprint edge that hosts the garage door.
        garage_face_edge_index: Number = "garageFaceEdgeIndex",
        /// Visible garage doors (0–4).
        garage_door_count: Number = "garageDoorCount",
        /// Architectural style.
        architectural_style: ArchitecturalStyle = "architecturalStyle",
        /// Whether solar panels were detected.
        has_solar_panels: bool = "hasSolarPanels",
    }
}

impl TreeAttrs {
    /// Height in metres.
    pub fn height(&self) -> Option<f64> {
        num_f64(self.height_m.as_ref())
    }
    /// Canopy radius in metres.
    pub fn canopy_radius(&self) -> Option<f64> {
        num_f64(self.canopy_radius_m.as_ref())
    }
}

impl HedgeAttrs {
    /// Height in metres (from `heightFt`).
    pub fn height_m(&self) -> Option<f64> {
        num_f64(self.height_ft.as_ref()).map(|v| v * FT_TO_M)
    }
    /// Run length in metres (from `lengthFt`).
    pub fn length_m(&self) -> Option<f64> {
        num_f64(self.length_ft.as_ref()).map(|v| v * FT_TO_M)
    }
}

impl FenceAttrs {
    /// Height in metres (from `heightFt`).
    pub fn height_m(&self) -> Option<f64> {
        num_f64(self.height_ft.as_ref()).map(|v| v * FT_TO_M)
    }
}

impl PoolAttrs {
    /// Area in square metres (from `areaSqFt`).
    pub fn area_sqm(&self) -> Option<f64> {
        num_f64(self.area_sq_ft.as_ref()).map(|v| v * SQFT_TO_SQM)
    }
}

impl StructureAttrs {
    /// Height in metres.
    pub fn height(&self) -> Option<f64> {
        num_f64(self.height_m.as_ref())
    }
}

impl BuildingAttrs {
    /// Height in metres.
    pub fn height(&self) -> Option<f64> {
        num_f64(self.height_m.as_ref())
    }
    /// The garage edge index, when it is a non-negative integer.
    pub fn garage_face_edge(&self) -> Option<usize> {
        self.garage_face_edge_index
            .as_ref()
            .and_then(Number::as_u64)
            .and_then(|v| usize::try_from(v).ok())
    }
}

/// `properties.attrs`, typed by the feature's `catalogType`.
#[derive(Debug, Clone, PartialEq)]
pub enum Attrs {
    /// `tree`
    Tree(TreeAttrs),
    /// `hedge`
    Hedge(HedgeAttrs),
    /// `fence`
    Fence(FenceAttrs),
    /// `pool`
    Pool(PoolAttrs),
    /// `vehicle`
    Vehicle(VehicleAttrs),
    /// `structure`
    Structure(StructureAttrs),
    /// `amenity`
    Amenity(AmenityAttrs),
    /// `driveway` or `surface`
    Surface(SurfaceAttrs),
    /// `building`
    Building(BuildingAttrs),
    /// `parcel`, an unknown `catalogType`, or none: kept as an opaque object.
    Other(Object),
}

impl Attrs {
    /// Types an attrs object by its feature's catalog type.
    pub fn from_object(t: Option<&CatalogType>, object: Object) -> Self {
        match t {
            Some(CatalogType::Tree) => Self::Tree(TreeAttrs::from_object(object)),
            Some(CatalogType::Hedge) => Self::Hedge(HedgeAttrs::from_object(object)),
            Some(CatalogType::Fence) => Self::Fence(FenceAttrs::from_object(object)),
            Some(CatalogType::Pool) => Self::Pool(PoolAttrs::from_object(object)),
            Some(CatalogType::Vehicle) => Self::Vehicle(VehicleAttrs::from_object(object)),
            Some(CatalogType::Structure) => Self::Structure(StructureAttrs::from_object(object)),
            Some(CatalogType::Amenity) => Self::Amenity(AmenityAttrs::from_object(object)),
            Some(CatalogType::Driveway | CatalogType::Surface) => {
                Self::Surface(SurfaceAttrs::from_object(object))
            }
            Some(CatalogType::Building) => Self::Building(BuildingAttrs::from_object(object)),
            _ => Self::Other(object),
        }
    }

    /// The attrs as a JSON object.
    pub fn to_object(&self) -> Object {
        match self {
            Self::Tree(a) => a.to_object(),
            Self::Hedge(a) => a.to_object(),
            Self::Fence(a) => a.to_object(),
            Self::Pool(a) => a.to_object(),
            Self::Vehicle(a) => a.to_object(),
            Self::Structure(a) => a.to_object(),
            Self::Amenity(a) => a.to_object(),
            Self::Surface(a) => a.to_object(),
            Self::Building(a) => a.to_object(),
            Self::Other(o) => o.clone(),
        }
    }

    /// Documented members with the wrong JSON type: `(member, expected)`.
    pub fn mistyped(&self) -> Vec<(&'static str, &'static str)> {
        match self {
            Self::Tree(a) => a.mistyped(),
            Self::Hedge(a) => a.mistyped(),
            Self::Fence(a) => a.mistyped(),
            Self::Pool(a) => a.mistyped(),
            Self::Vehicle(a) => a.mistyped(),
            Self::Structure(a) => a.mistyped(),
            Self::Amenity(a) => a.mistyped(),
            Self::Surface(a) => a.mistyped(),
            Self::Building(a) => a.mistyped(),
            Self::Other(_) => Vec::new(),
        }
    }
}

/// Attrs serialize as their record (or opaque object).
impl serde::Serialize for Attrs {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Tree(a) => a.serialize(s),
            Self::Hedge(a) => a.serialize(s),
            Self::Fence(a) => a.serialize(s),
            Self::Pool(a) => a.serialize(s),
            Self::Vehicle(a) => a.serialize(s),
            Self::Structure(a) => a.serialize(s),
            Self::Amenity(a) => a.serialize(s),
            Self::Surface(a) => a.serialize(s),
            Self::Building(a) => a.serialize(s),
            Self::Other(o) => o.serialize(s),
        }
    }
}

/// Typed access to one attrs variant: `feature.attrs::<TreeAttrs>()`.
pub trait CatalogAttrs: Sized {
    /// The variant's record, if `attrs` is of this type.
    fn from_attrs(attrs: &Attrs) -> Option<&Self>;
}

macro_rules! catalog_attrs {
    ($($ty:ident => $variant:ident),* $(,)?) => {$(
        impl CatalogAttrs for $ty {
            fn from_attrs(attrs: &Attrs) -> Option<&Self> {
                match attrs {
                    Attrs::$variant(a) => Some(a),
                    _ => None,
                }
            }
        }
    )*};
}

catalog_attrs! {
    TreeAttrs => Tree,
    HedgeAttrs => Hedge,
    FenceAttrs => Fence,
    PoolAttrs => Pool,
    VehicleAttrs => Vehicle,
    StructureAttrs => Structure,
    AmenityAttrs => Amenity,
    SurfaceAttrs => Surface,
    BuildingAttrs => Building,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn units_convert_to_si() {
        let h = HedgeAttrs::from_object(
            json!({"heightFt": 6, "lengthFt": 10.0})
                .as_object()
                .unwrap()
                .clone(),
        );
        assert!((h.height_m().unwrap() - 1.8288).abs() < 1e-12);
        assert!((h.length_m().unwrap() - 3.048).abs() < 1e-12);
        let p = PoolAttrs::from_object(json!({"areaSqFt": 100}).as_object().unwrap().clone());
        assert!((p.area_sqm().unwrap() - 9.290_304).abs() < 1e-9);
    }

    #[test]
    fn unknown_enum_values_are_kept() {
        let o = json!({"species": "baobab", "heightM": 8.4})
            .as_object()
            .unwrap()
            .clone();
        let a = Attrs::from_object(Some(&CatalogType::Tree), o.clone());
        let t = TreeAttrs::from_attrs(&a).unwrap();
        assert_eq!(t.species, Some(Species::Other("baobab".into())));
        assert!(!t.species.as_ref().unwrap().is_known());
        assert_eq!(a.to_object(), o);
    }
}
