"""The working folder's history: an SQLite database of runs, inputs and results per period.

Everything a later run needs to know lives here: which inputs were accepted (with their SHA-256 and
where their bytes are kept), every employee's results per period (for trends and the annual
suggestion), and what each period's outputs were built from (so a run with nothing new does nothing).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kinerja_batch.model import Periode, PeriodOutcome, Predikat, Rating, Status, TrendPoint

BUSY_TIMEOUT = 30.0  # seconds to wait for another program's lock on the database
SCHEMA_VERSION = 2  # 2: renders.file
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'berjalan',
    summary TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS inputs (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    name TEXT NOT NULL,             -- the file name as it arrived in the inbox
    kind TEXT NOT NULL,             -- laporan / penilaian
    periode TEXT NOT NULL,          -- 2026-11
    subject TEXT NOT NULL,          -- the employee's NIP (laporan) or the supervisor's (penilaian)
    archive_path TEXT NOT NULL,     -- relative to the working folder
    received_at TEXT NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    UNIQUE (sha256, periode)
);
CREATE TABLE IF NOT EXISTS results (
    periode TEXT NOT NULL,
    nip TEXT NOT NULL,
    nama TEXT NOT NULL,
    unit_kerja TEXT NOT NULL,
    status TEXT NOT NULL,
    nilai_hasil REAL,
    rating_hasil TEXT,
    nilai_perilaku REAL,
    rating_perilaku TEXT,
    predikat TEXT,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    PRIMARY KEY (periode, nip)
);
CREATE TABLE IF NOT EXISTS periods (
    periode TEXT PRIMARY KEY,
    digest TEXT NOT NULL,           -- of everything the period's outputs were built from
    built_at TEXT NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs(id)
);
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY,
    periode TEXT NOT NULL,
    nip TEXT NOT NULL,
    recipient TEXT NOT NULL,        -- an e-mail address, or the folder a PDF was laid out in
    channel TEXT NOT NULL,          -- email / folder
    pdf_sha256 TEXT NOT NULL,       -- the version handed out
    status TEXT NOT NULL,           -- mengirim (under way, or unknown) / terkirim / gagal
    at TEXT NOT NULL,               -- when the attempt began
    error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS deliveries_by_person ON deliveries (periode, nip, recipient);
CREATE TABLE IF NOT EXISTS renders (
    periode TEXT NOT NULL,
    nip TEXT NOT NULL,
    content TEXT NOT NULL,          -- digest of everything the PDF shows, its date aside
    generated_on TEXT NOT NULL,     -- the date printed in that PDF
    file TEXT NOT NULL DEFAULT '',  -- where it was written, relative to the working folder
    PRIMARY KEY (periode, nip)
);
"""


@dataclass(frozen=True)
class StoredInput:
    sha256: str
    name: str
    kind: str
    periode: Periode
    subject: str
    archive_path: str
    received_at: str


@dataclass(frozen=True)
class StoredResult:
    nip: str
    nama: str
    unit_kerja: str
    point: TrendPoint


@dataclass(frozen=True)
class StoredRender:
    """A PDF a run wrote: what it shows (digest), the date printed in it, and where it is
    (relative to the working folder; blank for PDFs recorded before version 2)."""

    nip: str
    content: str
    generated_on: dt.date
    file: str


def _render(row: tuple[str, str, str, str]) -> StoredRender:
    return StoredRender(row[0], row[1], dt.date.fromisoformat(row[2]), row[3])


def _periode(key: str) -> Periode:
    """A period from its key: `2026-11`, or a quarter's `2026-Q3`."""
    year, part = key.split("-")
    if part.startswith("Q"):
        return Periode.triwulan(int(year), int(part[1:]))
    return Periode(int(year), int(part))


def _stored(row: tuple[str, ...]) -> StoredInput:
    sha256, name, kind, periode, subject, archive_path, received_at = row
    return StoredInput(sha256, name, kind, _periode(periode), subject, archive_path, received_at)


