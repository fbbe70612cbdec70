//! libFuzzer entry of the `crl` target (`fuzz_targets::crl`, docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = fuzz_targets::crl(data);
});
