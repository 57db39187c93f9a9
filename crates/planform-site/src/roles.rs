//! Side roles from street frontage: front, rear, interior and exterior
//! side, and each side's relation (left/right/front/back) as seen from the
//! street.
//!
//! The rules, in order:
//! 1. no street side and no front given: every role `unknown` (nothing
//!    decides it);
//! 2. the front is the street side (one street: a mid-block lot); with
//!    several, the shortest (a corner lot fronts on its shorter frontage),
//!    unless an index is given (a driveway or the garage face decides);
//! 3. another street side facing away from the front (outward normals more
//!    than 135° apart) is a rear (a through lot); any other street side is
//!    an exterior side (a corner lot);
//! 4. without a street rear, the rear is the non-street side facing most
//!    directly away from the front;
//! 5. every other side is an interior side.

use geo_types::Coord;
use planform_model::analysis::{SideRelation, SideRole};

use crate::sides::SideGeom;

/// A side's role and its relation as seen from the street.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assigned {
    /// front / rear / interior / exterior / unknown.
    pub role: SideRole,
    /// front / back / left / right (`None` with an unknown role).
    pub relation: Option<SideRelation>,
}

/// The outward unit normal of a side's chord.
pub(crate) fn outward(s: &SideGeom, ccw: bool) -> Coord<f64> {
    let (a, b) = (s.points[0], s.points[s.points.len() - 1]);
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let l = dx.hypot(dy).max(1e-12);
    // right of travel is outside a counter-clockwise ring
    if ccw {
        Coord {
            x: dy / l,
            y: -dx / l,
        }
    } else {
        Coord {
            x: -dy / l,
            y: dx / l,
        }
    }
}

fn dot(a: Coord<f64>, b: Coord<f64>) -> f64 {
    a.x * b.x + a.y * b.y
}

/// Assigns roles to a parcel's sides (ring order) given which face a
/// street; `front_hint` names the front among them when something else
/// (a driveway, the garage face) decides it.
pub fn assign(sides: &[SideGeom], street: &[bool], front_hint: Option<usize>) -> Vec<Assigned> {
    let unknown = || Assigned {
        role: SideRole::Unknown,
        relation: None,
    };
    let streets: Vec<usize> = (0..sides.len()).filter(|i| street[*i]).collect();
    if sides.len() < 3 || (streets.is_empty() && front_hint.is_none()) {
        return vec![unknown(); sides.len()];
    }
    let ccw = crate::geom::is_ccw(&crate::sides::ring(sides));
    let normals: Vec<Coord<f64>> = sides.iter().map(|s| outward(s, ccw)).collect();
    let Some(front) = front_hint.filter(|i| *i < sides.len()).or_else(|| {
        streets
            .iter()
            .copied()
            .min_by(|a, b| sides[*a].length().total_cmp(&sides[*b].length()))
    }) else {
        return vec![unknown(); sides.len()];
    };
    let nf = normals[front];
    let facing_away = |i: usize| dot(normals[i], nf) < (135f64).to_radians().cos();
    let mut roles = vec![SideRole::Interior; sides.len()];
    roles[front] = SideRole::Front;
    for &i in &streets {
        if i != front {
            roles[i] = if facing_away(i) {
                SideRole::Rear
            } else {
                SideRole::Exterior
            };
        }
    }
    if !roles.contains(&SideRole::Rear) {
        let rear = (0..sides.len())
            .filter(|i| roles[*i] == SideRole::Interior)
            .min_by(|a, b| dot(normals[*a], nf).total_cmp(&dot(normals[*b], nf)));
        if let Some(r) = rear.filter(|r| dot(normals[*r], nf) < 0.0) {
            roles[r] = SideRole::Rear;
        }
    }
    // relations: facing into the lot from the front
    let into = Coord { x: -nf.x, y: -nf.y };
    let right = Coord {
        x: into.y,
        y: -into.x,
    };
    let mf = sides[front].midpoint();
    roles
        .into_iter()
        .enumerate()
        .map(|(i, role)| {
            let relation = match role {
                SideRole::Front => SideRelation::Front,
                SideRole::Rear => SideRelation::Back,
                _ => {
                    let m = sides[i].midpoint();
                    if dot(
                        Coord {
                            x: m.x - mf.x,
                            y: m.y - mf.y,
                        },
                        right,
                    ) >= 0.0
                    {
                        SideRelation::Right
                    } else {
                        SideRelation::Left
                    }
                }
            };
            Assigned {
                role,
                relation: Some(relation),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sides::split_sides;

    fn lot() -> Vec<SideGeom> {
        // 20 m wide (x), 40 m deep (y); ring counter-clockwise from (0, 0)
        let ring = crate::sides::rect_ring(0.0, 0.0, 20.0, 40.0);
        split_sides(&ring, 15f64.to_radians())
    }

    fn roles(a: &[Assigned]) -> Vec<&str> {
        a.iter().map(|x| x.role.as_str()).collect()
    }

    #[test]
    fn mid_block_corner_through_and_landlocked_lots() {
        let s = lot();
        // sides: 0 east (x=20), 1 north, 2 west, 3 south (the ring starts at a corner)
        let south = s
            .iter()
            .position(|x| x.points[0].y == 0.0 && x.points[1].y == 0.0)
            .unwrap();
        let east = s
            .iter()
            .position(|x| x.points[0].x == 20.0 && x.points[1].x == 20.0)
            .unwrap();
        let north = s
            .iter()
            .position(|x| x.points[0].y == 40.0 && x.points[1].y == 40.0)
            .unwrap();
        let mut street = vec![false; 4];
        street[south] = true;
        let a = assign(&s, &street, None);
        assert_eq!(a[south].role, SideRole::Front);
        assert_eq!(a[north].role, SideRole::Rear);
        assert_eq!(a[east].role, SideRole::Interior);
        // standing on the south street looking north, east is on the right
        assert_eq!(a[east].relation, Some(SideRelation::Right));
        // corner: the shorter frontage (20 m south) is the front
        street[east] = true;
        let a = assign(&s, &street, None);
        assert_eq!(a[south].role, SideRole::Front);
        assert_eq!(a[east].role, SideRole::Exterior);
        assert_eq!(roles(&a).iter().filter(|r| **r == "rear").count(), 1);
        // a driveway on the east side decides otherwise
        let a = assign(&s, &street, Some(east));
        assert_eq!(a[east].role, SideRole::Front);
        assert_eq!(a[south].role, SideRole::Exterior);
        // through lot
        let mut street = vec![false; 4];
        street[south] = true;
        street[north] = true;
        let a = assign(&s, &street, None);
        assert_eq!(a[north].role, SideRole::Rear);
        assert_eq!(a[east].role, SideRole::Interior);
        // nothing decides
        assert!(
            assign(&s, &[false; 4], None)
                .iter()
                .all(|x| x.role == SideRole::Unknown)
        );
    }
}
