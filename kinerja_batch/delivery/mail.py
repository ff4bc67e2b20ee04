"""E-mailing a handout's plan: at most once per version and recipient.

An e-mail's attempt is in the ledger as `mengirim` before its content goes and settled by the
server's answer, so one without an answer (the connection dropped after the content went, or the
program was stopped) stays uncertain and is not sent again unless HR asks; and its Message-ID is
derived from (period, NIP, recipient, version), so a repeat that HR asked for is recognisably the
same message.
"""

from __future__ import annotations

import hashlib
import os
import re
import smtplib
import ssl
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.policy import SMTPUTF8
from email.utils import parseaddr
from io import BytesIO

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from kinerja_batch.config import EmailConfig
from kinerja_batch.delivery.handout import (
    CHANGED,
    DeliveryProblem,
    Handout,
    Item,
    Plan,
    SendResult,
    delivery_record,
    pdf_password,
    planned_bytes,
    protected_pdf,
)
from kinerja_batch.fsutil import slug, templates_dir
from kinerja_batch.history import FAILED, SENDING, SENT, Ledger
from kinerja_batch.model import Periode

PASSWORD_ENV = "KINERJA_SMTP_PASSWORD"


def smtp_password(config: EmailConfig) -> str | None:
    """From the environment, or a file only its owner can read; never from the command line."""
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    path = config.password_file
    if path is None:
        return None
    try:
        mode = path.stat().st_mode
    except OSError:
        raise DeliveryProblem(f"Berkas kata sandi SMTP {path} tidak ada.") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise DeliveryProblem(
            f"Berkas kata sandi SMTP {path} bisa dibaca pengguna lain. Jalankan: chmod 600 {path}"
        )
    return path.read_text(encoding="utf-8").strip()


def message_id(periode: Periode, nip: str, recipient: str, pdf_sha256: str) -> str:
    """The same for every attempt of one version to one recipient, so a repeat is recognisable:
    `<2026-11.<NIP>.<12 hex of the recipient's SHA-256>.<16 hex of the PDF's>@kinerja-batch>`."""
    address = hashlib.sha256(recipient.encode("utf-8")).hexdigest()[:12]
    return f"<{periode.key}.{slug(nip)}.{address}.{pdf_sha256[:16]}@kinerja-batch>"


@dataclass(frozen=True)
class Mail:
    subject: str
    body: str


class MailWriter:
    """The Indonesian e-mail text from templates/email_umpan_balik.txt."""

    def __init__(self) -> None:
        env = Environment(
            loader=FileSystemLoader(templates_dir()),
            autoescape=False,  # plain text; nothing here is interpreted as markup
            undefined=StrictUndefined,
            keep_trailing_newline=True,
        )
        self.template = env.get_template("email_umpan_balik.txt")

    def write(self, item: Item, periode: Periode, instansi: str, contact: str, rule: str) -> Mail:
        who = item.copy_for or item.employee
        subject = f"Umpan Balik Kinerja {periode.label} - {item.employee.nama}"
        if item.replaces:
            subject = f"[Pengganti] {subject}"
        body = self.template.render(
            nama=who.nama,
            pegawai=item.employee,
            salinan=item.copy_for is not None,
            periode=periode.label,
            instansi=instansi or "instansi Anda",
            kontak=contact,
            pengganti=item.replaces,
            sandi=rule == "tanggal_lahir",
        )
        return Mail(subject, body)


@dataclass(frozen=True)
class Outgoing:
    """One message as it goes to the server: envelope sender and recipient, and its bytes."""

    sender: str
    recipient: str
    data: bytes
    international: bool  # non-ASCII addresses: needs SMTPUTF8


class Uncertain(Exception):
    """The message's content, end included, went to the server and no answer came back: the
    server may have accepted it (and deliver it) or not."""


@contextmanager
def smtp_connection(config: EmailConfig, password: str | None) -> Iterator[smtplib.SMTP]:
    context = ssl.create_default_context(cafile=str(config.ca_file) if config.ca_file else None)
    client: smtplib.SMTP
    if config.security == "ssl":
        client = smtplib.SMTP_SSL(config.host, config.port, timeout=30, context=context)
    else:
        client = smtplib.SMTP(config.host, config.port, timeout=30)
        if config.security == "starttls":
            client.starttls(context=context)
    try:
        if config.user:
            client.login(config.user, password or "")
        yield client
    finally:
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()


