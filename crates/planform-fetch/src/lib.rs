//! # planform-fetch
//!
//! The one crate of planform that touches the network: typed clients for
//! the Floor Plan API, GetSitePlan.ai and ideal.house, sharing one retry
//! policy ([`retry`]) and one error type ([`FetchError`]).

pub mod client;
pub mod error;
pub mod floorplan;
pub mod getsiteplan;
pub mod http;
pub mod idealhouse;
pub mod retry;
pub mod sanitize;

pub use client::{Api, Sleeper, ThreadSleeper};
pub use error::{Context, FetchError, Result};
pub use floorplan::{FloorPlanApi, Image, Job, Segmentation};
pub use getsiteplan::{GetSitePlan, JobState, JobStatus, WaitOptions};
pub use http::{Method, Request, Response, Transport, TransportError, UreqTransport};
pub use idealhouse::{HousePlanBrief, IdealHouse, TaskId};
pub use planform_model as model;
pub use retry::{Decision, Outcome, RetryPolicy};
