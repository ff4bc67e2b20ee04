"""Handing out the feedback PDFs (`kinerja kirim`): by e-mail, or laid out in folders per unit.

Every hand-over is written to the ledger (history.Ledger) with the hash of the PDF version, so a
version is never handed to the same person twice, a corrected PDF is sent again (saying it replaces
the earlier one), and a batch cut off halfway resumes where it stopped. Which PDF is whose comes from
what the run recorded in the history (`renders`), never from file names.
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
import ssl
import stat
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid
from io import BytesIO
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pypdf import PdfReader, PdfWriter

from kinerja_batch.config import EmailConfig, WorkspaceConfig
from kinerja_batch.fsutil import atomic_path, atomic_write_bytes, sha256_of, slug, templates_dir
from kinerja_batch.history import Delivery, History, Ledger
from kinerja_batch.loading import NoProgress, load_files
from kinerja_batch.model import Employee, Periode
from kinerja_batch.settings import Settings
from kinerja_batch.sheets.delivery_report import write_delivery_report

PASSWORD_ENV = "KINERJA_SMTP_PASSWORD"
SENT, FAILED = "terkirim", "gagal"


class DeliveryProblem(Exception):
    """Sending cannot start (no settings, an unsafe password file); the message is for the user."""


@dataclass(frozen=True)
class Item:
    """One PDF for one recipient."""

    employee: Employee
    recipient: str  # e-mail address ("" when the roster has none) or folder
    pdf: Path
    sha256: str
    replaces: bool  # an earlier version went to this recipient
    copy_for: Employee | None = None  # set when this is a supervisor's copy of `employee`'s PDF


@dataclass
class Plan:
    periode: Periode
    to_send: list[Item] = field(default_factory=list)
    already: list[Item] = field(default_factory=list)
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
    config: WorkspaceConfig, settings: Settings, periode: Periode
) -> Iterator[Handout]:
    """The period's handout, with the history open for the ledger while it is used."""
    paths = config.paths
    missing = DeliveryProblem(
        f"Belum ada PDF umpan balik untuk {periode.label}. Jalankan `kinerja run` dulu."
    )
    if not paths.database.is_file():
        raise missing
    standing = list(dict.fromkeys((config.kriteria, config.pegawai)))
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


def plan_email(handout: Handout, copy_to_supervisor: bool) -> Plan:
    """Who gets which PDF: every PDF of the period to its employee (and, optionally, to the
    employee's supervisor), except versions the ledger says that person already has."""
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
            versions = handout.ledger.delivered_versions(plan.periode, employee.nip, address)
            item = Item(employee, address, pdf, digest, bool(versions), supervisor)
            (plan.already if digest in versions else plan.to_send).append(item)
    return plan


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


def protected_pdf(path: Path, password: str | None) -> bytes:
    data = path.read_bytes()
    if password is None:
        return data
    writer = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


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
    sent: list[Item] = field(default_factory=list)
    failed: list[tuple[Item, str]] = field(default_factory=list)
    stopped: str | None = None  # why the batch stopped early (the rest is sent next time)


TRANSIENT = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,
)


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
    """Send the plan, one message per recipient and PDF, recording each in the ledger. Transient
    failures are retried with backoff on a new connection; a permanent refusal is recorded for that
    person and the batch goes on; when the server stays unreachable the batch stops (resumable)."""
    config, ledger, instansi = handout.config, handout.ledger, handout.instansi
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
                    message = _message(item, plan.periode, config, email, writer, instansi)
                    try:
                        client.send_message(message)
                    except smtplib.SMTPRecipientsRefused as e:
                        _failed(ledger, plan, item, _smtp_error(e), result, on_item)
                        pending.pop(0)
                        continue
                    except smtplib.SMTPResponseException as e:
                        if e.smtp_code >= 500:
                            _failed(ledger, plan, item, _smtp_error(e), result, on_item)
                            pending.pop(0)
                            continue
                        raise
                    ledger.record(_delivery(plan.periode, item, "email", SENT, ""))
                    attempt = 0  # the server works again: the next fault gets its own retries
                    result.sent.append(item)
                    if on_item:
                        on_item(item, SENT)
                    pending.pop(0)
                    if pending:
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
        except (*TRANSIENT, smtplib.SMTPResponseException, OSError) as error:
            # SMTPException is an OSError too: what is left here may pass on a new connection
            attempt += 1
            if attempt > retries:
                result.stopped = f"{type(error).__name__}: {error}"
                return result
            sleep(backoff ** (attempt - 1))
    return result


def _smtp_error(error: smtplib.SMTPException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [
            f"{code} {msg.decode(errors='replace')}" for code, msg in error.recipients.values()
        ]
        return "; ".join(codes)
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error
        text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
        return f"{error.smtp_code} {text}"
    return str(error)


def _failed(
    ledger: Ledger,
    plan: Plan,
    item: Item,
    reason: str,
    result: SendResult,
    on_item: Callable[[Item, str], None] | None,
) -> None:
    ledger.record(_delivery(plan.periode, item, "email", FAILED, reason))
    result.failed.append((item, reason))
    if on_item:
        on_item(item, FAILED)


def _delivery(periode: Periode, item: Item, channel: str, status: str, error: str) -> Delivery:
    now = dt.datetime.now().isoformat(timespec="seconds")
    return Delivery(
        periode, item.employee.nip, item.recipient, channel, item.sha256, status, now, error
    )


def _message(
    item: Item,
    periode: Periode,
    config: WorkspaceConfig,
    email: EmailConfig,
    writer: MailWriter,
    instansi: str,
) -> EmailMessage:
    mail = writer.write(item, periode, instansi, email.contact, config.pdf_password_rule)
    message = EmailMessage()
    message["From"] = email.sender or email.user
    message["To"] = item.recipient
    message["Subject"] = mail.subject
    message["Message-ID"] = make_msgid(domain="kinerja-batch")
    message.set_content(mail.body)
    data = protected_pdf(item.pdf, pdf_password(item.employee, config.pdf_password_rule))
    message.add_attachment(data, maintype="application", subtype="pdf", filename=item.pdf.name)
    return message


def lay_out_folders(plan: Plan, handout: Handout) -> list[Item]:
    """`kinerja kirim --folder`: each PDF into `target/<unit>/`, and a zip per unit."""
    done: list[Item] = []
    units: dict[Path, list[Path]] = {}
    rule = handout.config.pdf_password_rule
    for item in plan.to_send:
        folder = Path(item.recipient)
        path = folder / item.pdf.name
        data = protected_pdf(item.pdf, pdf_password(item.employee, rule))
        atomic_write_bytes(path, data)
        handout.ledger.record(_delivery(plan.periode, item, "folder", SENT, ""))
        units.setdefault(folder, []).append(path)
        done.append(item)
    for folder in units:
        with atomic_path(folder.with_suffix(".zip")) as tmp, zipfile.ZipFile(tmp, "w") as archive:
            for pdf in sorted(folder.glob("*.pdf")):
                archive.write(pdf, pdf.name)
    return done


def plan_folders(handout: Handout, target: Path) -> Plan:
    """`kinerja kirim --folder`: every PDF of the period to the folder of the employee's unit,
    except versions already laid out there."""
    plan = Plan(handout.periode)
    for employee, pdf in handout.employees_with_pdf():
        place = str(target / slug(employee.unit_kerja or "tanpa_unit"))
        digest = sha256_of(pdf)
        versions = handout.ledger.delivered_versions(plan.periode, employee.nip, place)
        item = Item(employee, place, pdf, digest, bool(versions))
        (plan.already if digest in versions else plan.to_send).append(item)
    return plan
