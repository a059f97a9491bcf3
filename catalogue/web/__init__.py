"""The web layer: HTML pages, RDF by content negotiation, JSON."""
