"""The owners page pages (at 100k systems there are 5,000 owners), through real HTTP with a
browser session; the CSV keeps every row."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from tests.api.conftest import build


def _owners(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<code>([^<]*)</code>", body)


def test_the_owners_list_pages_and_the_csv_has_every_row(tmp_path: Path) -> None:
    settings, keys = build(tmp_path)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        login = client.post("/ui/login", data={"api_key": keys["reader"]}, follow_redirects=False)
        assert login.status_code == 303
        whole = _owners(client.get("/ui/owners").text)
        assert len(whole) == 15  # 14 owners and the "(no owner)" row, under one page
        seen, url = [], "/ui/owners?limit=4"
        while url:
            page = client.get(url)
            assert page.status_code == 200
            seen += _owners(page.text)
            assert len(_owners(page.text)) <= 4
            later = re.search(r'<a href="([^"]+)">next →</a>', page.text)
            url = later[1].replace("&amp;", "&") if later else ""
        assert seen == whole  # every row once, in the page's order
        assert "15 owners · rows 13\u201315" in page.text
        rows = list(csv.DictReader(io.StringIO(client.get("/ui/owners?format=csv").text)))
        assert [r["owner"] for r in rows] == whole
        assert client.get("/ui/owners?limit=0").status_code == 422
