//! What the integration tests share: the real binary against an in-process emulator
//! (`cli_env`), deterministic app states (`fixtures`), a scripted loopback server (`stub`) and
//! the vendor's signing vectors (`vectors`).

pub mod accounts;
pub mod cli_env;
pub mod fixtures;
pub mod plans;
pub mod stub;
pub mod vectors;

/// The seed of a test's emulator faults: `ARK_ASSETS_FAULT_SEED` when set, else one drawn. A
/// failing test names it on stderr, so the run's faults can be rolled again.
pub struct FaultSeed(pub u64);

impl FaultSeed {
    /// The seed for this test.
    pub fn new() -> FaultSeed {
        let given = std::env::var("ARK_ASSETS_FAULT_SEED").ok();
        FaultSeed(given.map_or_else(rand::random, |s| {
            s.parse().expect("ARK_ASSETS_FAULT_SEED is a number")
        }))
    }
}

impl Drop for FaultSeed {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "the emulator's faults were rolled from seed {0}: ARK_ASSETS_FAULT_SEED={0} rolls \
                 them again",
                self.0
            );
        }
    }
}
