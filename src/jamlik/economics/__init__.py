"""Socioeconomic analysis of prevention: what it saves, for whom, and how sure we are.

The computation lives in pure modules (no Django): ``inputs`` (typed scenario),
``model`` (cash flows and present values), ``sensitivity`` (tornado),
``montecarlo`` (probabilistic analysis), ``unit_costs`` (sourced unit costs) and
``examples``. The Django parts of the app (models, views, API) only store
scenarios and call these functions.
"""
