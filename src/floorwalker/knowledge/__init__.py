"""Store knowledge: policy pages and FAQ articles the assistant answers from."""
