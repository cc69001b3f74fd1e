//! Logging (tracing, to stderr) and progress bars that do not fight it: bars
//! are drawn by tracing-indicatif above the log lines, and only on a terminal.

use indicatif::ProgressStyle;
use std::io::IsTerminal;
use std::path::Path;
use tracing::Span;
use tracing_indicatif::span_ext::IndicatifSpanExt;
use tracing_indicatif::IndicatifLayer;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::EnvFilter;

pub fn init_logging(default_filter: &str) {
    // sqlx logs every PostgreSQL notice ("schema already exists, skipping")
    // at info; keep those out of an operator's way unless asked for.
    let configured = if default_filter.contains("sqlx") {
        default_filter.to_string()
    } else {
        format!("{default_filter},sqlx=warn")
    };
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&configured))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let indicatif = IndicatifLayer::new().with_progress_style(
        ProgressStyle::with_template("{span_child_prefix}{spinner} {span_name} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let fmt = tracing_subscriber::fmt::layer()
        .with_writer(indicatif.get_stderr_writer())
        .with_target(false)
        .with_ansi(std::io::stderr().is_terminal())
        .compact();
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(fmt)
        .with(indicatif)
        .try_init();
}

/// A byte-progress bar for an import, attached to a tracing span.
#[derive(Debug)]
pub struct ImportBar {
    span: Span,
}

impl ImportBar {
    pub fn new(total_bytes: u64) -> ImportBar {
        let span = tracing::info_span!("import");
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} importing [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta}) {msg}",
        ) {
            span.pb_set_style(&style.progress_chars("=> "));
        }
        span.pb_set_length(total_bytes);
        // tracing-indicatif shows the bar from the span's first entry until
        // the span closes, i.e. until this ImportBar is dropped.
        span.in_scope(|| {});
        ImportBar { span }
    }
}

impl huiwen_pipeline::ImportProgress for ImportBar {
    fn file_started(&self, path: &Path, _bytes: u64) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.span.pb_set_message(&name);
    }

    fn advanced(&self, bytes: u64, _records: u64) {
        self.span.pb_inc(bytes);
    }
}

/// A count-progress bar (sources fetched of sources claimed so far).
#[derive(Debug)]
pub struct CountBar {
    span: Span,
}

impl CountBar {
    pub fn new(what: &str) -> CountBar {
        let span = tracing::info_span!("round");
        if let Ok(style) = ProgressStyle::with_template(&format!(
            "{{spinner}} {what} [{{bar:30}}] {{pos}}/{{len}} {{msg}}"
        )) {
            span.pb_set_style(&style.progress_chars("=> "));
        }
        span.pb_set_length(0);
        span.in_scope(|| {});
        CountBar { span }
    }
}

impl huiwen_pipeline::RoundProgress for CountBar {
    fn claimed(&self, sources: usize) {
        self.span.pb_inc_length(sources as u64);
    }

    fn finished(&self, source: &huiwen_core::Source, _outcome: &huiwen_pipeline::SourceOutcome) {
        self.span.pb_set_message(&source.name);
        self.span.pb_inc(1);
    }
}
