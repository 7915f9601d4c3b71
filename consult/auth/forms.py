"""Sign-in form."""
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField
from wtforms.validators import InputRequired

from consult.core.forms import ConsultForm, EmailAddress


class LoginForm(ConsultForm):
    email = EmailField(_l("Adres e-mail"), validators=[InputRequired(_l("Wpisz adres e-mail.")), EmailAddress()])
    password = PasswordField(_l("Hasło"), validators=[InputRequired(_l("Wpisz hasło."))])
