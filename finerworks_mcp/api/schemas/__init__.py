"""Pydantic models per area. Inputs are strict (unknown fields rejected, FinerWorks' limits enforced); answers are
tolerant (fields FinerWorks adds are kept), because several response shapes are not officially documented.

These modules do not use `from __future__ import annotations`: pydantic would evaluate every field's annotation
string when the class is created, which slows importing them (`python -m bench` reports the import time), and
start-up is what every client waits for. A validator returning its own model says `Self`.
"""
