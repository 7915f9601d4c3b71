"""Open competitions for offers (otwarty konkurs ofert): calls, offers, evaluation and results."""
