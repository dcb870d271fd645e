"""One module a resource (`client.actions`, `client.targets`...): its flows and its public classes."""
