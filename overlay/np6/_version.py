__version__ = "0.2.0"
# The NP6 API version the curated spec describes (spec/np6-cm.openapi.yaml, info.version; a test holds them equal).
NP6_API_VERSION = "8.1.0"
