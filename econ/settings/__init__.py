"""Program settings: the rules' numbers (stipend base, taper, limits), editable by ADMIN."""
