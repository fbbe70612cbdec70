//! The C allocator's settings for a long-running module on a small device.
//!
//! A module is a handful of threads (the OPC UA server's, tokio's, the twin driver's) that live
//! as long as the container. glibc's `malloc` gives each new thread an arena of its own and
//! raises its trim and mmap thresholds whenever a large block is freed (up to 32 MiB on
//! 64-bit), so memory freed after start-up or after a burst of requests stays resident in
//! several arenas. [`tune_allocator`] asks for one arena and fixed thresholds of 128 KiB (the
//! defaults, no longer moving): in the P2 benchmark (docs/benchmarks.md) this took the PLC's
//! resident memory down by ~0.5 MiB; P1's ratios in the recorded run with it (39.7× asyncua)
//! match the run before (40.3×), and the 10-minute soak's memory stays flat
//! (docs/reliability.md). The server's allocations happen on one thread anyway.
//!
//! Called first thing in each module's `main`, before any thread starts; a no-op on C
//! libraries other than glibc.

/// Bytes above which glibc trims the heap's top and serves a block by `mmap`; fixed, so they
/// never grow with a freed large block.
pub const THRESHOLD_BYTES: i32 = 128 * 1024;

/// One malloc arena and fixed trim and mmap thresholds (see the module header). Returns
/// whether glibc took all three settings; on other C libraries, `false`.
#[must_use = "a module logs when the allocator keeps its defaults"]
pub fn tune_allocator() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        glibc::tune()
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)] // mallopt is the only way to set these in-process
mod glibc {
    use super::THRESHOLD_BYTES;

    pub fn tune() -> bool {
        [
            (libc::M_ARENA_MAX, 1),
            (libc::M_TRIM_THRESHOLD, THRESHOLD_BYTES),
            (libc::M_MMAP_THRESHOLD, THRESHOLD_BYTES),
        ]
        .into_iter()
        // SAFETY: mallopt takes plain integers and changes only malloc's own parameters; the
        // three values are within glibc's documented ranges. Each call returns 1 on success.
        .all(|(param, value)| unsafe { libc::mallopt(param, value) } == 1)
    }
}
