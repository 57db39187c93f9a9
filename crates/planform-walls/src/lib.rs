//! planform-walls: Wall-mask PNG to wall graph (centrelines with thickness) and outlines.
//!
//! This crate is a placeholder in the workspace so that the facade and the
//! examples compile; its issue fills it in. It depends only on
//! `planform-model`, as DESIGN.md requires.

pub use planform_model as model;
