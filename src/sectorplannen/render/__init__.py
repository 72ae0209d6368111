"""Layer 6, rendering: the house style, tables, figures and sentences a report reader sees (Dutch)."""
