"""Public pages: anyone may read programmes, their meetings and published postulates with positions."""
from __future__ import annotations

from flask import Blueprint, render_template

from consult.core.access import public
from consult.extensions import db
from consult.programmes.models import Programme

bp = Blueprint("public", __name__)


@bp.route("/")
@public
def home():
    programmes = db.session.scalars(db.select(Programme).order_by(Programme.year.desc())).all()
    return render_template("public/home.html", programmes=programmes)


@bp.route("/programy")
@public
def programmes():
    programmes = db.session.scalars(db.select(Programme).order_by(Programme.year.desc())).all()
    return render_template("public/programmes.html", programmes=programmes)
