"""Analytics for the retailer: conversations, searches, recommendations, attribution,
customer segments and trending products. Every report covers a period of store dates."""
