"""Web links, online: checking that evidence links still work, with a cache."""
