//! App Platform published language: DTOs, events and the service trait other domains call.
//! Empty until the App Platform issue lands; its owner fills it in.
