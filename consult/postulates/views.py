"""Views of the postulates domain."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("postulates", __name__)


@bp.route("/moje-postulaty")
def mine():
    return "todo"


@bp.route("/kolejka")
def queue():
    return "todo"


@bp.route("/rejestr")
def register():
    return "todo"
