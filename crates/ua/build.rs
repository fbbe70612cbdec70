//! Stops a build of `ua` in which open62541 would have no crypto backend, with the reason.
//!
//! open62541 is built on OpenSSL (ADR 0013; linked statically, ADR 0018): `open62541-sys` selects it from the
//! environment variable `CARGO_FEATURE_OPENSSL`, which the repository's `.cargo/config.toml`
//! sets. Cargo reads that file from the directory it is started in, so a build started
//! elsewhere (`--manifest-path` from outside the repository) would build open62541 without
//! encryption and fail on missing symbols; this says why instead. The `mbedtls` feature (the
//! benchmarks' comparison build) is the other backend.

fn main() {
    println!("cargo:rerun-if-env-changed=CARGO_FEATURE_OPENSSL");
    let openssl = std::env::var("CARGO_FEATURE_OPENSSL").is_ok_and(|v| !v.is_empty());
    let mbedtls = std::env::var_os("CARGO_FEATURE_MBEDTLS").is_some();
    assert!(
        openssl != mbedtls,
        "open62541 needs exactly one crypto backend: OpenSSL (CARGO_FEATURE_OPENSSL=1, set by the \
         repository's .cargo/config.toml; run cargo from the repository) or mbedTLS (feature \
         ua/mbedtls with --config 'env.CARGO_FEATURE_OPENSSL=\"\"'); found openssl={openssl}, \
         mbedtls={mbedtls} (docs/adr/0013-open62541-on-openssl-and-the-benchmarks.md)"
    );
}
