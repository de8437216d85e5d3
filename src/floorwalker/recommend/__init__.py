"""Recommendations: models, training, serving and offline evaluation."""
