"""scorecard: compliance scorecards for the control of Vietnamese administrative procedures.

The core (periods, store, readers, schemas, facts, indicators, plans, evaluate, index766)
imports neither papermill, plotly nor openpyxl, so ``import scorecard`` in JupyterLab gives the
same numbers the reports show.
"""

__version__ = "0.1.0"
