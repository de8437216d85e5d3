"""The catalog: products, variants with their options, categories, brands and images."""
