"""Annotator: annotate film and product reviews, export datasets, measure agreement."""

__version__ = "0.1.0"
# The application's reverse-DNS id: the desktop file, the AppStream metainfo, the MIME
# package registration, the bundle and QApplication all use this one.
APP_ID = "io.github.annotator.Annotator"
