//! `optimize`: the mix that meets the income goal with the least risk (or
//! the most risk-adjusted income, or the least CVaR), under the profile's
//! bounds and the lint thresholds as caps.
//!
//! `problem` builds the linear program from a resolved portfolio and its
//! choices, `scenarios` draws the one-year returns min-CVaR needs, `solve`
//! solves it, `explain` says why no mix fits, `rounding` puts the weights on
//! a 0.01% grid, `verify` says from the plan of a rounded mix whether it
//! still keeps every row, `grid` searches the grid for the best mix that
//! does when rounding alone breaks one, and `report` holds the result
//! types. Pure: no I/O.

pub(crate) mod cuts;
pub mod explain;
pub mod grid;
pub mod problem;
pub mod report;
pub mod rounding;
pub mod scenarios;
mod solution;
pub mod solve;
pub mod verify;

pub use problem::{GoalBand, Limit, Objective, Problem, Row, Sense, build};
pub use report::{OptimizeReport, OptimizeStatus};
pub use solve::{Failure, Solved, elastic, rockafellar_uryasev, solve};
