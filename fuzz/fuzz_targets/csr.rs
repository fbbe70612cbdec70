//! libFuzzer entry of the `csr` target (`fuzz_targets::csr`, docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = fuzz_targets::csr(data);
});
