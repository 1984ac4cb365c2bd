//! Provisioning.BareMetal.MAAS integration suite: the client against the simulator (and against
//! small purpose-built servers where a behaviour needs to be observed from the server side).

// Test helpers panic on failure by design: a failed setup is a failed test.
#![allow(clippy::unwrap_used)]

mod client;
