"""Demand forecasting on numpy and scikit-learn: series, methods, metrics and backtests.

Nothing here touches the database: the insights job and the `eval forecast` command feed it
arrays of sales and store what it returns. See docs/insights.md for every method's definition.
"""
