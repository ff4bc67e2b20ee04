"""A period's handout (`kinerja kirim`): whose each PDF is, who gets which version, and laying
them out in folders per unit. E-mail sending is in `mail.py`.

Every hand-over is written to the ledger (history.Ledger) with the hash of the PDF version, so a
version is never handed to the same person twice, a corrected PDF is sent again (saying it replaces
the earlier one), and a batch cut off halfway resumes where it stopped. Which PDF is whose comes from
what the run recorded in the history (`renders`), never from file names. A handout holds the working
folder's lock while it is used (no run rebuilds the PDFs, no other `kirim` sends them), and the bytes
handed out are the bytes the plan hashed (read once at send time, and not sent when they changed).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from kinerja_batch.config import WorkspaceConfig
from kinerja_batch.fsutil import atomic_path, atomic_write_bytes, sha256_of, slug
from kinerja_batch.history import SENDING, SENT, Delivery, History, Ledger
from kinerja_batch.loading import NoProgress, load_files
from kinerja_batch.lock import exclusive
from kinerja_batch.model import Employee, Periode
from kinerja_batch.settings import Settings
from kinerja_batch.sheets.delivery_report import write_delivery_report

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


def plan_folders(handout: Handout, target: Path) -> Plan:
    """`kinerja kirim --folder`: every PDF of the period to the folder of the employee's unit,
    except versions already laid out there."""
    plan = Plan(handout.periode)
    for employee, pdf in handout.employees_with_pdf():
        place = str(target / slug(employee.unit_kerja or "tanpa_unit"))
        _place(plan, handout.ledger, Item(employee, place, pdf, sha256_of(pdf), False))
    return plan


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
        handout.ledger.record(delivery_record(plan.periode, item, "folder", SENT, ""))
        units.add(folder)
        result.sent.append(item)
    for folder in sorted(units):
        with atomic_path(folder.with_suffix(".zip")) as tmp, zipfile.ZipFile(tmp, "w") as archive:
            for pdf in sorted(folder.glob("*.pdf")):
                archive.write(pdf, pdf.name)
    return result


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


def delivery_record(
    periode: Periode, item: Item, channel: str, status: str, error: str
) -> Delivery:
    now = dt.datetime.now().isoformat(timespec="seconds")
    return Delivery(
        periode, item.employee.nip, item.recipient, channel, item.sha256, status, now, error
    )
