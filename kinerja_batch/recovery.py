"""The archive is the truth, the history (`kinerja.db`) its index.

Every accepted input's bytes are kept in `arsip/<periode>/<first 12 hex digits of SHA-256>_<name>`;
the history records them, with the results, what each PDF was made from and the delivery ledger.
`check_history` stops a run before it changes anything when the history no longer matches the
archive (lost, emptied, or naming files the archive does not have): a run would otherwise build
every period from nothing and remove PDFs as stale. `rebuild_history` (`kinerja pulihkan`) makes
the history's list of inputs from the archive again; the next run then rebuilds every period.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from kinerja_batch.config import WorkspaceConfig
from kinerja_batch.fsutil import sha256_of
from kinerja_batch.history import History, StoredInput
from kinerja_batch.loading import NoProgress, Progress, load_files
from kinerja_batch.lock import exclusive
from kinerja_batch.paths import DB_NAME, INBOX, TEMPORARY_SUFFIX, WorkspacePaths
from kinerja_batch.settings import Settings

RECOVER = "kinerja pulihkan"
ARCHIVE_PREFIX = 12  # hex digits of the SHA-256 before `_<name>`


class HistoryProblem(Exception):
    """The history cannot be trusted; nothing was changed. The message says what to do."""


def check_history(paths: WorkspacePaths, history: History) -> None:
    """Refuse (HistoryProblem) when the history does not match what the working folder holds."""
    stored = history.inputs()
    if not history.has_runs():
        archived = archive_files(paths)
        outputs = sorted(paths.hasil.glob("*/ringkasan_*.xlsx")) if paths.hasil.is_dir() else []
        if archived or outputs:
            raise HistoryProblem(
                f"Riwayat {DB_NAME} kosong atau hilang, padahal folder kerja ini sudah punya "
                f"{len(archived)} berkas di arsip/ dan {len(outputs)} ringkasan periode di hasil/. "
                "Proses dihentikan; tidak ada yang diubah atau dihapus. Bila ada cadangan "
                f"{DB_NAME}, kembalikan. Bila tidak, jalankan `{RECOVER}` untuk membangun ulang "
                "riwayat dari arsip, lalu `kinerja run`."
            )
        return
    missing = [s for s in stored if not (paths.root / s.archive_path).is_file()]
    if missing:
        raise HistoryProblem(
            f"{len(missing)} berkas yang tercatat di riwayat tidak ada di arsip (misalnya "
            f"{missing[0].archive_path}). Proses dihentikan; tidak ada yang diubah atau dihapus. "
            "Kembalikan folder arsip/ dari cadangan, lalu jalankan lagi. Bila tidak ada cadangan, "
            f"jalankan `{RECOVER}`: riwayat hanya akan memuat berkas yang ada di arsip, dan hasil "
            "periode yang memakai berkas yang hilang akan berubah."
        )


def archive_files(paths: WorkspacePaths) -> list[Path]:
    """Every archived input (`arsip/<periode>/<hash>_<name>`), oldest archived first."""
    if not paths.archive.is_dir():
        return []
    files = [
        p
        for p in paths.archive.glob("*/*")
        if p.is_file()
        and not p.is_symlink()
        and not p.name.startswith(".")
        and not p.name.endswith(TEMPORARY_SUFFIX)
    ]
    return sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.as_posix()))


@dataclass
class Recovery:
    recorded: list[StoredInput] = field(default_factory=list)  # the inputs the history now lists
    forgotten: list[str] = field(default_factory=list)  # records of files the archive lacks
    unusable: list[tuple[str, str]] = field(default_factory=list)  # archive files left out, why
    set_aside: Path | None = None  # where a damaged history was moved


def rebuild_history(
    config: WorkspaceConfig,
    settings: Settings,
    now: dt.datetime,
    progress: Progress | None = None,
) -> Recovery:
    """`kinerja pulihkan`: list the archive's inputs in the history again (a damaged history is
    first moved aside, never deleted). Results, renders and the delivery ledger that survive are
    kept; every period is rebuilt by the next run."""
    paths = config.paths
    recovery = Recovery()
    with exclusive(paths.lock, now):
        recovery.set_aside = _set_aside_if_damaged(paths.database, now)
        history = History(paths.database)
        try:
            earlier = {(s.sha256, s.periode): s for s in history.inputs()}
            order = {key: i for i, key in enumerate(earlier)}
            run_id = history.start_run(now)
            found = _read_archive(config, settings, progress or NoProgress(), recovery)
            kept = {(s.sha256, s.periode) for s in found}
            recovery.forgotten = [s.archive_path for k, s in earlier.items() if k not in kept]
            recorded = [earlier.get((s.sha256, s.periode), s) for s in found]
            recorded.sort(key=lambda s: order.get((s.sha256, s.periode), len(order)))
            history.replace_inputs(recorded, run_id)
            recovery.recorded = recorded
            summary = (
                f"riwayat dibangun ulang dari arsip: {len(recorded)} berkas, "
                f"{len(recovery.unusable)} tidak dipakai, {len(recovery.forgotten)} catatan dihapus"
            )
            history.finish_run(run_id, dt.datetime.now(), "pulihkan", summary)
        finally:
            history.close()
    return recovery


def _read_archive(
    config: WorkspaceConfig, settings: Settings, progress: Progress, recovery: Recovery
) -> list[StoredInput]:
    paths = config.paths
    files = archive_files(paths)
    standing = [(p, p.name) for p in config.standing_files()]
    named = [(p, paths.relative(p)) for p in files]
    loaded = load_files([*standing, *named], settings, progress, root=paths.root)
    by_name = {pf.name: pf for pf in loaded.person_files}
    found: list[StoredInput] = []
    for path, relative in named:
        sha256 = sha256_of(path)
        prefix, _, original = path.name.partition("_")
        if len(prefix) != ARCHIVE_PREFIX or not sha256.startswith(prefix):
            recovery.unusable.append((relative, "isinya tidak cocok dengan SHA-256 pada namanya"))
            continue
        pf = by_name.get(relative)
        if pf is None or pf.periode is None or pf.subject is None or pf.record is None:
            recovery.unusable.append((relative, "bukan laporan atau penilaian yang bisa dibaca"))
            continue
        received = dt.datetime.fromtimestamp(path.stat().st_mtime).isoformat()
        found.append(
            StoredInput(
                sha256,
                f"{INBOX}/{original}",
                pf.kind.value,
                pf.periode,
                pf.subject,
                relative,
                received,
            )
        )
    return found


def _set_aside_if_damaged(database: Path, now: dt.datetime) -> Path | None:
    """Move a history SQLite cannot read to `kinerja.db.rusak-<time>` (with its journal files)."""
    if not database.is_file():
        return None
    try:
        with sqlite3.connect(database) as db:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            ok = db.execute("PRAGMA quick_check").fetchone()
        if ok is not None and ok[0] == "ok":
            return None
    except sqlite3.DatabaseError:
        pass
    target = database.with_name(f"{database.name}.rusak-{now:%Y%m%d-%H%M%S}")
    for suffix in ("-wal", "-shm"):
        journal = database.with_name(database.name + suffix)
        if journal.exists():
            journal.rename(target.with_name(target.name + suffix))
    database.rename(target)
    return target
