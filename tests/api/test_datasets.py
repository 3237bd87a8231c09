"""Dataset routes: upload, list, show, preview, metadata edit, delete and bad input."""

from __future__ import annotations

CSV = b"id,amount,segment,default\n1,10.5,retail,0\n2,20.0,sme,1\n3,7.25,retail,0\n4,12.0,sme,0\n"


def _upload(client, headers, name="loans", data=CSV, filename="loans.csv", **form):
    return client.post("/api/datasets", headers=headers, files={"file": (filename, data)}, data={"name": name, **form})


def test_upload_list_show_preview(client, analyst):
    r = _upload(client, analyst, target="default")
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["n_rows"], body["n_cols"], body["version"]) == (4, 4, 1)
    assert body["metadata"]["target"] == "default" and body["metadata"]["primary_key"] == "id"
    assert [d["name"] for d in client.get("/api/datasets", headers=analyst).json()] == ["loans"]
    preview = client.get("/api/datasets/loans/preview?rows=2", headers=analyst).json()
    assert preview["columns"] == ["id", "amount", "segment", "default"]
    assert preview["rows"] == [[1, 10.5, "retail", 0], [2, 20.0, "sme", 1]]


def test_duplicate_name_is_409(client, analyst):
    assert _upload(client, analyst).status_code == 201
    r = _upload(client, analyst)
    assert r.status_code == 409 and "dataset name must be new; got 'loans'" in r.json()["detail"]


def test_bad_files_get_one_clear_error(client, analyst):
    cases = {
        b"": "empty file",
        b"id,amount\n": "at least one data row",
        b"a,b,c\n1,2,3\n4,5\n6,7,8,9\n": "line",
        b"a,a,b\n1,2,3\n": "duplicate",
    }
    for i, (data, expected) in enumerate(cases.items()):
        r = _upload(client, analyst, name=f"bad{i}", data=data)
        assert r.status_code == 422, (data, r.text)
        assert expected in r.json()["detail"].lower(), (data, r.json())
    assert client.get("/api/datasets", headers=analyst).json() == []


def test_latin1_upload_is_decoded(client, analyst):
    data = "id,city\n1,Málaga\n2,Zürich\n".encode("latin-1")
    assert _upload(client, analyst, name="cities", data=data).status_code == 201
    rows = client.get("/api/datasets/cities/preview", headers=analyst).json()["rows"]
    assert [r[1] for r in rows] == ["Málaga", "Zürich"]


def test_too_large_upload_is_413(client, analyst):
    big = b"a,b\n" + b"1,2\n" * 300_000  # ~1.2 MB against a 1 MiB limit
    r = _upload(client, analyst, name="big", data=big)
    assert r.status_code == 413 and "at most 1 MiB" in r.json()["detail"]


def test_metadata_edit_creates_a_version(client, analyst):
    _upload(client, analyst)
    r = client.put("/api/datasets/loans/metadata", headers=analyst, json={"kinds": {"default": "categorical"}, "target": "default"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["version"] == 2 and body["n_versions"] == 2
    kinds = {c["name"]: c["kind"] for c in body["metadata"]["columns"]}
    assert kinds["default"] == "categorical"
    r = client.put("/api/datasets/loans/metadata", headers=analyst, json={"kinds": {"amout": "id"}})
    assert r.status_code == 400 and "Did you mean 'amount'" in r.json()["detail"]


def test_unknown_dataset_is_404_with_hint(client, analyst):
    _upload(client, analyst)
    r = client.get("/api/datasets/loan", headers=analyst)
    assert r.status_code == 404 and "Did you mean 'loans'" in r.json()["detail"]


def test_admin_deletes(client, analyst, admin):
    _upload(client, analyst)
    assert client.delete("/api/datasets/loans", headers=admin).status_code == 204
    assert client.get("/api/datasets", headers=admin).json() == []


def test_bad_read_options_are_422_not_500(client, analyst):
    r = _upload(client, analyst, name="s", sep="ab")
    assert r.status_code == 422 and "sep must be one character" in r.json()["detail"]
    r = _upload(client, analyst, name="e", encoding="rot13")
    assert r.status_code == 422 and "encoding must be a text encoding Python knows, such as 'utf-8' or 'cp1252'; got 'rot13'" in r.json()["detail"]


def test_nul_in_file_name_is_422(client, analyst):
    body = (
        b'--XX\r\nContent-Disposition: form-data; name="name"\r\n\r\nnul\r\n'
        b'--XX\r\nContent-Disposition: form-data; name="file"; filename="a\x00b.csv"\r\n'
        b"Content-Type: text/csv\r\n\r\n" + CSV + b"\r\n--XX--\r\n"
    )
    headers = {**analyst, "Content-Type": "multipart/form-data; boundary=XX"}
    r = client.post("/api/datasets", headers=headers, content=body)
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith("file name must not contain control characters; got 'a\\x00b.csv'")
    assert client.get("/api/datasets", headers=analyst).json() == []


def test_parallel_uploads_of_a_new_name_are_one_201_and_409s(client, analyst):
    import threading
    from concurrent.futures import ThreadPoolExecutor

    barrier = threading.Barrier(6)

    def upload(i: int) -> int:
        barrier.wait()
        data = CSV.replace(b"10.5", f"{i}.5".encode())
        return _upload(client, analyst, name="race", data=data).status_code

    with ThreadPoolExecutor(6) as pool:
        codes = sorted(pool.map(upload, range(6)))
    assert codes == [201] + [409] * 5
    shown = client.get("/api/datasets/race", headers=analyst).json()
    assert shown["n_versions"] == 1
    preview = client.get("/api/datasets/race/preview", headers=analyst)
    assert preview.status_code == 200 and len(preview.json()["rows"]) == 4
