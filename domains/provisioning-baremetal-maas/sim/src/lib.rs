//! The MAAS region simulator: serves enough of MAAS REST API 2.0 that MAAS's own clients work
//! against it unchanged. The Provisioning.BareMetal.MAAS issue builds it; this crate holds its place.
