"""chainlens language server and gRPC service: thin adapters over the engine."""
