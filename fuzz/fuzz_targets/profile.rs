//! Arbitrary bytes as a profile: read, resolve, plan, render, stress, project.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    yieldplan::harness::profile_bytes(data);
});
