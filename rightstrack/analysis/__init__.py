"""Store the engine's analysis, review its suggestions, and keep the groups people confirm."""
