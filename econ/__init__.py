"""econ: the economic-independence track of an exit program."""
