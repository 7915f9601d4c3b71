"""Files attached to postulates, meetings (materials), offers (annexes) and implementation reports."""
