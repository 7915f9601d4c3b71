"""Forms of signing in and of recovering and changing access."""
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField
from wtforms.validators import EqualTo, InputRequired

from consult.core.forms import ConsultForm, EmailAddress


class LoginForm(ConsultForm):
    email = EmailField(_l("Adres e-mail"), validators=[InputRequired(_l("Wpisz adres e-mail.")), EmailAddress()])
    password = PasswordField(_l("Hasło"), validators=[InputRequired(_l("Wpisz hasło."))])


class ForgotPasswordForm(ConsultForm):
    email = EmailField(_l("Adres e-mail"), validators=[InputRequired(_l("Wpisz adres e-mail.")), EmailAddress()])


class NewPasswordForm(ConsultForm):
    """A new password, twice (a reset link, an accepted invitation)."""

    password = PasswordField(_l("Nowe hasło"), validators=[InputRequired(_l("Wpisz nowe hasło."))])
    confirm = PasswordField(_l("Powtórz nowe hasło"), validators=[
        InputRequired(_l("Wpisz nowe hasło jeszcze raz.")),
        EqualTo("password", _l("Oba wpisane hasła muszą być takie same."))])


class ChangePasswordForm(ConsultForm):
    current = PasswordField(_l("Obecne hasło"), validators=[InputRequired(_l("Wpisz obecne hasło."))])
    new = PasswordField(_l("Nowe hasło"), validators=[InputRequired(_l("Wpisz nowe hasło."))])
    confirm = PasswordField(_l("Powtórz nowe hasło"), validators=[
        InputRequired(_l("Wpisz nowe hasło jeszcze raz.")),
        EqualTo("new", _l("Oba wpisane hasła muszą być takie same."))])


class ChangeEmailForm(ConsultForm):
    email = EmailField(_l("Nowy adres e-mail"), validators=[InputRequired(_l("Wpisz adres e-mail.")),
                                                            EmailAddress()])
    password = PasswordField(_l("Obecne hasło"), validators=[InputRequired(_l("Wpisz obecne hasło."))])


class ButtonForm(ConsultForm):
    """A button: its CSRF token is all it carries."""
