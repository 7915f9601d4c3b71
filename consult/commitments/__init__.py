"""Commitments a position makes ("will forward the postulate to the Civic Centres"), tracked until done."""
