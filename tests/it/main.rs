//! The integration tests, one binary (the crate and its heavy dev-dependencies link once),
//! a module per concern; `support` holds what they share.

mod support;

mod app_update;
mod architecture;
mod cli;

mod client_wire;
mod copy_pull;
mod doctor;
mod emulator_e2e;
mod faults;
mod fit;
mod fuzz;
mod hostile;
mod ledger;
mod lenient;
mod list_pane;
mod media;
mod media_reads;
mod pty_demo;
mod real_service;
mod secrets;
mod sign_vectors;
mod storage;
mod sync_edges;
mod tasks;
mod tiers;
mod ui_snapshots;
mod uploads;
mod validate_images;
mod vendor_requests;
mod verify;
mod workflow;
