"""Handing out the feedback PDFs (`kinerja kirim`): `handout.py` plans who gets which version and
lays PDFs out in folders; `mail.py` sends them by e-mail, at most once per version and recipient."""

from kinerja_batch.delivery.handout import (
    CHANGED,
    DeliveryProblem,
    Handout,
    Item,
    Plan,
    SendResult,
    lay_out_folders,
    open_handout,
    plan_email,
    plan_folders,
)
from kinerja_batch.delivery.mail import message_id, send_email

__all__ = [
    "CHANGED",
    "DeliveryProblem",
    "Handout",
    "Item",
    "Plan",
    "SendResult",
    "lay_out_folders",
    "message_id",
    "open_handout",
    "plan_email",
    "plan_folders",
    "send_email",
]
