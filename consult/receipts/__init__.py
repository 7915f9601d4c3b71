"""What an NGO files, as the city keeps it: an offer in a call, a small grant's simplified offer and a report on a
grant compiled to a PDF when filed (a version for each filing), e-mailed as a receipt and downloadable by those who
may see what was filed."""
