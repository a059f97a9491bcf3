"""One function per question a page or API asks: build the SPARQL, run it, reshape the rows."""
