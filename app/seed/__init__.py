"""Deterministic demo data at the real proportions of cross-border B2B trade."""
