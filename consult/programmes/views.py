"""Views of the programmes domain."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("programmes", __name__)


@bp.route("/koordynacja")
def index():
    return "todo"
