"""Search over the store's catalog: lexical ranking, filters, facets, natural-language queries."""
