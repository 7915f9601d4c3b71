"""Programme implementation reports (sprawozdania z realizacji programu): the plan of a multi-year city
programme for one year, the reporting round in which responsible units enter what was realised, and the
report as PDF, XLSX and consult.programme-report/1 JSON."""
