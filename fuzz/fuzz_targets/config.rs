//! `ingotd`'s configuration file (TOML): any text is a configuration or an error naming the
//! key or line, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(config) = ingotd::config::config_from_text(text, "fuzz.toml") {
        let _ = config.environment_problems();
        let _ = config.effective();
    }
});
