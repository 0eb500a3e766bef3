"""The browser dashboard: where the organisation stands, from a number down to the evidence.

This package owns the human face of the HTTP app, served under ``/ui`` by ``clausegraph serve``:
a login that turns an API key into a signed, HttpOnly, SameSite=Strict session cookie
(:mod:`.sessions`), security headers and CSRF tokens (:mod:`.security`), the figures each page
shows, computed from the same functions as the API (:mod:`.figures`), server-rendered Jinja2
pages with small progressive JavaScript and charts drawn by plotly.js served by the app itself,
no CDN (:mod:`.pages`, ``templates/``, ``static/``), and the same pages written as offline HTML
for the quarterly pack (:mod:`.export`, ``clausegraph dashboard -o DIR``). docs/dashboard.md.
"""
