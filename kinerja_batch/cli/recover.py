"""`kinerja pulihkan`: rebuild the working folder's history from its archive."""

from __future__ import annotations

import datetime as dt

from rich.console import Console

from kinerja_batch.cli.app import IN_WORKSPACE, cli, guarded, required_workspace, settings_for
from kinerja_batch.cli.console import ConsoleProgress, say
from kinerja_batch.cli.stops import EXIT_OK
from kinerja_batch.cli.types import debug_option
from kinerja_batch.recovery import rebuild_history


@cli.command(
    "pulihkan",
    help="Bangun ulang riwayat kinerja.db dari arsip, bila riwayat hilang, kosong, rusak, atau "
    "tidak cocok lagi dengan folder arsip/. Berkas di arsip tidak diubah; riwayat yang rusak "
    "dipindahkan ke kinerja.db.rusak-<waktu>, tidak dihapus. Catatan pengiriman dan hasil yang "
    "masih ada tetap disimpan. Sesudahnya jalankan `kinerja run`: setiap periode dibangun ulang.",
    short_help="Bangun ulang riwayat dari arsip.",
)
@debug_option
def pulihkan_command(debug: bool) -> None:
    def action(stdout: Console) -> int:
        config = required_workspace(f"Riwayat hanya ada di folder kerja: {IN_WORKSPACE}.")
        recovery = rebuild_history(
            config, settings_for(config), dt.datetime.now(), ConsoleProgress(Console(stderr=True))
        )
        if recovery.set_aside is not None:
            say(stdout, f"Riwayat yang rusak dipindahkan ke {recovery.set_aside} (tidak dihapus).")
        periods = sorted({s.periode for s in recovery.recorded})
        labels = ", ".join(p.label for p in periods) or "-"
        say(
            stdout,
            f"Riwayat dibangun ulang dari arsip: {len(recovery.recorded)} berkas laporan dan "
            f"penilaian, periode {labels}.",
        )
        for archive_path in recovery.forgotten:
            say(stdout, f"  Catatan dihapus (berkasnya tidak ada di arsip): {archive_path}")
        for archive_path, why in recovery.unusable:
            say(stdout, f"  Tidak dipakai: {archive_path} ({why}); berkasnya tetap di arsip.")
        say(stdout, "Langkah berikutnya: jalankan `kinerja run` untuk membangun ulang hasil.")
        return EXIT_OK

    guarded(debug, action)
