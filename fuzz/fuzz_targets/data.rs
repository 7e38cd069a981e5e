//! Arbitrary bytes as a rate-book extension and as a pools snapshot.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    yieldplan::harness::data_bytes(data);
});
