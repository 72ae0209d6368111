"""Layer 3, the plan-level statistics: Bijlage A as plan x category frames, the selection of plans a
chapter is computed for, and every statistic the claims can name (their vocabulary).
"""
