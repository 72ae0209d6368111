"""Layer 8, the report build: preflight checks, running the notebooks in worker processes (papermill),
rendering them to HTML (nbconvert), provenance and the index.
"""
