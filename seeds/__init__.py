"""Sample reviews of invented films, imported into a new database on first launch."""
