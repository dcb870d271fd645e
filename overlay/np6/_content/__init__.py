"""What a caller builds before any request: channels, recipients, messages, action definitions, states."""
