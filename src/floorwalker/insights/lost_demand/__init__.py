"""Lost demand: what shoppers asked for and could not buy, from searches and conversations."""
