"""Sign-in form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import InputRequired


class LoginForm(FlaskForm):
    email = EmailField(_l("Adres e-mail"), validators=[InputRequired(_l("Wpisz adres e-mail."))])
    password = PasswordField(_l("Hasło"), validators=[InputRequired(_l("Wpisz hasło."))])
