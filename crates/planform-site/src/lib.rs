//! planform-site: Parcel sides and roles, yards, setbacks, buildable envelope, shade, lot grade, fence layout.
//!
//! This crate is a placeholder in the workspace so that the facade and the
//! examples compile; its issue fills it in. It depends only on
//! `planform-model`, as DESIGN.md requires.

pub use planform_model as model;
