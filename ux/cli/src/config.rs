//! Where the CLI finds its server and token: flag, then environment, then
//! `$XDG_CONFIG_HOME/ingot/config.toml` (or `~/.config/ingot/config.toml`).

use std::path::PathBuf;

use anyhow::Context as _;
use serde::Deserialize;

#[derive(Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub server: Option<String>,
    pub token: Option<String>,
}

pub struct Settings {
    pub server: String,
    pub token: Option<String>,
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

fn config_file_read() -> anyhow::Result<ConfigFile> {
    let Some(path) = config_path() else {
        return Ok(ConfigFile::default());
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => toml::from_str(&text).with_context(|| format!("invalid config file {}", path.display())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(ConfigFile::default()),
        Err(err) => Err(err).with_context(|| format!("cannot read {}", path.display())),
    }
}

pub fn settings_resolve(server_flag: Option<&str>) -> anyhow::Result<Settings> {
    let file = config_file_read()?;
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let server = server_flag
        .map(str::to_string)
        .or_else(|| env("INGOT_SERVER"))
        .or(file.server)
        .unwrap_or_else(|| ingot_sdk::SERVER_DEFAULT.to_string());
    let token = env("INGOT_TOKEN").or(file.token);
    Ok(Settings { server, token })
}

/// Keeps `server` and a session `token` in the config file, readable by its owner only.
pub fn login_save(server: &str, token: &str) -> anyhow::Result<PathBuf> {
    let path = config_path().context("no home directory to keep the config in")?;
    let mut file = config_file_read()?;
    file.server = Some(server.to_string());
    file.token = Some(token.to_string());
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let text = toml::to_string(&file).context("cannot write the config")?;
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

/// Drops the session token from the config file (keeping the server); false when there was none.
pub fn token_forget() -> anyhow::Result<bool> {
    let Some(path) = config_path() else {
        return Ok(false);
    };
    let mut file = config_file_read()?;
    if file.token.take().is_none() {
        return Ok(false);
    }
    let text = toml::to_string(&file).context("cannot write the config")?;
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(true)
}
