"""The bundled library build: text sources in, typeset PDFs and a catalogue out.

``sources`` parses a source file into the typed model of ``model``; ``html``
turns the model into HTML and CSS; ``layout`` and ``slides`` typeset it with
``pymupdf.Story``; ``finish`` adds running heads, outline, links and metadata;
``build`` runs the whole collection and writes ``catalogue.json``.
"""
