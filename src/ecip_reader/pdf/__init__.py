"""Qt-free access to PDF files through PyMuPDF.

PyMuPDF holds the GIL while it works and is not thread-safe, so the UI never
calls it directly: rendering and text extraction run in worker processes that
use this package.
"""
