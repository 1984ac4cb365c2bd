//! App Platform's tests that need the world outside the model: OpenSSH's own tools.

// Test helpers panic on failure by design: a failed setup is a failed test.
#![allow(clippy::unwrap_used)]

mod ssh_keys;
