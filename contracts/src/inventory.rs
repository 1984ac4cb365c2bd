//! Inventory.Catalog published language: DTOs, events and the service trait other domains call.
//! Empty until the Inventory.Catalog issue lands; its owner fills it in.
