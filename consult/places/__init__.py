"""Places of activity (CAS, parents' clubs, civic centres, PAL, MAM...) and the booking of their rooms."""
