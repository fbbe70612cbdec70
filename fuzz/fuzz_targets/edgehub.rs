//! libFuzzer entry of the `edgehub` target (`fuzz_targets::edgehub`, docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = fuzz_targets::edgehub(data);
});
