"""`kinerja kirim`: hand the period's PDFs out by e-mail, or lay them out in folders per unit."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from kinerja_batch.cli.app import (
    IN_WORKSPACE,
    agency_periode,
    cli,
    guarded,
    required_workspace,
    settings_for,
)
from kinerja_batch.cli.console import say
from kinerja_batch.cli.stops import EXIT_BLOCKED, EXIT_OK
from kinerja_batch.cli.types import PathType, PeriodeType, debug_option
from kinerja_batch.delivery import (
    CHANGED,
    Handout,
    Item,
    lay_out_folders,
    message_id,
    open_handout,
    plan_email,
    plan_folders,
    send_email,
)
from kinerja_batch.history import STATUS_WORDS
from kinerja_batch.model import Periode

WORDS = {**STATUS_WORDS, CHANGED: "berubah, tidak dikirim"}  # an item's outcome as it is printed


@cli.command(
    "kirim",
    help="Bagikan PDF umpan balik PERIODE kepada pegawai. Tanpa --kirim, hanya menampilkan rencana: "
    "siapa menerima berkas apa, dan siapa yang belum punya alamat email. Setiap email untuk satu "
    "pegawai dan hanya berisi PDF pegawai itu. Versi PDF yang sama tidak pernah dikirim dua kali ke "
    "orang yang sama; PDF yang berubah dikirim lagi sebagai pengganti. Email yang tidak pasti "
    "sampai (koneksi terputus setelah pesan diserahkan ke server) tidak dikirim ulang, kecuali "
    "dengan --ulangi-tak-pasti. Dengan --folder, PDF disusun per unit kerja (dan satu zip per unit) "
    "untuk dibagikan tanpa email.",
    short_help="Kirim PDF umpan balik lewat email, atau susun per unit di folder.",
)
@click.option("--periode", type=PeriodeType(), required=True, help="Periode yang dibagikan.")
@click.option("--kirim", "send", is_flag=True, help="Benar-benar kirim (tanpa ini: hanya rencana).")
@click.option(
    "--ulangi-tak-pasti",
    "retry_uncertain",
    is_flag=True,
    help="Kirim lagi email yang tidak pasti sampai. Pakai hanya setelah memastikan pegawai belum "
    "menerimanya.",
)
@click.option(
    "--folder",
    type=PathType(folder=True),
    metavar="FOLDER",
    help="Susun PDF per unit kerja di FOLDER (beserta zip per unit), tanpa email.",
)
@debug_option
def kirim_command(
    periode: Periode, send: bool, retry_uncertain: bool, folder: Path | None, debug: bool
) -> None:
    def action(stdout: Console) -> int:
        config = required_workspace(
            "Pengiriman memakai buku catatan pengiriman di folder kerja: " + IN_WORKSPACE + "."
        )
        settings = settings_for(config)
        asked = agency_periode(settings, periode)
        assert asked is not None
        with open_handout(config, settings, asked) as handout:
            if folder is not None:
                code = _to_folders(stdout, handout, folder)
            else:
                code = _by_email(stdout, handout, send, retry_uncertain)
            report = handout.write_report()
        say(stdout, f"Laporan pengiriman: {report}")
        return code

    guarded(debug, action)


def _to_folders(out: Console, handout: Handout, folder: Path) -> int:
    plan = plan_folders(handout, folder)
    result = lay_out_folders(plan, handout)
    say(
        out,
        f"{len(result.sent)} PDF disusun di {folder} (per unit kerja, beserta zip per unit); "
        f"{len(plan.already)} sudah ada di sana dengan versi yang sama.",
    )
    _say_changed(out, handout, result.changed)
    return EXIT_BLOCKED if result.changed else EXIT_OK


def _by_email(out: Console, handout: Handout, send: bool, retry_uncertain: bool) -> int:
    email = handout.config.email
    plan = plan_email(handout, email.copy_to_supervisor if email else False, retry_uncertain)
    say(out, f"Rencana pengiriman umpan balik {handout.periode.label}:")
    for item in plan.to_send:
        if item.uncertain_at is not None:
            note = "dikirim ulang (sebelumnya tidak pasti)"
        else:
            note = "pengganti versi sebelumnya" if item.replaces else "akan dikirim"
        if item.copy_for is not None:
            note += f" (salinan untuk atasan {item.copy_for.nama})"
        say(
            out,
            f"  {note}: {item.employee.nama} (NIP {item.employee.nip}) -> {item.recipient}, "
            f"berkas {item.pdf.name}",
        )
    for item in plan.already:
        say(out, f"  sudah terkirim (versi sama): {item.employee.nama} -> {item.recipient}")
    for item in plan.uncertain:
        say(
            out,
            f"  tidak pasti, tidak dikirim ulang: {item.employee.nama} -> {item.recipient} "
            f"(dicoba dikirim {_when(item.uncertain_at)}, tanpa jawaban server; "
            f"Message-ID {_message_id(handout, item)})",
        )
    for employee in plan.without_address:
        say(
            out,
            f"  tidak ada alamat email di daftar pegawai: {employee.nama} (NIP {employee.nip})",
        )
    _advise_uncertain(out, handout, len(plan.uncertain))
    if not plan.to_send:
        say(out, "Tidak ada yang perlu dikirim.")
        return EXIT_BLOCKED if send and plan.uncertain else EXIT_OK
    if not send and sys.stdin.isatty():
        send = click.confirm(f"Kirim {len(plan.to_send)} email sekarang?", default=False)
    if not send:
        say(
            out,
            f"Belum ada yang dikirim ({len(plan.to_send)} email direncanakan). Jalankan lagi dengan "
            "--kirim untuk mengirim.",
        )
        return EXIT_OK

    def report(item: Item, status: str) -> None:
        say(out, f"  {WORDS[status]}: {item.employee.nama} <{item.recipient}>")

    result = send_email(plan, handout, on_item=report)
    say(
        out,
        f"{len(result.sent)} email terkirim, {len(result.failed)} gagal, "
        f"{len(result.uncertain)} tidak pasti.",
    )
    for item, reason in result.failed:
        say(out, f"Gagal: {item.employee.nama} <{item.recipient}>: {reason}")
    for item in result.uncertain:
        say(
            out,
            f"Tidak pasti: {item.employee.nama} <{item.recipient}>: server email tidak menjawab "
            "setelah pesan diserahkan (koneksi terputus); pegawai mungkin sudah atau belum "
            f"menerimanya. Message-ID {_message_id(handout, item)}.",
        )
    _advise_uncertain(out, handout, len(result.uncertain) + len(plan.uncertain))
    _say_changed(out, handout, result.changed)
    if result.stopped:
        left = len(plan.to_send) - result.handled
        say(
            out,
            f"Pengiriman terhenti ({result.stopped}); {left} email belum terkirim. Jalankan perintah "
            "yang sama lagi untuk melanjutkan: yang sudah terkirim tidak dikirim ulang.",
        )
    trouble = result.failed or result.uncertain or result.changed or result.stopped
    return EXIT_BLOCKED if trouble or plan.uncertain else EXIT_OK


def _when(at: str | None) -> str:
    return (at or "?").replace("T", " ")


def _message_id(handout: Handout, item: Item) -> str:
    return message_id(handout.periode, item.employee.nip, item.recipient, item.sha256)


def _advise_uncertain(out: Console, handout: Handout, count: int) -> None:
    if not count:
        return
    say(
        out,
        f"{count} email tidak pasti sampai: pegawai mungkin sudah atau belum menerimanya, jadi "
        "tidak dikirim ulang. Tanyakan kepada pegawai apakah email itu sudah diterima, atau minta "
        "pengelola server email mencari Message-ID-nya di log server. Bila belum diterima, kirim "
        f"ulang dengan `kinerja kirim --periode {handout.periode.key} --kirim --ulangi-tak-pasti` "
        "(email yang sama, dengan Message-ID yang sama).",
    )


def _say_changed(out: Console, handout: Handout, changed: list[Item]) -> None:
    for item in changed:
        say(
            out,
            f"Berubah, tidak dibagikan: {item.pdf.name} bukan lagi versi yang direncanakan "
            f"(untuk {item.recipient}). Jalankan `kinerja kirim --periode {handout.periode.key}` "
            "lagi untuk melihat rencana barunya.",
        )
