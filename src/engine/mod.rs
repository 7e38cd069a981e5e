//! The yield engine: pure functions from a resolved portfolio to report data.
//!
//! Nothing in here reads files, prints, or depends on the command line; the
//! same input always gives the same output. Where is each thing computed?
//! `allocate` splits money exactly, `plan` blends yields and checks the goal,
//! `lints` names what is wrong, `check` turns a plan into pass or fail.

pub mod allocate;
pub mod check;
pub mod il;
pub mod lints;
pub mod plan;
pub mod project;
pub mod risk;
pub mod simulate;
pub mod stress;

pub use plan::{PlanReport, plan};
