"""Recommenders: what to suggest to an annotator, learned from the annotations so far.

Pure: texts, spans and labels in, proposals and figures out; no store, no Qt."""
