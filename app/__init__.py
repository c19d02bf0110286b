"""Avoin: a live tool for systemic network meetings."""
