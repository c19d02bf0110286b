"""Tests of the record out."""
