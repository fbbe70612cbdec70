//! `opc-load`: the load client of the benchmarks (`scripts/bench`) and the soak
//! (`scripts/soak`), on our `ua` client (open62541 with the `pki` validator checking the
//! server), so every server under test is driven by the same client.
//!
//! Layer L2 (a tool): `ua` and `pki` only; it knows nothing of the servers it drives.
//!
//! # Layout
//! - [`load`]: [`run_reads`] (sessions reading a set of values in one request each) and
//!   [`run_setups`] (sessions opened and closed in a loop), with their reports.
//! - [`procfs`]: CPU time and memory of a process from `/proc`, to show which side of a run is
//!   the bottleneck and what a server keeps resident.

pub mod load;
pub mod procfs;

pub use load::{
    ReadLoad, ReadReport, SetupLoad, SetupReport, Target, check_values, run_reads, run_setups,
};

/// The OPC PLC's namespace (`http://microsoft.com/Opc/OpcPlc/`), where the benchmarks' values
/// live on every server.
pub const PLC_NAMESPACE: &str = "http://microsoft.com/Opc/OpcPlc/";

/// The ids of the OPC PLC's fast `Double` nodes `FastDouble1` … `FastDouble<count>` in
/// `namespace`, as `nsu=` texts (every server under test carries them under these names).
#[must_use]
pub fn fast_doubles(namespace: &str, count: u32) -> Vec<String> {
    (1..=count)
        .map(|i| format!("nsu={namespace};s=FastDouble{i}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_doubles_are_named_as_the_plc_names_them() {
        assert_eq!(
            fast_doubles("urn:x", 2),
            ["nsu=urn:x;s=FastDouble1", "nsu=urn:x;s=FastDouble2"]
        );
        assert!(fast_doubles(PLC_NAMESPACE, 0).is_empty());
    }
}
