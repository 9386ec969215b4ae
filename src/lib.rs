//! ark-assets: a terminal UI and CLI for Volcengine Ark / BytePlus ModelArk portrait assets.
//!
//! The library holds every module so that tests and benchmarks reach them; the binary in
//! `main.rs` only parses arguments and dispatches.

#![warn(unreachable_pub)]

pub mod api;
pub mod app;
pub mod catalog;
pub mod cli;
pub(crate) mod clipboard;
pub mod config;
pub mod doctor;
pub mod emulator;
pub mod files;
pub mod http;
pub mod ledger;
pub mod logging;
pub mod media;
pub mod open;
pub mod preview;
pub mod programs;
pub(crate) mod qr;
pub mod seedance;
pub mod storage;
pub mod text;
pub mod times;
pub mod tui;
pub mod ui;
pub mod validate;
