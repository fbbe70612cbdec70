//! libFuzzer entry of the `topic` target (`fuzz_targets::topic`, docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = fuzz_targets::topic(data);
});
