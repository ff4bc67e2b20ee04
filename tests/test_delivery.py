"""`kinerja kirim` against a real SMTP server on loopback (aiosmtpd, started here)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import email
import hashlib
import io
import ipaddress
import socket
import ssl
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pypdf import PdfReader

from kinerja_batch.config import load_config
from kinerja_batch.delivery import (
    SendResult,
    lay_out_folders,
    message_id,
    open_handout,
    plan_email,
    plan_folders,
    send_email,
)
from kinerja_batch.history import (
    FAILED,
    SENDING,
    SENT,
    Delivery,
    History,
    Ledger,
    VersionState,
)
from kinerja_batch.lock import Busy, exclusive
from kinerja_batch.model import Periode
from kinerja_batch.operations import run_workspace
from kinerja_batch.settings import Settings

from factories import (
    LAPORAN_E1,
    LAPORAN_E2,
    NILAI_A,
    NIP_E1,
    NIP_E2,
    PEGAWAI,
    drop_file,
    make_workspace,
    run_cli,
    valid_inbox,
)

NOV = Periode(2026, 11)
E1_MAIL, E2_MAIL, A_MAIL = (
    "siti@kemuningkab.go.id",
    "budi@kemuningkab.go.id",
    "ayu@kemuningkab.go.id",
)


@dataclass
class Recorder:
    """An SMTP server's handler that keeps every message and can refuse or fail on demand."""

    messages: list[Message] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    down_after: int | None = None  # answer 421 to every message after this many
    # Once per address: hang up when RCPT names it (before the message: nothing was taken) ...
    drop_at_rcpt: set[str] = field(default_factory=set)
    # ... or take the message and hang up before answering (accepted, but the sender cannot know).
    drop_after_data: set[str] = field(default_factory=set)
    # When set, every message is kept, `arrived` is set, and the answer waits until the gate opens.
    gate: threading.Event | None = None
    arrived: threading.Event = field(default_factory=threading.Event)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.drop_at_rcpt:
            self.drop_at_rcpt.discard(address)
            server.transport.close()
        if address in self.refuse:
            return "550 5.1.1 Alamat tidak dikenal"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.down_after is not None and len(self.messages) >= self.down_after:
            return "421 4.3.0 Layanan sementara tidak tersedia"
        self.messages.append(email.message_from_bytes(envelope.content))
        (address,) = envelope.rcpt_tos
        if address in self.drop_after_data:
            self.drop_after_data.discard(address)
            server.transport.close()
        if self.gate is not None:
            self.arrived.set()
            await asyncio.get_running_loop().run_in_executor(None, self.gate.wait, 30)
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def smtp_server(recorder: Recorder, **options: Any) -> Iterator[int]:
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def write_email_config(root: Path, port: int, **extra: str) -> None:
    config = root / "kinerja.toml"
    text = config.read_text(encoding="utf-8")
    values = {
        "host": '"127.0.0.1"',
        "port": str(port),
        "keamanan": '"tanpa"',
        "pengirim": '"Bagian Kepegawaian <kepegawaian@kemuningkab.go.id>"',
        "kontak": '"Bagian Kepegawaian, telepon (0271) 123456"',
        "per_menit": "6000",
        **extra,
    }
    for key, value in values.items():
        lines = text.splitlines()
        text = "\n".join(
            f"{key} = {value}" if line.split("=")[0].strip() == key else line for line in lines
        )
    config.write_text(text + "\n", encoding="utf-8")


def set_email(spec_roster: list[list[object]], row: int, address: str | None) -> None:
    spec_roster[row][6] = address


def workspace_with_pdfs(tmp_path: Path, e2_mail: str | None = None, changes: Any = None) -> Path:
    spec = valid_inbox()
    set_email(spec.sheet(PEGAWAI, "Pegawai"), 4, e2_mail)
    if changes:
        changes(spec)
    root = make_workspace(tmp_path, spec, drop=(LAPORAN_E1, LAPORAN_E2, NILAI_A))
    run_workspace(load_config(root / "kinerja.toml"), Settings())
    return root


def kirim(root: Path, *args: str) -> tuple[int, str]:
    return run_cli("kirim", "--periode", "2026-11", *args, cwd=root)


