//! What the integration tests share: the real binary against an in-process emulator
//! (`cli_env`), deterministic app states (`fixtures`), a scripted loopback server (`stub`) and
//! the vendor's signing vectors (`vectors`).

pub mod cli_env;
pub mod fixtures;
pub mod stub;
pub mod vectors;
