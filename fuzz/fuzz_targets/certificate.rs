//! libFuzzer entry of the `certificate` target (`fuzz_targets::certificate`, docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = fuzz_targets::certificate(data);
});
