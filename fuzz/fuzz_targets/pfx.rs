//! libFuzzer entry of the `pfx` target (`fuzz_targets::pfx`, docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = fuzz_targets::pfx(data);
});
