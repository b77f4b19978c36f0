"""Double-entry journal: accounts, balanced entries, balances."""
