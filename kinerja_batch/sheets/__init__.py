"""Workbooks the program writes for people to read: the period summary, its checks, status, delivery and annual reports."""
