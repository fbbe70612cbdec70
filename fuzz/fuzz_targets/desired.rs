//! libFuzzer entry of the `desired` target (`fuzz_targets::desired`, docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = fuzz_targets::desired(data);
});
