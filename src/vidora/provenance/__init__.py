"""Provenance: invisible watermark, C2PA credentials, visible mark and reverse search for Vidora videos."""
