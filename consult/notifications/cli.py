"""Command-line doors for notifications (run them from cron or a systemd timer):

    consult send-reminders   writes the reminders that are due (consultations closing, offers deadlines, units'
                             positions due within CONSULT_REMINDER_DAYS) and e-mails them; each person gets each
                             reminder once, so it may run every hour
    consult send-mail        delivers, here and now, every e-mail whose (next) attempt is due: retries after a
                             refusal when jobs run in process, and e-mails a broker or a dead worker did not deliver

They honour DATABASE_URL and the SMTP settings like the web application.
"""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("send-reminders")
@with_appcontext
def send_reminders_command() -> None:
    """Write and e-mail the reminders before deadlines that are due; print how many."""
    from consult.cli import fail
    from consult.core.errors import Refused
    from consult.core.operations import transaction
    from consult.notifications.operations import send_reminders

    try:
        with transaction():
            written = send_reminders()
            kinds = [n.kind for n in written]
    except Refused as exc:  # another run wrote the same reminders at the same moment: the next run finishes
        fail(exc.reason)
    click.echo(f"Przypomnienia o końcu konsultacji: {kinds.count('consultation_closing')}")
    click.echo(f"Przypomnienia o terminie składania ofert: {kinds.count('offers_deadline')}")
    click.echo(f"Przypomnienia o terminie stanowiska: {kinds.count('position_due')}")
    click.echo(f"Przypomnienia o terminie zobowiązania: {kinds.count('commitment_due')}")
    click.echo(f"Przypomnienia o jutrzejszych rezerwacjach sal: {kinds.count('booking_reminder')}")


@click.command("send-mail")
@with_appcontext
def send_mail_command() -> None:
    """Deliver every e-mail whose attempt is due; print how many were sent, will be retried, failed."""
    from consult.notifications.delivery import deliver_due
    from consult.notifications.mailer import smtp_configured

    app = current_app._get_current_object()
    if not smtp_configured(app.config):
        click.echo("SMTP_HOST nie jest ustawiony: e-maile nie są wysyłane (widać je w skrzynce nadawczej).")
        return
    counts = deliver_due(app)
    click.echo(f"Wysłane: {counts['sent']}, do ponowienia: {counts['queued']}, nieudane: {counts['failed']}")


def register(app) -> None:
    app.cli.add_command(send_reminders_command)
    app.cli.add_command(send_mail_command)
