"""Retailer insight: analytics, demand forecasts, lost demand."""
