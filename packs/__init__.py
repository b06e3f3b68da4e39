"""The built-in advice packs (TOML data, shipped with the package)."""
