"""Layer 7, the chapters: the registry of every chapter with its parameters and inputs, how a
notebook starts and ends, and one module per chapter (named as its notebook and its claims file).
"""
