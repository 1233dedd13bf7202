"""Plain-Python domain: commodities, rubrics, rounds, regions. No Qt, no database."""
