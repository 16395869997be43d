"""Reporting on the store: periods, statistics per unit, and the quarterly 通报 (HTML and PDF)."""
