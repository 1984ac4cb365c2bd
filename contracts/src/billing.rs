//! Billing published language: DTOs, events and the service trait other domains call.
//! Empty until the Billing issue lands; its owner fills it in.
