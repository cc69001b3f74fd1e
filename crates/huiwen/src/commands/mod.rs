pub mod config;
pub mod demo;
pub mod import;
pub mod query;
pub mod source;
