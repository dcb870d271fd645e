"""NP6's event feed: the typed events (`kinds`) and how a time window of it is read (`walk`)."""
