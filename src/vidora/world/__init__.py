"""The Vidora world: a seeded 2-D world that we simulate, film and voice ourselves."""
