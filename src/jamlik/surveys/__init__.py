"""Youth-survey microdata (Stockholmsenkäten-style, Communities That Care scales).

Respondent rows are read, checked and turned into aggregates in memory; only the
aggregates (per kommun/district × year × sex × school year) are stored, as staged
observations of the county's own survey indicators. No respondent row is kept.
"""
