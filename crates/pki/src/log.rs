//! Operator-facing log lines in the OPC PLC's 2018 wording (docs/reference/opc-ua-apps.md §1.5),
//! produced as values so they can be tested, reported and emitted through `tracing` in order.

use std::fmt;

/// Severity of a log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Information.
    Info,
    /// Warning.
    Warn,
    /// Error.
    Error,
}

/// One operator-facing log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// Severity.
    pub level: Level,
    /// The exact text.
    pub text: String,
}

impl LogLine {
    /// An information line.
    #[must_use]
    pub fn info(text: impl Into<String>) -> Self {
        Self {
            level: Level::Info,
            text: text.into(),
        }
    }

    /// A warning line.
    #[must_use]
    pub fn warn(text: impl Into<String>) -> Self {
        Self {
            level: Level::Warn,
            text: text.into(),
        }
    }

    /// An error line.
    #[must_use]
    pub fn error(text: impl Into<String>) -> Self {
        Self {
            level: Level::Error,
            text: text.into(),
        }
    }

    /// Emits the line through `tracing` (target `pki`) at its level.
    pub fn emit(&self) {
        match self.level {
            Level::Info => tracing::info!(target: "pki", "{}", self.text),
            Level::Warn => tracing::warn!(target: "pki", "{}", self.text),
            Level::Error => tracing::error!(target: "pki", "{}", self.text),
        }
    }
}

impl fmt::Display for LogLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Emits every line in order.
pub fn emit_all(lines: &[LogLine]) {
    for line in lines {
        line.emit();
    }
}

/// Formats a time like .NET's invariant culture `G` format, as the OPC PLC prints the CRL's
/// next update: `MM/dd/yyyy HH:mm:ss`.
#[must_use]
pub fn dotnet_time(at: time::OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:02}/{:02}/{:04} {:02}:{:02}:{:02}",
        u8::from(at.month()),
        at.day(),
        at.year(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_update_times_use_the_dotnet_invariant_format() {
        assert_eq!(
            dotnet_time(time::macros::datetime!(2019-10-19 22:06:46 UTC)),
            "10/19/2019 22:06:46"
        );
        assert_eq!(
            dotnet_time(time::macros::datetime!(2026-01-02 03:04:05 UTC)),
            "01/02/2026 03:04:05"
        );
    }
}
