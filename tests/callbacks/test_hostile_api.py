"""The JSON/CSV endpoints on hostile input (issue 12): bounded numbers from the URL, and a
problems listing in which every file is represented."""

from __future__ import annotations

import io
import zipfile

from tests.conftest import make_app
from tests.unit.conftest import write_data_dir


def test_points_csv_with_a_sequence_of_4000_nines_answers_with_a_notice(client):
    # (5,000 digits make the address longer than any this site serves: a 414, tests/callbacks/test_fuzz.py)
    response = client.get("/api/v1/points.csv?seq=" + "9" * 4000 + "k1k")
    assert response.status_code == 200
    assert "Ignored seq=" in response.headers["X-Frontier-Notices"]


def test_problems_endpoint_lists_every_file_despite_a_5000_member_zip(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for i in range(5000):
            zf.writestr(f"m{i:04d}.json", b"{broken")
    data = write_data_dir(tmp_path / "data", {"a-many.zip": buf.getvalue(), "z-truncated.json": b"[{"})
    client = make_app(data).server.test_client()
    payload = client.get("/api/v1/problems").get_json()
    assert payload["count"] == 5001
    assert [(f["file"], f["errors"]) for f in payload["files"]] == [("a-many.zip", 5000), ("z-truncated.json", 1)]
    assert len(payload["problems"]) == 1000
    assert "z-truncated.json" in {p["file"] for p in payload["problems"]}
    assert any(line.startswith("z-truncated.json") for line in payload["summary"])
