//! The 2018 OPC PLC's console dialect (Serilog's default console template):
//! `[HH:mm:ss INF] message`, levels `VRB DBG INF WRN ERR FTL`.
//!
//! A `tracing` event with the field `fatal = true` is printed as `FTL` (tracing has no fatal
//! level). Fields other than the message follow it as `key=value`, so operator lines that
//! mirror the reference (no fields) come out exactly as the reference prints them.

use std::fmt::{self, Write as _};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

/// The Serilog-style formatter.
#[derive(Debug, Clone, Copy, Default)]
pub struct SerilogFormat;

impl<S, N> FormatEvent<S, N> for SerilogFormat
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        _ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let now = time::OffsetDateTime::now_utc();
        let level = level_name(*event.metadata().level(), fields.fatal);
        writeln!(
            writer,
            "{}",
            line(
                now.hour(),
                now.minute(),
                now.second(),
                level,
                &fields.text()
            )
        )
    }
}

/// Serilog's three-letter level names; `fatal` marks an error as `FTL`.
#[must_use]
pub fn level_name(level: Level, fatal: bool) -> &'static str {
    match level {
        Level::TRACE => "VRB",
        Level::DEBUG => "DBG",
        Level::INFO => "INF",
        Level::WARN => "WRN",
        Level::ERROR if fatal => "FTL",
        Level::ERROR => "ERR",
    }
}

/// One console line: `[HH:mm:ss LVL] message`.
#[must_use]
pub fn line(hour: u8, minute: u8, second: u8, level: &str, message: &str) -> String {
    format!("[{hour:02}:{minute:02}:{second:02} {level}] {message}")
}

/// The `tracing` filter directive for an OPC PLC `--ll` value (2018 names, HEAD names too).
#[must_use]
pub fn filter_for(log_level: &str) -> Option<&'static str> {
    Some(match log_level.to_ascii_lowercase().as_str() {
        "fatal" | "critical" | "error" => "error",
        "warn" | "warning" => "warn",
        "info" | "information" => "info",
        "debug" => "debug",
        "verbose" | "trace" => "trace",
        _ => return None,
    })
}

#[derive(Debug, Default)]
struct Fields {
    message: String,
    rest: String,
    fatal: bool,
}

impl Fields {
    fn text(&self) -> String {
        if self.rest.is_empty() {
            self.message.clone()
        } else {
            format!("{}{}", self.message, self.rest)
        }
    }
}

impl Visit for Fields {
    // `log.*` fields come from the `log` bridge (open62541's logger): file and line noise.
    fn record_u64(&mut self, field: &Field, value: u64) {
        if !field.name().starts_with("log.") {
            let _ = write!(self.rest, " {}={value}", field.name());
        }
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        if field.name() == "fatal" {
            self.fatal = value;
        } else {
            let _ = write!(self.rest, " {}={value}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            value.clone_into(&mut self.message);
        } else if !field.name().starts_with("log.") {
            let _ = write!(self.rest, " {}={value}", field.name());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            self.message = format!("{value:?}");
        } else if !field.name().starts_with("log.") {
            let _ = write!(self.rest, " {}={value:?}", field.name());
        }
    }
}

/// Opens the `--lf` log file for appending (created if missing) and starts a thread that syncs
/// it to the disk every `flush_interval` (`--lt`; 0 is taken as 1 s), as Serilog's
/// `flushToDiskInterval` does for the reference. Lines reach the file (the OS) as soon as the
/// logging worker writes them; the interval bounds what a power loss can take.
pub fn open_log_file(
    path: &std::path::Path,
    flush_interval: std::time::Duration,
) -> std::io::Result<std::fs::File> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    let syncer = file.try_clone()?;
    let interval = flush_interval.max(std::time::Duration::from_secs(1));
    std::thread::Builder::new()
        .name("log-flush".to_owned())
        .spawn(move || {
            loop {
                std::thread::sleep(interval);
                // A failed sync is retried at the next interval; the lines are already written.
                let _ = syncer.sync_data();
            }
        })?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_line_has_the_serilog_console_shape() {
        assert_eq!(
            line(9, 5, 7, "INF", "Trusted issuer store contains 0 certs"),
            "[09:05:07 INF] Trusted issuer store contains 0 certs"
        );
    }

    #[test]
    fn levels_use_serilog_names_and_fatal_errors_are_ftl() {
        assert_eq!(level_name(Level::TRACE, false), "VRB");
        assert_eq!(level_name(Level::DEBUG, false), "DBG");
        assert_eq!(level_name(Level::INFO, false), "INF");
        assert_eq!(level_name(Level::WARN, false), "WRN");
        assert_eq!(level_name(Level::ERROR, false), "ERR");
        assert_eq!(level_name(Level::ERROR, true), "FTL");
    }

    #[test]
    fn the_log_file_is_appended_to_and_written_at_once() {
        use std::io::Write as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("host-plc.log");
        std::fs::write(&path, "old\n").unwrap();
        let mut file = open_log_file(&path, std::time::Duration::from_secs(30)).unwrap();
        writeln!(file, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\nnew\n");
        assert!(
            open_log_file(&dir.path().join("missing/x.log"), std::time::Duration::ZERO).is_err()
        );
    }

    #[test]
    fn log_levels_of_both_generations_are_understood() {
        assert_eq!(filter_for("verbose"), Some("trace"));
        assert_eq!(filter_for("Fatal"), Some("error"));
        assert_eq!(filter_for("loud"), None);
    }
}
