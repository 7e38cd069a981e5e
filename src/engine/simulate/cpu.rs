//! Whether the simulation's hot loops (a batch's year, the percentiles'
//! passes) run through their copies compiled for AVX2. The copies are the
//! same source: the compiler vectorises wider, but Rust never fuses or
//! reorders floating-point operations, so both give the same bits (the
//! tests run both and compare).

#[cfg(test)]
use std::cell::Cell;

#[cfg(test)]
thread_local! {
    /// Set by [`generic_only`]: the copies for any processor, on this thread.
    static GENERIC_ONLY: Cell<bool> = const { Cell::new(false) };
}

/// True when the processor has AVX2 (detected once, then cached by the
/// standard library).
pub(super) fn has_avx2() -> bool {
    #[cfg(test)]
    if GENERIC_ONLY.with(Cell::get) {
        return false;
    }
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Runs `f` with the copies for any processor on this thread.
#[cfg(test)]
pub(super) fn generic_only<T>(f: impl FnOnce() -> T) -> T {
    GENERIC_ONLY.with(|g| g.set(true));
    let out = f();
    GENERIC_ONLY.with(|g| g.set(false));
    out
}
