"""ECIP Case-Study Reader: an offline reader for the ECIP case-study collection.

The package is split in two: a Qt-free core (``paths``, ``config``, ``errors``,
``catalogue``, ``pdf``, ``search``, ``userdata``, ``library``) that the command
line and the tests use directly, and the ``ui`` package, a thin Qt layer over it.
``app`` wires the core objects together and hands them to the widgets.
"""

__version__ = "0.1.0"
APP_NAME = "ecip-reader"
APP_TITLE = "ECIP Case-Study Reader"
