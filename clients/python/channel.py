"""Channels to one or several chainlens servers.

Load balancing and retries are gRPC's own, configured through the service
config, so the sync and asyncio clients behave the same and no request is
ever routed by hand:

* several addresses become one ``ipv4:`` (or ``ipv6:``) target with the
  ``round_robin`` policy: gRPC keeps a sub-channel per server and spreads
  calls over the ready ones;
* one DNS name (``dns:///chainlens.internal:50051``) resolves to every
  address behind it, again balanced round-robin;
* UNAVAILABLE (a server restarting, a replica down) is retried with
  exponential backoff by the channel's retry policy.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Sequence

import grpc

__all__ = ["target_for", "channel_options", "credentials"]

SERVICE = "chainlens.v1.Derivatives"


def target_for(address: str | Sequence[str]) -> str:
    """A gRPC target for one address, a DNS name or several addresses."""
    if isinstance(address, str):
        address = [a.strip() for a in address.split(",") if a.strip()]
    addresses = list(address)
    if not addresses:
        raise ValueError("no server address given")
    if len(addresses) == 1:
        return addresses[0]
    families = {_family(a) for a in addresses}
    if len(families) != 1 or None in families:
        raise ValueError("several addresses must all be IPv4 or all IPv6 literals "
                         "(for host names use one DNS name: dns:///name:port)")
    family = families.pop()
    return f"{family}:" + ",".join(addresses)


def _family(address: str) -> str | None:
    host = address.rsplit(":", 1)[0].strip("[]")
    try:
        return f"ipv{ipaddress.ip_address(host).version}"
    except ValueError:
        return None


def service_config(retries: int = 5, initial_backoff: float = 0.05,
                   max_backoff: float = 2.0) -> str:
    """Round-robin over every resolved address; retry UNAVAILABLE with
    exponential backoff (``retries`` attempts in all, 2..5)."""
    config = {
        "loadBalancingConfig": [{"round_robin": {}}],
        "methodConfig": [{
            "name": [{"service": SERVICE}],
            "retryPolicy": {
                "maxAttempts": max(2, min(retries, 5)),
                "initialBackoff": f"{initial_backoff}s",
                "maxBackoff": f"{max_backoff}s",
                "backoffMultiplier": 2,
                "retryableStatusCodes": ["UNAVAILABLE"],
            },
        }],
    }
    return json.dumps(config)


def channel_options(retries: int = 5, max_message_bytes: int = 64 * 1024 * 1024) -> list:
    return [
        ("grpc.service_config", service_config(retries)),
        ("grpc.enable_retries", 1),
        ("grpc.max_receive_message_length", max_message_bytes),
        ("grpc.max_send_message_length", max_message_bytes),
    ]


def credentials(root_certificates: bytes | str | None) -> grpc.ChannelCredentials | None:
    """TLS credentials from a CA bundle (bytes or a path); None: plaintext."""
    if root_certificates is None:
        return None
    if isinstance(root_certificates, str):
        with open(root_certificates, "rb") as f:
            root_certificates = f.read()
    return grpc.ssl_channel_credentials(root_certificates=root_certificates)
