"""Offline evaluation of the recommender against baselines on held-out interactions."""
