//! Validation benchmark (filled in with the validator).

fn main() {}