def send_email(
    plan: Plan,
    handout: Handout,
    *,
    retries: int = 3,
    backoff: float = 2.0,
    sleep: Callable[[float], None] = time.sleep,
    on_item: Callable[[Item, str], None] | None = None,
) -> SendResult:
    """Send the plan, one message per recipient and PDF, each attempt in the ledger before its
    content goes and settled by the server's answer. A failure before the server could have taken
    the message is retried with backoff on a new connection; a permanent refusal is recorded for
    that person and the batch goes on; no answer once the content went leaves the item uncertain
    (never retried here) and the batch goes on over a new connection; a PDF that is no longer the
    version planned is not sent; when the server stays unreachable the batch stops (resumable).
    `on_item` hears each item's outcome: SENT, FAILED, SENDING (uncertain) or CHANGED."""
    config, ledger = handout.config, handout.ledger
    email = config.email
    if email is None:
        raise DeliveryProblem(
            "Pengaturan email belum diisi: isi bagian [email] di kinerja.toml (host dan pengirim), "
            "atau bagikan PDF lewat folder dengan `kinerja kirim --folder FOLDER`."
        )
    password = smtp_password(email)
    writer = MailWriter()
    result = SendResult()
    pending = list(plan.to_send)
    interval = 60.0 / email.per_minute
    attempt = 0
    while pending:
        try:
            with smtp_connection(email, password) as client:
                while pending:
                    item = pending[0]
                    data = planned_bytes(item)
                    if data is None:
                        status, reason = CHANGED, ""
                    else:
                        message = _message(item, data, plan.periode, handout, email, writer)
                        status, reason = _attempt(client, ledger, plan.periode, item, message)
                    pending.pop(0)
                    if status == SENT:
                        attempt = 0  # the server works again: the next fault gets its own retries
                        result.sent.append(item)
                    elif status == FAILED:
                        result.failed.append((item, reason))
                    elif status == SENDING:
                        result.uncertain.append(item)
                    else:
                        result.changed.append(item)
                    if on_item:
                        on_item(item, status)
                    if status == SENDING:
                        break  # that connection is gone: the rest go over a new one
                    if pending and status != CHANGED:
                        sleep(interval)
        except smtplib.SMTPAuthenticationError as error:
            raise DeliveryProblem(
                f"Login ke server email ditolak ({_smtp_error(error)})."
            ) from None
        except smtplib.SMTPNotSupportedError as error:
            raise DeliveryProblem(
                f"Server email tidak mendukung yang diminta ({error}). Periksa keamanan, port dan "
                "pengguna di bagian [email] kinerja.toml."
            ) from None
        except OSError as error:
            # SMTPException is an OSError too: what is left here may pass on a new connection
            attempt += 1
            if attempt > retries:
                result.stopped = f"{type(error).__name__}: {error}"
                return result
            sleep(backoff ** (attempt - 1))
    return result


def _attempt(
    client: smtplib.SMTP, ledger: Ledger, periode: Periode, item: Item, message: EmailMessage
) -> tuple[str, str]:
    """Send one message over `client`, its attempt in the ledger: recorded SENDING right before
    the content goes, then settled. Returns (SENT, ""), (FAILED, reason) for a permanent refusal,
    or (SENDING, reason) when no answer came once the content went; raises the error of a
    failure the server cannot have taken the message through (its attempt, if any, settled as
    FAILED), to be retried on a new connection."""
    rows: list[int] = []

    def content_goes() -> None:
        rows.append(ledger.record(delivery_record(periode, item, "email", SENDING, "")))

    try:
        _transmit(client, _outgoing(message, item.recipient), content_goes)
    except Uncertain as error:
        reason = f"tidak ada jawaban server setelah pesan diserahkan ({error})"
        ledger.settle(rows[0], SENDING, reason)
        return SENDING, reason
    except OSError as error:  # smtplib's errors included
        reason = _smtp_error(error)
        permanent = isinstance(error, smtplib.SMTPRecipientsRefused) or (
            isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500
        )
        if rows:
            ledger.settle(rows[0], FAILED, reason)
        elif permanent:
            ledger.record(delivery_record(periode, item, "email", FAILED, reason))
        if permanent:
            return FAILED, reason
        raise
    ledger.settle(rows[0], SENT)
    return SENT, ""


