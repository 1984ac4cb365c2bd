//! Provisioning.Allocation service: use cases behind the contracts trait; authorization is decided here.
