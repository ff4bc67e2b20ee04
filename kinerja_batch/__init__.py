"""kinerja-batch: civil-servant performance evaluations from spreadsheets."""

__version__ = "0.1.0"
