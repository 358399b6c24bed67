//! Fuzz target: rhapsody::fuzz_entry::script (the corpus-replay test runs the same function).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    rhapsody::fuzz_entry::script(data);
});
