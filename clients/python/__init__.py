"""The chainlens Python gRPC client (sync and asyncio, numpy in and out)."""
