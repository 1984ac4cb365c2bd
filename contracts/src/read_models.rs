//! Read Models published language: DTOs, events and the service trait other domains call.
//! Empty until the Read Models issue lands; its owner fills it in.