class History:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(SCHEMA)
        self._upgrade()

    def _upgrade(self) -> None:
        """Bring a database written by an earlier version to this schema (adding only)."""
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(renders)")}
        if "file" not in columns:  # version 1: renders did not say where the PDF was written
            self.db.execute("ALTER TABLE renders ADD COLUMN file TEXT NOT NULL DEFAULT ''")
        self.db.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # --- runs ---------------------------------------------------------------------------------

    def start_run(self, now: dt.datetime) -> int:
        """Record a run's start. Called under the working folder's lock, so a run still marked
        running was stopped before it could say so (killed, power cut): it is marked `terputus`."""
        self.db.execute(
            "UPDATE runs SET status = 'terputus', summary = 'berhenti sebelum selesai'"
            " WHERE status = 'berjalan'"
        )
        cur = self.db.execute("INSERT INTO runs (started_at) VALUES (?)", (now.isoformat(),))
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, now: dt.datetime, status: str, summary: str) -> None:
        self.db.execute(
            "UPDATE runs SET finished_at = ?, status = ?, summary = ? WHERE id = ?",
            (now.isoformat(), status, summary, run_id),
        )

    # --- inputs -------------------------------------------------------------------------------

    def record_input(self, item: StoredInput, run_id: int) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO inputs (sha256, name, kind, periode, subject, archive_path,"
            " received_at, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                item.sha256,
                item.name,
                item.kind,
                item.periode.key,
                item.subject,
                item.archive_path,
                item.received_at,
                run_id,
            ),
        )

    def known_hashes(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT sha256 FROM inputs")}

    def input_by_hash(self, sha256: str) -> StoredInput | None:
        row = self.db.execute(
            "SELECT sha256, name, kind, periode, subject, archive_path, received_at FROM inputs"
            " WHERE sha256 = ? ORDER BY id LIMIT 1",
            (sha256,),
        ).fetchone()
        return None if row is None else _stored(row)

    def inputs(self, periode: Periode | None = None) -> list[StoredInput]:
        """Accepted inputs, oldest first (a later one for the same subject replaces an earlier)."""
        query = "SELECT sha256, name, kind, periode, subject, archive_path, received_at FROM inputs"
        args: tuple[str, ...] = ()
        if periode is not None:
            query += " WHERE periode = ?"
            args = (periode.key,)
        rows = self.db.execute(query + " ORDER BY id", args).fetchall()
        return [_stored(r) for r in rows]

    def replace_inputs(self, items: list[StoredInput], run_id: int) -> None:
        """`kinerja pulihkan`: the accepted inputs are exactly `items` (oldest first), and every
        period is rebuilt by the next run (its digest is forgotten). Results, renders and the
        delivery ledger are kept."""
        with self.transaction():
            self.db.execute("DELETE FROM inputs")
            for item in items:
                self.record_input(item, run_id)
            self.db.execute("DELETE FROM periods")

    def has_runs(self) -> bool:
        """Whether any run ever used this history (a new or emptied one has none)."""
        return self.db.execute("SELECT 1 FROM runs LIMIT 1").fetchone() is not None

    def periods(self) -> list[Periode]:
        rows = self.db.execute("SELECT DISTINCT periode FROM inputs ORDER BY periode")
        return [_periode(r[0]) for r in rows]

    # --- periods and renders --------------------------------------------------------------------

    def period_digest(self, periode: Periode) -> str | None:
        row = self.db.execute(
            "SELECT digest FROM periods WHERE periode = ?", (periode.key,)
        ).fetchone()
        return None if row is None else str(row[0])

    def set_period_digest(
        self, periode: Periode, digest: str, now: dt.datetime, run_id: int
    ) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO periods VALUES (?, ?, ?, ?)",
            (periode.key, digest, now.isoformat(), run_id),
        )

    def rendered(self, periode: Periode, nip: str) -> StoredRender | None:
        row = self.db.execute(
            "SELECT nip, content, generated_on, file FROM renders WHERE periode = ? AND nip = ?",
            (periode.key, nip),
        ).fetchone()
        return None if row is None else _render(row)

    def renders(self, periode: Periode) -> dict[str, StoredRender]:
        """Per NIP, the PDF of the period the last run recorded as written and current."""
        rows = self.db.execute(
            "SELECT nip, content, generated_on, file FROM renders WHERE periode = ?",
            (periode.key,),
        )
        return {row[0]: _render(row) for row in rows}

    def save_render(
        self, periode: Periode, nip: str, content: str, generated_on: dt.date, file: str
    ) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO renders (periode, nip, content, generated_on, file)"
            " VALUES (?, ?, ?, ?, ?)",
            (periode.key, nip, content, generated_on.isoformat(), file),
        )

    def forget_render(self, periode: Periode, nip: str) -> None:
        """The employee has no current PDF (it failed): the next run makes it."""
        self.db.execute("DELETE FROM renders WHERE periode = ? AND nip = ?", (periode.key, nip))

    # --- results ------------------------------------------------------------------------------

    def save_results(self, outcome: PeriodOutcome, run_id: int) -> None:
        """Replace the period's results with the outcome's (one row per roster employee)."""
        self.db.execute("DELETE FROM results WHERE periode = ?", (outcome.periode.key,))
        rows = []
        for o in outcome.outcomes:
            r = o.result
            rows.append(
                (
                    outcome.periode.key,
                    o.employee.nip,
                    o.employee.nama,
                    o.employee.unit_kerja,
                    o.status.value,
                    r.hasil.value if r else None,
                    r.hasil.rating.value if r else None,
                    r.perilaku.value if r else None,
                    r.perilaku.rating.value if r else None,
                    r.predikat.value if r else None,
                    run_id,
                )
            )
        self.db.executemany("INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def evaluated(self, periods: Iterable[Periode] | None = None) -> list[StoredResult]:
        """Every stored result with status Dinilai, oldest period first."""
        rows = self.db.execute(
            "SELECT periode, nip, nama, unit_kerja, nilai_hasil, rating_hasil, nilai_perilaku,"
            " rating_perilaku, predikat FROM results WHERE status = ? ORDER BY periode, nip",
            (Status.DINILAI.value,),
        ).fetchall()
        wanted = None if periods is None else {p.key for p in periods}
        return [
            StoredResult(
                r[1],
                r[2],
                r[3],
                TrendPoint(_periode(r[0]), r[4], Rating(r[5]), r[6], Rating(r[7]), Predikat(r[8])),
            )
            for r in rows
            if wanted is None or r[0] in wanted
        ]

    def trends(self, upto: Periode, count: int) -> dict[str, tuple[TrendPoint, ...]]:
        """Per NIP, the last `count` evaluated periods up to and including `upto`, of `upto`'s
        granularity (an agency that went from months to quarters shows quarters only)."""
        points: dict[str, list[TrendPoint]] = {}
        for stored in self.evaluated():
            periode = stored.point.periode
            if periode.granularity is upto.granularity and periode <= upto:
                points.setdefault(stored.nip, []).append(stored.point)
        return {nip: tuple(p[-count:]) for nip, p in points.items()}


# A hand-over's status. An e-mail is recorded SENDING before its content goes to the server and
# settled as SENT or FAILED by the server's answer; one still SENDING got no answer (the connection
# dropped, or the program was stopped), so the recipient may or may not have it.
SENDING, SENT, FAILED = "mengirim", "terkirim", "gagal"
STATUS_WORDS = {SENDING: "tidak pasti", SENT: "terkirim", FAILED: "gagal"}  # as people read them


@dataclass(frozen=True)
class Delivery:
    """One attempt to hand a version (by hash) of an employee's PDF to one recipient."""

    periode: Periode
    nip: str
    recipient: str
    channel: str
    pdf_sha256: str
    status: str
    at: str
    error: str


@dataclass(frozen=True)
class VersionState:
    """Where one version stands with one recipient: SENT when any attempt was sent, else the
    status of its latest attempt (SENDING: uncertain; FAILED: not delivered), and when that began."""

    status: str
    at: str


class Ledger:
    """The delivery ledger: what was handed out, to whom, when, and which version (by hash). One
    row per attempt; an e-mail's row is written before the message goes and settled after."""

    def __init__(self, history: History) -> None:
        self.db = history.db

    def record(self, d: Delivery) -> int:
        """Write an attempt; its row id (to settle it)."""
        cur = self.db.execute(
            "INSERT INTO deliveries (periode, nip, recipient, channel, pdf_sha256, status, at, error)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (d.periode.key, d.nip, d.recipient, d.channel, d.pdf_sha256, d.status, d.at, d.error),
        )
        return int(cur.lastrowid or 0)

    def settle(self, row: int, status: str, error: str = "") -> None:
        """What came of an attempt recorded as SENDING (it stays SENDING when nobody knows)."""
        self.db.execute(
            "UPDATE deliveries SET status = ?, error = ? WHERE id = ?", (status, error, row)
        )

    def delivered_versions(self, periode: Periode, nip: str, recipient: str) -> list[str]:
        """Hashes of the versions this recipient has or may have, oldest first: every version
        with an attempt SENT or still SENDING (even when a later attempt of it failed)."""
        rows = self.db.execute(
            "SELECT pdf_sha256 FROM deliveries WHERE periode = ? AND nip = ? AND recipient = ?"
            " AND status IN (?, ?) ORDER BY id",
            (periode.key, nip, recipient, SENT, SENDING),
        )
        return list(dict.fromkeys(r[0] for r in rows))

    def state(
        self, periode: Periode, nip: str, recipient: str, pdf_sha256: str
    ) -> VersionState | None:
        """Where this version stands with this recipient; None when it was never handed out."""
        rows = self.db.execute(
            "SELECT status, at FROM deliveries WHERE periode = ? AND nip = ? AND recipient = ?"
            " AND pdf_sha256 = ? ORDER BY id",
            (periode.key, nip, recipient, pdf_sha256),
        ).fetchall()
        sent = [VersionState(status, at) for status, at in rows if status == SENT]
        if sent:
            return sent[0]
        return VersionState(*rows[-1]) if rows else None

    def all(self, periode: Periode) -> list[Delivery]:
        rows = self.db.execute(
            "SELECT periode, nip, recipient, channel, pdf_sha256, status, at, error FROM deliveries"
            " WHERE periode = ? ORDER BY id",
            (periode.key,),
        ).fetchall()
        return [Delivery(_periode(r[0]), *r[1:]) for r in rows]
