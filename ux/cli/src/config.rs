//! Where the CLI finds its server and token: flag, then environment, then the profile in use in
//! `$XDG_CONFIG_HOME/ingot/config.toml` (or `~/.config/ingot/config.toml`). Profiles keep
//! several servers or accounts side by side; `ingot config use NAME` picks one, `--profile` or
//! `INGOT_PROFILE` overrides it for one command. A file from before profiles (`server` and
//! `token` at the top) reads as the profile `default` and is rewritten as one on the next save.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

pub const PROFILE_DEFAULT: &str = "default";

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

#[derive(Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The profile in use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// Before profiles: the one server and token.
    #[serde(skip_serializing_if = "Option::is_none")]
    server: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub profiles: BTreeMap<String, Profile>,
}

impl ConfigFile {
    /// Folds a pre-profiles file's top-level server and token into the profile `default`.
    fn normalised(mut self) -> ConfigFile {
        if self.server.is_some() || self.token.is_some() {
            let legacy = self.profiles.entry(PROFILE_DEFAULT.to_string()).or_default();
            legacy.server = legacy.server.take().or(self.server.take());
            legacy.token = legacy.token.take().or(self.token.take());
        }
        self
    }

    pub fn current(&self) -> &str {
        self.profile.as_deref().unwrap_or(PROFILE_DEFAULT)
    }
}

pub struct Settings {
    pub server: String,
    pub token: Option<String>,
    pub profile: String,
}

pub fn config_path() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("XDG_CONFIG_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("ingot").join("config.toml"));
    }
    std::env::var_os("HOME").map(|home| {
        PathBuf::from(home)
            .join(".config")
            .join("ingot")
            .join("config.toml")
    })
}

pub fn config_file_read() -> anyhow::Result<ConfigFile> {
    let Some(path) = config_path() else {
        return Ok(ConfigFile::default());
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => toml::from_str::<ConfigFile>(&text)
            .map(ConfigFile::normalised)
            .with_context(|| format!("invalid config file {}", path.display())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(ConfigFile::default()),
        Err(err) => Err(err).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Writes the whole file, readable by its owner only (it holds session tokens).
pub fn config_file_write(file: &ConfigFile) -> anyhow::Result<PathBuf> {
    let path = config_path().context("no home directory to keep the config in")?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let text = toml::to_string(file).context("cannot write the config")?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut handle = options
        .open(&path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    std::io::Write::write_all(&mut handle, text.as_bytes())?;
    Ok(path)
}

/// A profile name people can type and the file can key: letters, digits, `-`, `_`, `.`.
pub fn profile_name_check(name: &str) -> anyhow::Result<()> {
    let valid = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    anyhow::ensure!(
        valid,
        "{name:?} is not a profile name: use letters, digits, '-', '_' or '.' (at most 64)"
    );
    Ok(())
}

pub fn settings_resolve(server_flag: Option<&str>, profile_flag: Option<&str>) -> anyhow::Result<Settings> {
    let file = config_file_read()?;
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let profile = profile_flag
        .map(str::to_string)
        .or_else(|| env("INGOT_PROFILE"))
        .unwrap_or_else(|| file.current().to_string());
    profile_name_check(&profile)?;
    let stored = file.profiles.get(&profile).cloned().unwrap_or_default();
    let server = server_flag
        .map(str::to_string)
        .or_else(|| env("INGOT_SERVER"))
        .or(stored.server)
        .unwrap_or_else(|| ingot_sdk::SERVER_DEFAULT.to_string());
    let token = env("INGOT_TOKEN").or(stored.token);
    Ok(Settings {
        server,
        token,
        profile,
    })
}

/// Keeps `server` and a session `token` in `profile`.
pub fn login_save(profile: &str, server: &str, token: &str) -> anyhow::Result<PathBuf> {
    let mut file = config_file_read()?;
    let entry = file.profiles.entry(profile.to_string()).or_default();
    entry.server = Some(server.to_string());
    entry.token = Some(token.to_string());
    config_file_write(&file)
}

/// Drops `profile`'s session token (keeping its server); false when it had none.
pub fn token_forget(profile: &str) -> anyhow::Result<bool> {
    let mut file = config_file_read()?;
    let forgotten = file
        .profiles
        .get_mut(profile)
        .and_then(|entry| entry.token.take())
        .is_some();
    if forgotten {
        config_file_write(&file)?;
    }
    Ok(forgotten)
}

#[cfg(test)]
mod tests {
    // Unit tests fail by panicking.
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_file_from_before_profiles_reads_as_the_default_profile() {
        let file: ConfigFile = toml::from_str("server = \"http://a\"\ntoken = \"t\"\n").unwrap();
        let file = file.normalised();
        assert_eq!(file.current(), "default");
        assert_eq!(file.profiles["default"].server.as_deref(), Some("http://a"));
        assert_eq!(file.profiles["default"].token.as_deref(), Some("t"));
        let written = toml::to_string(&file).unwrap();
        assert!(
            written.contains("[profiles.default]") && !written.starts_with("server"),
            "{written}"
        );
    }

    #[test]
    fn profile_names_are_plain() {
        for good in ["default", "prod-eu", "lab_2", "a.b"] {
            profile_name_check(good).unwrap();
        }
        for bad in ["", "two words", "x/y", "ü", &"p".repeat(65)] {
            assert!(profile_name_check(bad).is_err(), "{bad:?}");
        }
    }
}
