"""Meeting summaries: the PDF a coordinator compiles and publishes for each sector meeting."""
