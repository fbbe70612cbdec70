//! libFuzzer entry of the `trust_list` target (`fuzz_targets::trust_list`, docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = fuzz_targets::trust_list(data);
});
