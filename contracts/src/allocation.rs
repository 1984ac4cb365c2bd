//! Provisioning.Allocation published language: DTOs, events and the service trait other domains call.
//! Empty until the Provisioning.Allocation issue lands; its owner fills it in.
