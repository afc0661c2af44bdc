"""The only place with SQL: opening, migrating and reading and writing the database."""
