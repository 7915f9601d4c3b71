"""A read-only JSON API for published data under /api/v1/, described by an OpenAPI 3.1 document.

It shows what the public pages show and nothing more: programmes, meetings, published postulates with
their published positions, announced calls with their card and PDFs, and published call results.
"""
