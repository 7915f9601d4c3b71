"""The report on the cooperation programme (art. 5a ust. 3 of the Act on Public Benefit Activity, due by 31 May of
the next year): compiled from consult's own data, per priority area of the programme: the calls announced, the
offers filed, the grants awarded and their sums, the small grants; and the consultations held.

A page (coordinators; anyone once published), an XLSX and a PDF in pl/en/uk rendered here (document.py) and served
by this package's views synchronously: the lead registers it as a document kind at merge.
"""
