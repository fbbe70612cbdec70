//! CPU time and memory of a process from `/proc` (Linux): the figures the benchmarks compare
//! (server CPU per session set-up, the load client's own CPU, RSS of each server).
//!
//! The parsers are plain functions over the files' text, so they are tested without a process;
//! [`sample`] reads them for a live one.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Clock ticks per second of `utime`/`stime` in `/proc/<pid>/stat`: `USER_HZ`, which Linux
/// fixes at 100 for user space on every architecture we build for (`sysconf(_SC_CLK_TCK)`).
pub const TICKS_PER_SECOND: u64 = 100;

/// One look at a process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
    /// User + system CPU time of all its threads so far (seconds in JSON).
    #[serde(serialize_with = "seconds", deserialize_with = "from_seconds")]
    pub cpu: Duration,
    /// Resident set size now (`VmRSS`), KiB.
    pub rss_kib: u64,
    /// Peak resident set size so far (`VmHWM`), KiB.
    pub hwm_kib: u64,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's signature
fn seconds<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

fn from_seconds<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    let s = f64::deserialize(d)?;
    Duration::try_from_secs_f64(s).map_err(serde::de::Error::custom)
}

/// Why a process could not be sampled.
#[derive(Debug, thiserror::Error)]
pub enum ProcError {
    /// `/proc/<pid>/…` could not be read (the process is gone, or this is not Linux).
    #[error("cannot read {path}")]
    Read {
        /// The file.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file did not have the expected form.
    #[error("unexpected contents of {0}")]
    Format(String),
}

/// User + system time of `/proc/<pid>/stat`'s text (fields 14 and 15, counted after the
/// parenthesised command name, which may itself hold spaces and parentheses).
#[must_use]
pub fn parse_stat_cpu(stat: &str) -> Option<Duration> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    // After the name: state (field 3) … utime (14), stime (15).
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    let ticks = utime + stime;
    Some(Duration::from_millis(ticks * 1000 / TICKS_PER_SECOND))
}

/// `VmRSS` and `VmHWM` (KiB) of `/proc/<pid>/status`'s text.
#[must_use]
pub fn parse_status_memory(status: &str) -> Option<(u64, u64)> {
    let field = |name: &str| {
        status.lines().find_map(|line| {
            let rest = line.strip_prefix(name)?.strip_prefix(':')?;
            rest.trim().strip_suffix("kB")?.trim().parse::<u64>().ok()
        })
    };
    Some((field("VmRSS")?, field("VmHWM")?))
}

/// Samples process `pid` (`None`: this process).
pub fn sample(pid: Option<u32>) -> Result<Sample, ProcError> {
    let dir = pid.map_or_else(|| "/proc/self".to_owned(), |p| format!("/proc/{p}"));
    let read = |name: &str| {
        let path = format!("{dir}/{name}");
        std::fs::read_to_string(&path).map_err(|source| ProcError::Read { path, source })
    };
    let stat = read("stat")?;
    let status = read("status")?;
    let cpu = parse_stat_cpu(&stat).ok_or_else(|| ProcError::Format(format!("{dir}/stat")))?;
    let (rss_kib, hwm_kib) =
        parse_status_memory(&status).ok_or_else(|| ProcError::Format(format!("{dir}/status")))?;
    Ok(Sample {
        cpu,
        rss_kib,
        hwm_kib,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn cpu_time_is_utime_plus_stime_after_a_name_with_spaces_and_parentheses() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
        let stat = "4242 (opc plc (x)) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 125 0 0 20 0 9 0";
        assert_eq!(parse_stat_cpu(stat), Some(Duration::from_millis(3750)));
        assert_eq!(parse_stat_cpu("4242 (short) S 1 2"), None);
        assert_eq!(parse_stat_cpu("no parenthesis"), None);
    }

    #[test]
    fn memory_is_read_from_the_status_lines_in_kib() {
        let status =
            "Name:\topc-plc\nVmPeak:\t  900000 kB\nVmHWM:\t   12000 kB\nVmRSS:\t   11500 kB\n";
        assert_eq!(parse_status_memory(status), Some((11500, 12000)));
        assert_eq!(parse_status_memory("VmRSS:\t1 kB\n"), None, "no VmHWM");
    }

    #[test]
    fn this_process_can_be_sampled() {
        let s = sample(None).unwrap();
        assert!(s.rss_kib > 0 && s.hwm_kib >= s.rss_kib, "{s:?}");
        assert!(matches!(
            sample(Some(u32::MAX)),
            Err(ProcError::Read { .. })
        ));
    }
}
