//! libFuzzer entry of the `query` target (`fuzz_targets::query`, docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = fuzz_targets::query(data);
});
