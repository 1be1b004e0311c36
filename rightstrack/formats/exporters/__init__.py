"""Exporters: plain data in, a file out (CSV, XLSX, JSON, DOCX, PDF). No Django here.

Each exporter is registered in rightstrack.formats.registry.EXPORTERS, the same door a third
party's would use. The Django side (rightstrack.plans.exports) picks what the user may see,
turns it into the plain records of `base` and `document`, and records the export.
"""
