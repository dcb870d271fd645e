"""How the commands reach NP6: np6's own clients, the key and base URL from the options or the environment."""

from __future__ import annotations

import argparse

from .._client import AsyncClient, Client

__all__ = ["async_client", "sync_client"]


def sync_client(args: argparse.Namespace) -> Client:
    """`np6.Client` for a command's `--api-key` / `--base-url` (else NP6_API_KEY / NP6_BASE_URL)."""
    return Client(args.api_key or None, base_url=args.base_url)


def async_client(args: argparse.Namespace) -> AsyncClient:
    """`np6.AsyncClient`, likewise."""
    return AsyncClient(args.api_key or None, base_url=args.base_url)
