"""Google Merchant Center product feeds (RSS 2.0 XML with the g: namespace, and TSV)."""
