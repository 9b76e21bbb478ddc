// Transport placeholder
