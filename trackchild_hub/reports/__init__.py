"""Report downloads: a :class:`~trackchild_hub.domain.report_table.ReportTable` rendered as CSV, XLSX or PDF.

Pure rendering over the domain's plain dataclasses: no store, no HTTP, no GraphQL (``http/reports.py`` serves the
files; ``links`` builds the paths the GraphQL answers carry). The renderers are CPU work (matplotlib, openpyxl,
fpdf2): callers on the event loop run them in a thread (``render_in_thread``).
"""
