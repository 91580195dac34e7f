"""Report helpers: Vietnamese formatting, plotly charts, the HTML site and summary.xlsx.

Nothing here computes indicators; it only presents frames computed by the core.
"""
