"""Postulates filed in a programme's consultation and the positions units record on them."""
