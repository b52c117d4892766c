"""Participant lists in and out of Excel and LibreOffice, one module per job.

- layout: the list's columns, defined once (header, field, width, kind); the export, the import,
  the template and the admin's import page all derive from it;
- reading: what is really in an upload (sheets, rows, formulas, limits), whatever it declares;
- cells: one cell to one value, repairing or refusing what Excel did to it;
- importer: check every row, then write all through the participant services, or nothing;
- report: the clerk's own rows with what is wrong with each, as an XLSX;
- template: the empty list to fill in.
"""
