//! Provisioning.BareMetal.MAAS published language: DTOs, events and the service trait other domains call.
//! Empty until the Provisioning.BareMetal.MAAS issue lands; its owner fills it in.
