"""Pydantic models per area. Inputs are strict (unknown fields rejected, FinerWorks' limits enforced); answers are
tolerant (fields FinerWorks adds are kept), because several response shapes are not officially documented."""
