"""Data files the package ships: domain names, table layout, rules."""
