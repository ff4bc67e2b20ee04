"""Handing out the feedback PDFs (`kinerja kirim`): by e-mail, or laid out in folders per unit.

Every hand-over is written to the ledger (history.Ledger) with the hash of the PDF version, so a
version is never handed to the same person twice, a corrected PDF is sent again (saying it replaces
the earlier one), and a batch cut off halfway resumes where it stopped. Which PDF is whose comes from
what the run recorded in the history (`renders`), never from file names.

At most once per version and recipient: a handout holds the working folder's lock while it is used
(no run rebuilds the PDFs, no other `kirim` sends them); the bytes sent are the bytes the plan hashed
(read once at send time, and not sent when they changed); an e-mail's attempt is in the ledger as
`mengirim` before its content goes and settled by the server's answer, so one without an answer
(the connection dropped after the content went, or the program was stopped) stays uncertain and is
not sent again unless HR asks; and its Message-ID is derived from (period, NIP, recipient, version),
so a repeat that HR asked for is recognisably the same message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import smtplib
import ssl
import stat
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.policy import SMTPUTF8
from email.utils import parseaddr
from io import BytesIO
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pypdf import PdfReader, PdfWriter

from kinerja_batch.config import EmailConfig, WorkspaceConfig
from kinerja_batch.fsutil import atomic_path, atomic_write_bytes, sha256_of, slug, templates_dir
from kinerja_batch.history import FAILED, SENDING, SENT, Delivery, History, Ledger
from kinerja_batch.loading import NoProgress, load_files
from kinerja_batch.lock import exclusive
from kinerja_batch.model import Employee, Periode
from kinerja_batch.settings import Settings
from kinerja_batch.sheets.delivery_report import write_delivery_report

PASSWORD_ENV = "KINERJA_SMTP_PASSWORD"
CHANGED = (
    "berubah"  # an item's PDF is not the version planned: not handed out (not a ledger status)
)


class DeliveryProblem(Exception):
    """Sending cannot start (no settings, an unsafe password file); the message is for the user."""


@dataclass(frozen=True)
class Item:
    """One PDF for one recipient."""

    employee: Employee
    recipient: str  # e-mail address ("" when the roster has none) or folder
    pdf: Path
    sha256: str
    replaces: bool  # an earlier version went (or may have gone) to this recipient
    copy_for: Employee | None = None  # set when this is a supervisor's copy of `employee`'s PDF
    uncertain_at: str | None = None  # an earlier attempt of this very version got no answer (when)


@dataclass
class Plan:
    periode: Periode
    to_send: list[Item] = field(default_factory=list)
    already: list[Item] = field(default_factory=list)
    uncertain: list[Item] = field(default_factory=list)  # held back: may have arrived already
    without_address: list[Employee] = field(default_factory=list)


@dataclass(frozen=True)
class Handout:
    """One period's PDFs and what handing them out needs: whose each PDF is (from the history's
    record of the run), the roster, the agency's name as the documents carry it, and the ledger."""

    config: WorkspaceConfig
    periode: Periode
    roster: tuple[Employee, ...]
    instansi: str
    pdfs: dict[str, Path]  # NIP -> the employee's current PDF
    ledger: Ledger

    def employees_with_pdf(self) -> list[tuple[Employee, Path]]:
        """Each employee with a PDF, in the order of the PDFs' names (by NIP)."""
        by_nip = {e.nip: e for e in self.roster}
        return sorted(
            ((by_nip[nip], path) for nip, path in self.pdfs.items()), key=lambda ep: ep[1].name
        )

    def write_report(self) -> Path:
        """The period's delivery report workbook (every hand-over so far); its path."""
        path = self.config.paths.output.period(self.periode).delivery_report
        names = {e.nip: e.nama for e in self.roster}
        files = {nip: pdf.name for nip, pdf in self.pdfs.items()}
        write_delivery_report(self.ledger.all(self.periode), names, files, path)
        return path


@contextmanager
def open_handout(
    config: WorkspaceConfig, settings: Settings, periode: Periode, now: dt.datetime | None = None
) -> Iterator[Handout]:
    """The period's handout, holding the working folder's lock and the history open for the
    ledger while it is used: no run rebuilds the PDFs and no other handout sends them meanwhile
    (lock.Busy when another holds the folder)."""
    paths = config.paths
    with exclusive(paths.lock, now or dt.datetime.now()):
        missing = DeliveryProblem(
            f"Belum ada PDF umpan balik untuk {periode.label}. Jalankan `kinerja run` dulu."
        )
        if not paths.database.is_file():
            raise missing
        standing = config.standing_files()
        loaded = load_files([(p, p.name) for p in standing], settings, NoProgress())
        history = History(paths.database)
        try:
            by_nip = {e.nip: e for e in loaded.roster}
            pdfs = {}
            for nip, stored in history.renders(periode).items():
                employee = by_nip.get(nip)
                if employee is None:
                    continue  # no longer in the roster: nobody to hand it to
                path = paths.recorded_pdf(periode, employee, stored.file)
                if path.is_file():
                    pdfs[nip] = path
            if not pdfs:
                raise missing
            yield Handout(
                config,
                periode,
                tuple(loaded.roster),
                loaded.criteria.nama_instansi,
                pdfs,
                Ledger(history),
            )
        finally:
            history.close()


