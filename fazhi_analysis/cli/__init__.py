"""The `fazhi` command: one module per subcommand."""
