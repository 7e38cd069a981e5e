//! The yield engine: pure functions from a resolved portfolio to report data.
//!
//! Nothing in here reads files, prints, or depends on the command line; the
//! same input always gives the same output. Where is each thing computed?
//! `plan` blends yields and checks the goal
//! (its result types are in `plan_report`), `lints` names what is wrong (the
//! catalogue of names is in `lint_catalogue`), `check` turns a plan into pass
//! or fail, `il` prices impermanent loss, `risk` scores protocol risk and
//! spread, `project` and `simulate` look ahead, `stress` applies shocks.
//! `schema` holds what every report shares, `floats` the crossing from `f64`
//! maths to exact decimals.
//!
//! Imports run one way: `schema` and `floats` at the bottom, then `risk`,
//! `il` and `lint_catalogue`, then `plan_report`, then `lints`, then `plan`,
//! and the commands' engines (`check`, `project`, `simulate`, `stress`) on top.

pub mod check;
pub(crate) mod floats;
pub mod il;
pub mod lint_catalogue;
pub mod lints;
pub mod optimize;
pub mod payout;
pub mod plan;
pub mod plan_report;
pub mod project;
pub mod review;
pub mod risk;
pub use crate::schema;
pub mod simulate;
pub mod stress;
pub mod year;

pub use plan::plan;
pub use plan_report::PlanReport;
pub use schema::SCHEMA_VERSION;
