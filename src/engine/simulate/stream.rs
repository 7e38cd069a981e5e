//! The random-stream rule: which numbers each path draws, so that a path's
//! record depends on nothing but the setup, the seed and its number (never
//! on the thread that runs it or on the other paths).
//!
//! Path `p` of a run seeded with `seed` draws from its own Xoshiro256++
//! generator, whose 256-bit state is the four SplitMix64 outputs number
//! `4p + 1 ..= 4p + 4` of a SplitMix64 sequence started at `seed` (each
//! word little-endian). SplitMix64's output is a bijection of its counter,
//! so no two paths of a run share a state word. Both algorithms are fixed
//! published definitions (Vigna; Steele, Lea and Flood), so the streams do
//! not change with crate updates; `rand_xoshiro` is pinned in Cargo.lock.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator the paths draw from.
pub type PathRng = Xoshiro256PlusPlus;

/// SplitMix64's increment (the golden ratio in 64 bits).
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's output for counter value `x` (its finaliser).
fn mix(x: u64) -> u64 {
    let mut z = x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator of path number `path` in a run seeded with `seed`: the
/// stream that path draws from (see the module's rule).
#[must_use]
pub fn path_rng(seed: u64, path: u64) -> PathRng {
    let mut bytes = [0u8; 32];
    for (i, word) in bytes.chunks_exact_mut(8).enumerate() {
        let n = path.wrapping_mul(4).wrapping_add(i as u64 + 1);
        word.copy_from_slice(&mix(seed.wrapping_add(n.wrapping_mul(GAMMA))).to_le_bytes());
    }
    PathRng::from_seed(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, RngExt};
    use rand_distr::StandardNormal;

    /// The first outputs of SplitMix64 seeded with 1234567, as listed by
    /// Rosetta Code's SplitMix64 task (from the reference C code), and of the
    /// resulting Xoshiro256++ stream, pinned so that a crate update cannot
    /// change every simulation silently.
    #[test]
    fn the_streams_are_the_published_algorithms() {
        let sm = |n: u64| mix(1_234_567u64.wrapping_add(n.wrapping_mul(GAMMA)));
        assert_eq!(sm(1), 6_457_827_717_110_365_317);
        assert_eq!(sm(2), 3_203_168_211_198_807_973);
        assert_eq!(sm(3), 9_817_491_932_198_370_423);
        let mut rng = path_rng(1_234_567, 0);
        let first: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        let (s0, s3) = (sm(1), sm(4));
        // Xoshiro256++: the first output is rotl(s0 + s3, 23) + s0.
        assert_eq!(
            first[0],
            s0.wrapping_add(s3).rotate_left(23).wrapping_add(s0)
        );
        assert_ne!(path_rng(1_234_567, 1).next_u64(), first[0]);
    }

    /// The first draws of a stream as the paths take them (a standard
    /// normal, then a uniform), recorded: a crate update that changed the
    /// normal sampler or the uniform conversion would change every
    /// simulation, and must fail here first.
    #[test]
    fn the_first_draws_of_a_stream_are_recorded() {
        let mut rng = path_rng(20_261_128, 3);
        let z: f64 = rng.sample(StandardNormal);
        let u: f64 = rng.random();
        assert_eq!(
            (z.to_bits(), u.to_bits()),
            (4_606_189_039_415_704_555, 4_597_211_715_980_081_484),
            "z {z}, u {u}"
        );
    }
}
