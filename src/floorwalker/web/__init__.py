"""The web face: the shopper widget, the demo storefront and the staff console."""
