"""The Qt user interface: a thin layer over the Qt-free core."""
