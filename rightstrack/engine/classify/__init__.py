"""Trainable text classifiers for any taxonomy (an NMRF's ministries, its development plan, ...)."""

from __future__ import annotations