def _outgoing(message: EmailMessage, recipient: str) -> Outgoing:
    """The message's bytes as smtplib's send_message would send them."""
    sender = parseaddr(str(message["From"]))[1]
    international = not (sender + recipient).isascii()
    buffer = BytesIO()
    policy = SMTPUTF8 if international else None  # as smtplib's send_message does
    BytesGenerator(buffer, policy=policy).flatten(message, linesep="\r\n")
    return Outgoing(sender, recipient, buffer.getvalue(), international)


def _transmit(client: smtplib.SMTP, mail: Outgoing, content_goes: Callable[[], None]) -> None:
    """MAIL, RCPT and DATA step by step (what `sendmail` does), so that a failure is known to come
    before the server could have accepted the message (smtplib's error is raised: safe to retry)
    or after its content went, end marker included (Uncertain). `content_goes` is called right
    before the content is sent."""
    client.ehlo_or_helo_if_needed()
    options = []
    if mail.international:
        if not client.has_extn("smtputf8"):
            raise smtplib.SMTPNotSupportedError("Server tidak mendukung alamat email non-ASCII")
        options += ["SMTPUTF8", "BODY=8BITMIME"]
    if client.does_esmtp and client.has_extn("size"):
        options.append(f"size={len(mail.data)}")
    code, reply = client.mail(mail.sender, options)
    if code != 250:
        _reset(client)
        raise smtplib.SMTPSenderRefused(code, reply, mail.sender)
    code, reply = client.rcpt(mail.recipient)
    if code not in (250, 251):
        _reset(client)
        raise smtplib.SMTPRecipientsRefused({mail.recipient: (code, reply)})
    code, reply = client.docmd("data")
    if code != 354:
        _reset(client)
        raise smtplib.SMTPDataError(code, reply)
    content_goes()
    # One send, end marker last: when it fails, the end did not go and the server cannot have
    # accepted the message (smtplib closes the connection and raises SMTPServerDisconnected).
    client.send(_dot_stuffed(mail.data))
    try:
        code, reply = client.getreply()
    except smtplib.SMTPServerDisconnected as error:
        raise Uncertain(str(error) or type(error).__name__) from None
    if 200 <= code < 300:
        return
    if 400 <= code < 600:  # the server says it did not take the message
        _reset(client)
        raise smtplib.SMTPDataError(code, reply)
    raise Uncertain(f"jawaban tak dikenal: {code} {reply.decode(errors='replace')}")


def _dot_stuffed(data: bytes) -> bytes:
    """The content as DATA carries it: a leading dot doubled, ending with `CRLF.CRLF`."""
    quoted = re.sub(rb"(?m)^\.", b"..", data)
    if not quoted.endswith(b"\r\n"):
        quoted += b"\r\n"
    return quoted + b".\r\n"


def _reset(client: smtplib.SMTP) -> None:
    """Abandon the transaction so the connection can carry the next message (if it still can)."""
    with suppress(OSError):  # smtplib's errors included
        client.rset()


def _smtp_error(error: OSError) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [
            f"{code} {msg.decode(errors='replace')}" for code, msg in error.recipients.values()
        ]
        return "; ".join(codes)
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error
        text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
        return f"{error.smtp_code} {text}"
    return str(error) or type(error).__name__


def _message(
    item: Item,
    data: bytes,
    periode: Periode,
    handout: Handout,
    email: EmailConfig,
    writer: MailWriter,
) -> EmailMessage:
    """The e-mail for an item, its attachment made from `data` (the bytes the plan hashed)."""
    rule = handout.config.pdf_password_rule
    mail = writer.write(item, periode, handout.instansi, email.contact, rule)
    message = EmailMessage()
    message["From"] = email.sender or email.user
    message["To"] = item.recipient
    message["Subject"] = mail.subject
    message["Message-ID"] = message_id(periode, item.employee.nip, item.recipient, item.sha256)
    message.set_content(mail.body)
    attachment = protected_pdf(data, pdf_password(item.employee, rule))
    message.add_attachment(
        attachment, maintype="application", subtype="pdf", filename=item.pdf.name
    )
    return message