def plan_email(handout: Handout, copy_to_supervisor: bool, retry_uncertain: bool = False) -> Plan:
    """Who gets which PDF: every PDF of the period to its employee (and, optionally, to the
    employee's supervisor), except versions the ledger says that person already has. A version
    whose last attempt got no answer is uncertain: held back, unless `retry_uncertain` (HR found
    that it did not arrive)."""
    plan = Plan(handout.periode)
    by_nip = {e.nip: e for e in handout.roster}
    for employee, pdf in handout.employees_with_pdf():
        digest = sha256_of(pdf)
        targets: list[tuple[str, Employee | None]] = [(employee.email or "", None)]
        atasan = by_nip.get(employee.nip_atasan or "")
        if copy_to_supervisor and atasan is not None and atasan.email:
            targets.append((atasan.email, atasan))
        for address, supervisor in targets:
            if not address:
                plan.without_address.append(employee)
                continue
            item = Item(employee, address, pdf, digest, False, supervisor)
            _place(plan, handout.ledger, item, retry_uncertain)
    return plan


def _place(plan: Plan, ledger: Ledger, item: Item, retry_uncertain: bool = False) -> None:
    """Put an item where the ledger says it belongs: already handed over (its version was sent),
    uncertain (its last attempt got no answer), or to send; and say whether it replaces another
    version the recipient has or may have."""
    nip, recipient, digest = item.employee.nip, item.recipient, item.sha256
    versions = ledger.delivered_versions(plan.periode, nip, recipient)
    state = ledger.state(plan.periode, nip, recipient, digest)
    uncertain = state.at if state is not None and state.status == SENDING else None
    item = replace(item, replaces=any(v != digest for v in versions), uncertain_at=uncertain)
    if state is not None and state.status == SENT:
        plan.already.append(item)
    elif uncertain is not None and not retry_uncertain:
        plan.uncertain.append(item)
    else:
        plan.to_send.append(item)


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


def pdf_password(employee: Employee, rule: str) -> str | None:
    """The per-employee PDF password by the rule HR chose (never written in the e-mail)."""
    if rule == "tanggal_lahir":
        return employee.nip[:8]
    return None


def planned_bytes(item: Item) -> bytes | None:
    """The item's PDF as the plan hashed it, read once; None when it is no longer that version
    (changed or gone since the plan: it is planned again next time)."""
    try:
        data = item.pdf.read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == item.sha256 else None


def protected_pdf(data: bytes, password: str | None) -> bytes:
    """The PDF's bytes, encrypted with `password` when there is one."""
    if password is None:
        return data
    writer = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


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


@dataclass
class SendResult:
    """What came of handing out a plan, item by item."""

    sent: list[Item] = field(default_factory=list)
    failed: list[tuple[Item, str]] = field(default_factory=list)
    uncertain: list[Item] = field(default_factory=list)  # no answer after the content went
    changed: list[Item] = field(default_factory=list)  # the PDF is not the version planned
    stopped: str | None = None  # why the batch stopped early (the rest is sent next time)

    @property
    def handled(self) -> int:
        return len(self.sent) + len(self.failed) + len(self.uncertain) + len(self.changed)


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
        rows.append(ledger.record(_delivery(periode, item, "email", SENDING, "")))

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
            ledger.record(_delivery(periode, item, "email", FAILED, reason))
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


def _delivery(periode: Periode, item: Item, channel: str, status: str, error: str) -> Delivery:
    now = dt.datetime.now().isoformat(timespec="seconds")
    return Delivery(
        periode, item.employee.nip, item.recipient, channel, item.sha256, status, now, error
    )


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


def lay_out_folders(plan: Plan, handout: Handout) -> SendResult:
    """`kinerja kirim --folder`: each PDF into `target/<unit>/`, and a zip per unit. Laying out
    is repeatable (the same bytes to the same place), so it is recorded once done."""
    result = SendResult()
    units: set[Path] = set()
    rule = handout.config.pdf_password_rule
    for item in plan.to_send:
        data = planned_bytes(item)
        if data is None:
            result.changed.append(item)
            continue
        folder = Path(item.recipient)
        atomic_write_bytes(
            folder / item.pdf.name, protected_pdf(data, pdf_password(item.employee, rule))
        )
        handout.ledger.record(_delivery(plan.periode, item, "folder", SENT, ""))
        units.add(folder)
        result.sent.append(item)
    for folder in sorted(units):
        with atomic_path(folder.with_suffix(".zip")) as tmp, zipfile.ZipFile(tmp, "w") as archive:
            for pdf in sorted(folder.glob("*.pdf")):
                archive.write(pdf, pdf.name)
    return result


def plan_folders(handout: Handout, target: Path) -> Plan:
    """`kinerja kirim --folder`: every PDF of the period to the folder of the employee's unit,
    except versions already laid out there."""
    plan = Plan(handout.periode)
    for employee, pdf in handout.employees_with_pdf():
        place = str(target / slug(employee.unit_kerja or "tanpa_unit"))
        _place(plan, handout.ledger, Item(employee, place, pdf, sha256_of(pdf), False))
    return plan
