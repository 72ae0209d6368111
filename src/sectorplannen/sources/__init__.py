"""Layer 1, the sources: what the report prints, as transcribed (raw tables), and the
hand-kept plan register and categories (themes, trajectory types).
"""
