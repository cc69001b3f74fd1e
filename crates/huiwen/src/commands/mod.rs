pub mod config;
pub mod demo;
pub mod fetch;
pub mod import;
pub mod query;
pub mod source;
