//! Packed relative relocations (`DT_RELR`, glibc 2.36+) for the module's binary (ADR 0018): a
//! position-independent executable with OpenSSL inside carries ~34,000 relative relocations,
//! 0.8 MB of `.rela.dyn` that the loader reads at every start and that stays resident; packed,
//! they take 11 kB (P2 in docs/benchmarks.md: 14.7 -> 13.9 MiB).
fn main() {
    let target = |key: &str| std::env::var(key).unwrap_or_default();
    if target("CARGO_CFG_TARGET_OS") == "linux" && target("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
