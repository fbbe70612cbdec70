//! libFuzzer entry of the `twin` target (`fuzz_targets::twin`, docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = fuzz_targets::twin(data);
});
