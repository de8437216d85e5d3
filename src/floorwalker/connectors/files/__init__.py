"""File imports: CSV, JSON Lines and Parquet into the core services, row errors kept."""