def attachments(message: Message) -> list[tuple[str, bytes]]:
    found = []
    for part in message.walk():
        if part.get_content_disposition() == "attachment":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            found.append((str(part.get_filename()), payload))
    return found


def body(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode("utf-8")
    return ""


def test_dry_run_shows_the_plan_and_sends_nothing(tmp_path: Path) -> None:
    root = workspace_with_pdfs(tmp_path)
    recorder = Recorder()
    with smtp_server(recorder) as port:
        write_email_config(root, port)
        code, out = kirim(root)
    assert code == 0 and recorder.messages == []
    assert "Siti Aminah, S.E." in out and E1_MAIL in out and "akan dikirim" in out
    assert "Budi Hartono" in out and "tidak ada alamat email" in out
    assert "Belum ada yang dikirim" in out and "--kirim" in out


def test_each_employee_gets_only_their_pdf_once(tmp_path: Path) -> None:
    root = workspace_with_pdfs(tmp_path, e2_mail=E2_MAIL)
    recorder = Recorder()
    with smtp_server(recorder) as port:
        write_email_config(root, port)
        code, out = kirim(root, "--kirim")
        assert code == 0, out
        again, out_again = kirim(root, "--kirim")
    assert again == 0 and "Tidak ada yang perlu dikirim" in out_again
    assert len(recorder.messages) == 2  # the rerun sent nothing
    pdf_folder = load_config(root / "kinerja.toml").paths.output.period(NOV).pdf_folder
    pdfs = {p.name[:18]: p for p in pdf_folder.glob("*.pdf")}
    for message, nip, address, nama in (
        (recorder.messages[0], NIP_E1, E1_MAIL, "Siti Aminah, S.E."),
        (recorder.messages[1], NIP_E2, E2_MAIL, "Budi Hartono"),
    ):
        assert message["To"] == address
        assert message["Subject"] == f"Umpan Balik Kinerja November 2026 - {nama}"
        text = body(message)
        assert f"Yth. {nama}" in text and "Pemerintah Kabupaten Kemuning" in text
        assert "telepon (0271) 123456" in text
        ((name, data),) = attachments(message)
        assert name == pdfs[nip].name and data == pdfs[nip].read_bytes()
    report = openpyxl.load_workbook(root / "hasil" / "2026-11" / "pengiriman_2026-11.xlsx")
    rows = list(report["Pengiriman"].iter_rows(values_only=True))
    assert rows[0][:7] == ("NIP", "Nama", "Tujuan", "Cara", "Berkas", "SHA-256", "Status")
    assert {(r[0], r[2], r[6]) for r in rows[1:]} == {
        (NIP_E1, E1_MAIL, "terkirim"),
        (NIP_E2, E2_MAIL, "terkirim"),
    }


def test_a_corrected_pdf_is_sent_again_as_a_replacement(tmp_path: Path) -> None:
    root = workspace_with_pdfs(tmp_path)
    recorder = Recorder()
    with smtp_server(recorder) as port:
        write_email_config(root, port)
        kirim(root, "--kirim")
        corrected = valid_inbox()
        corrected.sheet(NILAI_A, "Nilai")[2][2] = 5  # E1's HK-PM-02: 4 -> 5
        drop_file(root, corrected, NILAI_A, as_name="penilaian_a_perbaikan.xlsx")
        run_workspace(load_config(root / "kinerja.toml"), Settings())
        code, _ = kirim(root, "--kirim")
    assert code == 0
    first, second = recorder.messages
    assert second["Subject"] == "[Pengganti] Umpan Balik Kinerja November 2026 - Siti Aminah, S.E."
    assert "menggantikan" in body(second)
    assert attachments(first)[0][1] != attachments(second)[0][1]


def test_a_refused_address_does_not_stop_the_others(tmp_path: Path) -> None:
    root = workspace_with_pdfs(tmp_path, e2_mail="salah@kemuningkab.go.id")
    recorder = Recorder(refuse={"salah@kemuningkab.go.id"})
    with smtp_server(recorder) as port:
        write_email_config(root, port)
        code, out = kirim(root, "--kirim")
    assert code == 1
    assert [m["To"] for m in recorder.messages] == [E1_MAIL]
    assert "1 email terkirim, 1 gagal" in out and "550 5.1.1" in out
    rows = list(
        openpyxl.load_workbook(root / "hasil" / "2026-11" / "pengiriman_2026-11.xlsx")[
            "Pengiriman"
        ].iter_rows(values_only=True)
    )
    failed = [r for r in rows[1:] if r[6] == "gagal"]
    assert len(failed) == 1 and failed[0][0] == NIP_E2 and "550" in str(failed[0][8])


def test_a_batch_cut_off_mid_way_resumes_with_exactly_the_rest(tmp_path: Path) -> None:
    root = workspace_with_pdfs(tmp_path, e2_mail=E2_MAIL)
    recorder = Recorder(down_after=2)
    with smtp_server(recorder) as port:
        write_email_config(
            root, port, tembusan_atasan="true"
        )  # 4 messages: 2 PDFs x (employee, supervisor)
        config = load_config(root / "kinerja.toml")
        with open_handout(config, Settings(), NOV) as handout:
            plan = plan_email(handout, True)
            assert len(plan.to_send) == 4
            first = send_email(plan, handout, retries=2, sleep=lambda s: None)
            assert len(first.sent) == 2 and first.stopped and "421" in first.stopped
            recorder.down_after = None  # the server is back
            plan = plan_email(handout, True)
            assert len(plan.to_send) == 2
            second = send_email(plan, handout, sleep=lambda s: None)
    assert len(second.sent) == 2 and not second.stopped
    delivered = [(m["To"], attachments(m)[0][0][:18]) for m in recorder.messages]
    assert len(delivered) == 4 and len(set(delivered)) == 4
    assert sorted(delivered) == sorted(
        [(E1_MAIL, NIP_E1), (A_MAIL, NIP_E1), (E2_MAIL, NIP_E2), (A_MAIL, NIP_E2)]
    )
    copy = next(m for m in recorder.messages if m["To"] == A_MAIL)
    assert "salinan umpan balik kinerja" in body(copy)


def _certificate(folder: Path) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp.crt", folder / "smtp.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _authenticator(
    server: Any, session: Any, envelope: Any, mechanism: str, data: Any
) -> AuthResult:
    ok = (
        isinstance(data, LoginPassword)
        and data.login == b"kepegawaian"
        and data.password == b"rahasia-smtp"
    )
    return AuthResult(success=ok, handled=False)


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_and_login_with_the_password_from_the_environment(
    tmp_path: Path, security: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = workspace_with_pdfs(tmp_path)
    cert, key = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    recorder = Recorder()
    options: dict[str, Any] = {"authenticator": _authenticator, "auth_require_tls": True}
    if security == "starttls":
        options |= {"tls_context": context, "require_starttls": True}
    else:  # aiosmtpd only knows about TLS it started itself, so it must not demand STARTTLS here
        options |= {"ssl_context": context, "auth_require_tls": False}
    monkeypatch.setenv("KINERJA_SMTP_PASSWORD", "rahasia-smtp")
    with smtp_server(recorder, **options) as port:
        write_email_config(
            root,
            port,
            keamanan=f'"{security}"',
            pengguna='"kepegawaian"',
            sertifikat_ca=f'"{cert}"',
        )
        code, out = kirim(root, "--kirim")
    assert code == 0, out
    assert [m["To"] for m in recorder.messages] == [E1_MAIL]
    assert "rahasia-smtp" not in out
    for log in (root / "log").glob("*.log"):
        assert "rahasia-smtp" not in log.read_text(encoding="utf-8")


def test_a_password_file_others_can_read_is_refused(tmp_path: Path) -> None:
    root = workspace_with_pdfs(tmp_path)
    secret = root / "smtp-sandi"
    secret.write_text("rahasia\n")
    secret.chmod(0o644)
    with smtp_server(Recorder()) as port:
        write_email_config(root, port, pengguna='"kepegawaian"', berkas_sandi='"smtp-sandi"')
        code, out = kirim(root, "--kirim")
    assert code == 2 and "chmod 600" in out


def test_encrypted_pdf_opens_with_its_password_only(tmp_path: Path) -> None:
    root = workspace_with_pdfs(tmp_path)
    config = root / "kinerja.toml"
    config.write_text(
        config.read_text()
        .replace('kata_sandi = ""\n"""', "")
        .replace(
            '[pdf]\n# Kata sandi PDF per pegawai: "" (tanpa), atau "tanggal_lahir" (8 digit pertama NIP).\n# Kata sandi tidak pernah ditulis di email.\nkata_sandi = ""',
            '[pdf]\nkata_sandi = "tanggal_lahir"',
        )
    )
    assert 'kata_sandi = "tanggal_lahir"' in config.read_text()
    recorder = Recorder()
    with smtp_server(recorder) as port:
        write_email_config(root, port)
        code, _ = kirim(root, "--kirim")
    assert code == 0
    (message,) = recorder.messages
    ((_, data),) = attachments(message)
    reader = PdfReader(io.BytesIO(data))
    assert reader.is_encrypted
    assert not reader.decrypt("00000000")
    assert reader.decrypt(NIP_E1[:8])
    assert "Siti Aminah" in reader.pages[0].extract_text()
    text = body(message)
    assert "8 digit pertama NIP" in text and NIP_E1[:8] not in text


def test_folder_delivery_per_unit_with_a_zip(tmp_path: Path) -> None:
    root = workspace_with_pdfs(tmp_path)
    code, out = kirim(root, "--folder", str(tmp_path / "bagikan"))
    assert code == 0, out
    unit = tmp_path / "bagikan" / "Dukcapil"
    names = sorted(p.name[:18] for p in unit.glob("*.pdf"))
    assert names == sorted([NIP_E1, NIP_E2])
    with zipfile.ZipFile(tmp_path / "bagikan" / "Dukcapil.zip") as z:
        assert sorted(n[:18] for n in z.namelist()) == names
    code, out = kirim(root, "--folder", str(tmp_path / "bagikan"))
    assert "0 PDF disusun" in out and "2 sudah ada" in out


# --- at most once per version and recipient ------------------------------------------------------


def report_rows(root: Path) -> list[tuple[str, str, str]]:
    """(NIP, Tujuan, Status) of every row of the delivery report, as HR reads them."""
    book = openpyxl.load_workbook(root / "hasil" / "2026-11" / "pengiriman_2026-11.xlsx")
    rows = list(book["Pengiriman"].iter_rows(values_only=True))[1:]
    return [(str(r[0]), str(r[2]), str(r[6])) for r in rows]


def current_pdf(root: Path, nip: str) -> Path:
    folder = load_config(root / "kinerja.toml").paths.output.period(NOV).pdf_folder
    (pdf,) = folder.glob(f"{nip}_*.pdf")
    return pdf


def message_id_of(message: Message) -> str:
    """The Message-ID as a reader sees it (a long one is folded onto its own line)."""
    return "".join(str(message["Message-ID"]).split())


def expected_id(nip: str, address: str, pdf: bytes) -> str:
    to = hashlib.sha256(address.encode()).hexdigest()[:12]
    return f"<2026-11.{nip}.{to}.{hashlib.sha256(pdf).hexdigest()[:16]}@kinerja-batch>"


def test_kirim_holds_the_working_folders_lock(tmp_path: Path) -> None:
    """Beside a running `kinerja run` or another `kirim`, every kind of `kirim` refuses (exit 4)
    and hands out nothing; while a `kirim` works, `run` cannot rebuild the PDFs."""
    root = workspace_with_pdfs(tmp_path, e2_mail=E2_MAIL)
    config = load_config(root / "kinerja.toml")
    recorder = Recorder()
    with smtp_server(recorder) as port:
        write_email_config(root, port)
        with exclusive(config.paths.lock, dt.datetime(2026, 12, 1, 8, 0)):
            for args in (("--kirim",), (), ("--folder", str(tmp_path / "bagikan"))):
                code, out = kirim(root, *args)
                assert code == 4, (args, out)
                assert "Proses kinerja lain sedang berjalan" in out and "PID" in out
                assert "Rencana pengiriman" not in out
        assert recorder.messages == [] and not (tmp_path / "bagikan").exists()
        assert not (root / "hasil" / "2026-11" / "pengiriman_2026-11.xlsx").exists()
        with open_handout(config, Settings(), NOV), pytest.raises(Busy):
            run_workspace(load_config(root / "kinerja.toml"), Settings())
        code, out = kirim(root, "--kirim")  # the lock is free again
    assert code == 0, out
    assert sorted(m["To"] for m in recorder.messages) == [E2_MAIL, E1_MAIL]


def test_two_kirim_at_once_send_each_pdf_once(tmp_path: Path) -> None:
    """One `kirim` is sending (its first message waits for the server's answer) when another
    starts: the second refuses and sends nothing, the first finishes, and each PDF went once."""
    root = workspace_with_pdfs(tmp_path, e2_mail=E2_MAIL)
    gate = threading.Event()
    recorder = Recorder(gate=gate)
    results: list[SendResult] = []

    def first() -> None:
        config = load_config(root / "kinerja.toml")
        with open_handout(config, Settings(), NOV) as handout:
            results.append(send_email(plan_email(handout, False), handout, sleep=lambda s: None))

    with smtp_server(recorder) as port:
        write_email_config(root, port)
        sender = threading.Thread(target=first)
        sender.start()
        try:
            assert recorder.arrived.wait(30)
            code, out = kirim(root, "--kirim")
        finally:
            gate.set()
            sender.join(60)
        assert code == 4 and "Proses kinerja lain sedang berjalan" in out
        (result,) = results
        assert len(result.sent) == 2 and not result.uncertain and not result.failed
        again, out_again = kirim(root, "--kirim")
    assert again == 0 and "Tidak ada yang perlu dikirim" in out_again
    assert sorted(m["To"] for m in recorder.messages) == [E2_MAIL, E1_MAIL]


def test_an_accepted_message_without_an_answer_is_uncertain_and_not_sent_again(
    tmp_path: Path,
) -> None:
    """The server takes E1's message and hangs up before answering: E1 has it once, HR is told
    it is uncertain (exit 1), reruns leave it alone, and only `--ulangi-tak-pasti` sends it again,
    as the same message (same Message-ID, same subject)."""
    root = workspace_with_pdfs(tmp_path, e2_mail=E2_MAIL)
    recorder = Recorder(drop_after_data={E1_MAIL})
    with smtp_server(recorder) as port:
        write_email_config(root, port)
        code, out = kirim(root, "--kirim")
        assert code == 1, out
        assert len(recorder.to(E1_MAIL)) == 1 and len(recorder.to(E2_MAIL)) == 1
        assert "1 email terkirim, 0 gagal, 1 tidak pasti." in out
        assert f"Tidak pasti: Siti Aminah, S.E. <{E1_MAIL}>" in out
        assert "mungkin sudah atau belum menerimanya" in out
        assert "--ulangi-tak-pasti" in out
        assert sorted(report_rows(root)) == [
            (NIP_E1, E1_MAIL, "tidak pasti"),
            (NIP_E2, E2_MAIL, "terkirim"),
        ]

        for args in (("--kirim",), ()):
            code, out = kirim(root, *args)
            assert code == (1 if args else 0), out
            assert f"tidak pasti, tidak dikirim ulang: Siti Aminah, S.E. -> {E1_MAIL}" in out
            assert "Tidak ada yang perlu dikirim" in out and "--ulangi-tak-pasti" in out
        assert len(recorder.messages) == 2  # nothing went again

        code, out = kirim(root, "--kirim", "--ulangi-tak-pasti")
        assert code == 0, out
        assert f"dikirim ulang (sebelumnya tidak pasti): Siti Aminah, S.E. (NIP {NIP_E1})" in out
        assert "1 email terkirim, 0 gagal, 0 tidak pasti." in out
        first, second = recorder.to(E1_MAIL)
        assert message_id_of(second) == message_id_of(first)
        assert message_id_of(first) == expected_id(NIP_E1, E1_MAIL, attachments(first)[0][1])
        assert (
            second["Subject"]
            == first["Subject"]
            == ("Umpan Balik Kinerja November 2026 - Siti Aminah, S.E.")
        )
        assert attachments(second) == attachments(first)
        code, out = kirim(root, "--kirim")
    assert code == 0 and "Tidak ada yang perlu dikirim" in out and "tidak pasti" not in out
    assert len(recorder.messages) == 3
    assert report_rows(root)[-1] == (NIP_E1, E1_MAIL, "terkirim")


def test_kirim_stopped_while_the_server_takes_the_message_leaves_it_uncertain(
    tmp_path: Path,
) -> None:
    """`kirim` is killed after the content went, before the answer: the next `kirim` does not
    send that message again."""
    root = workspace_with_pdfs(tmp_path, e2_mail=E2_MAIL)
    gate = threading.Event()
    recorder = Recorder(gate=gate)
    with smtp_server(recorder) as port:
        write_email_config(root, port)
        process = subprocess.Popen(
            [sys.executable, "-m", "kinerja_batch", "kirim", "--periode", "2026-11", "--kirim"],
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            assert recorder.arrived.wait(60)
        finally:
            process.kill()
            process.wait()
            gate.set()
        recorder.gate = None
        assert [m["To"] for m in recorder.messages] == [E1_MAIL]
        code, out = kirim(root, "--kirim")
    assert code == 1, out
    assert "tidak pasti, tidak dikirim ulang: Siti Aminah, S.E." in out
    assert "1 email terkirim, 0 gagal, 0 tidak pasti." in out
    assert "1 email tidak pasti sampai" in out
    assert sorted(m["To"] for m in recorder.messages) == [E2_MAIL, E1_MAIL]


def test_a_dropped_connection_before_the_message_went_is_retried(tmp_path: Path) -> None:
    """The server hangs up at RCPT: nothing was taken, so the message goes on a new connection
    in the same batch, once."""
    root = workspace_with_pdfs(tmp_path, e2_mail=E2_MAIL)
    recorder = Recorder(drop_at_rcpt={E1_MAIL})
    with smtp_server(recorder) as port:
        write_email_config(root, port)
        config = load_config(root / "kinerja.toml")
        waits: list[float] = []
        with open_handout(config, Settings(), NOV) as handout:
            result = send_email(plan_email(handout, False), handout, sleep=waits.append)
    assert len(result.sent) == 2 and not result.uncertain and not result.failed
    assert sorted(m["To"] for m in recorder.messages) == [E2_MAIL, E1_MAIL]
    assert 1.0 in waits  # the backoff before the new connection
    assert sorted(report_rows_from_ledger(config)) == [
        (NIP_E1, E1_MAIL, "terkirim"),
        (NIP_E2, E2_MAIL, "terkirim"),
    ]


def report_rows_from_ledger(config: Any) -> list[tuple[str, str, str]]:
    history = History(config.paths.database)
    try:
        return [(d.nip, d.recipient, d.status) for d in Ledger(history).all(NOV)]
    finally:
        history.close()


def test_a_pdf_changed_between_plan_and_send_is_not_handed_out(tmp_path: Path) -> None:
    root = workspace_with_pdfs(tmp_path, e2_mail=E2_MAIL)
    recorder = Recorder()
    e1 = current_pdf(root, NIP_E1)
    with smtp_server(recorder) as port:
        write_email_config(root, port)
        config = load_config(root / "kinerja.toml")
        with open_handout(config, Settings(), NOV) as handout:
            plan = plan_email(handout, False)
            folders = plan_folders(handout, tmp_path / "bagikan")
            e1.write_bytes(e1.read_bytes() + b"%% diubah\n")
            result = send_email(plan, handout, sleep=lambda s: None)
            laid_out = lay_out_folders(folders, handout)
            replanned = plan_email(handout, False)
    assert [i.employee.nip for i in result.changed] == [NIP_E1]
    assert [i.employee.nip for i in result.sent] == [NIP_E2]
    ((_, data),) = attachments(recorder.to(E2_MAIL)[0])
    assert hashlib.sha256(data).hexdigest() == result.sent[0].sha256  # the bytes hashed
    assert recorder.to(E1_MAIL) == []
    assert [i.employee.nip for i in laid_out.changed] == [NIP_E1]
    assert [p.name[:18] for p in (tmp_path / "bagikan").rglob("*.pdf")] == [NIP_E2]
    (again,) = [i for i in replanned.to_send if i.employee.nip == NIP_E1]
    assert again.sha256 == hashlib.sha256(e1.read_bytes()).hexdigest() and not again.replaces


def test_message_ids_are_stable_and_distinct_per_recipient_and_version(tmp_path: Path) -> None:
    root = workspace_with_pdfs(tmp_path)
    recorder = Recorder()
    with smtp_server(recorder) as port:
        write_email_config(root, port, tembusan_atasan="true")
        kirim(root, "--kirim")
        old = current_pdf(root, NIP_E1).read_bytes()
        corrected = valid_inbox()
        corrected.sheet(NILAI_A, "Nilai")[2][2] = 5  # E1's HK-PM-02: 4 -> 5
        drop_file(root, corrected, NILAI_A, as_name="penilaian_a_perbaikan.xlsx")
        run_workspace(load_config(root / "kinerja.toml"), Settings())
        code, out = kirim(root, "--kirim")
    assert code == 0, out
    new = current_pdf(root, NIP_E1).read_bytes()
    ids = {(m["To"], message_id_of(m)) for m in recorder.messages}
    assert {
        (E1_MAIL, expected_id(NIP_E1, E1_MAIL, old)),
        (A_MAIL, expected_id(NIP_E1, A_MAIL, old)),
        (E1_MAIL, expected_id(NIP_E1, E1_MAIL, new)),
        (A_MAIL, expected_id(NIP_E1, A_MAIL, new)),
    } <= ids
    assert len({message_id_of(m) for m in recorder.messages}) == len(recorder.messages) == 5
    assert message_id(NOV, NIP_E1, E1_MAIL, hashlib.sha256(old).hexdigest()) == expected_id(
        NIP_E1, E1_MAIL, old
    )


def test_a_corrected_pdf_after_an_uncertain_one_is_a_replacement(tmp_path: Path) -> None:
    """The first version may have arrived (no answer): the corrected one says it replaces it, and
    the old version's uncertainty is no longer reported (it is not the current PDF)."""
    root = workspace_with_pdfs(tmp_path)
    recorder = Recorder(drop_after_data={E1_MAIL})
    with smtp_server(recorder) as port:
        write_email_config(root, port)
        code, _ = kirim(root, "--kirim")
        assert code == 1
        corrected = valid_inbox()
        corrected.sheet(NILAI_A, "Nilai")[2][2] = 5
        drop_file(root, corrected, NILAI_A, as_name="penilaian_a_perbaikan.xlsx")
        run_workspace(load_config(root / "kinerja.toml"), Settings())
        code, out = kirim(root, "--kirim")
    assert code == 0, out
    assert "pengganti versi sebelumnya: Siti Aminah" in out and "tidak pasti," not in out
    first, second = recorder.to(E1_MAIL)
    assert second["Subject"] == "[Pengganti] Umpan Balik Kinerja November 2026 - Siti Aminah, S.E."
    assert message_id_of(second) != message_id_of(first)


def test_the_ledger_treats_an_unanswered_attempt_as_possibly_delivered(tmp_path: Path) -> None:
    history = History(tmp_path / "kinerja.db")
    ledger = Ledger(history)

    def attempt(version: str, status: str) -> int:
        at = f"2026-12-01T08:0{len(ledger.all(NOV))}:00"
        return ledger.record(Delivery(NOV, NIP_E1, E1_MAIL, "email", version, status, at, ""))

    try:
        assert ledger.state(NOV, NIP_E1, E1_MAIL, "a") is None
        row = attempt("a", SENDING)  # no answer (or the program was stopped)
        assert ledger.state(NOV, NIP_E1, E1_MAIL, "a") == VersionState(
            SENDING, "2026-12-01T08:00:00"
        )
        assert ledger.delivered_versions(NOV, NIP_E1, E1_MAIL) == ["a"]
        assert ledger.delivered_versions(NOV, NIP_E1, A_MAIL) == []  # per recipient
        retry = attempt("a", SENDING)  # HR asked to send it again, and the server refused it
        ledger.settle(retry, FAILED, "552 penuh")
        assert ledger.state(NOV, NIP_E1, E1_MAIL, "a") == VersionState(
            FAILED, "2026-12-01T08:01:00"
        )
        assert ledger.delivered_versions(NOV, NIP_E1, E1_MAIL) == ["a"]  # the first may have come
        ledger.settle(row, SENT)
        assert ledger.state(NOV, NIP_E1, E1_MAIL, "a") == VersionState(SENT, "2026-12-01T08:00:00")
        failed = attempt("b", SENDING)
        ledger.settle(failed, FAILED, "550 tidak dikenal")
        assert ledger.delivered_versions(NOV, NIP_E1, E1_MAIL) == ["a"]  # a refusal is not
        assert [d.status for d in ledger.all(NOV)] == [SENT, FAILED, FAILED]
    finally:
        history.close()
