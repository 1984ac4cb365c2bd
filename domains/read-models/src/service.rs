//! Read Models service: use cases behind the contracts trait; authorization is decided here.
