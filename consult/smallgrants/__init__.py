"""Small grants (art. 19a): tasks funded without a call, on an NGO's own initiative."""
