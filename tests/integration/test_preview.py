"""`fazhi preview`: the server's routes and events (in-process, no kernel), then the real command in the
real Chromium: the page appears, a saved data change shows up within 3 s, a problem in the data is shown
above the last good page, and the page it serves is the script-free page `fazhi report` writes."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from chromium import chromium
from conftest import REPO

from fazhi_analysis.render.preview import PreviewServer, relevant, serve

NEW_FIGURE = ("重庆市,南岸区,峡口镇,2023,measures,（五）推进法治宣传，提升群众守法意识,legal_education,"
              "法治文艺演出,,9,场,,9场,test,\n")
SEEN_WITHIN_MS = 60_000  # a bound for a page that never reloads; how fast it does is benchmarks/preview_speed.py


def _get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_the_server_serves_the_page_the_wrapper_and_its_events():
    server = PreviewServer("测试页", 0).start()
    try:
        assert _get(server.url + "status")[2] and json.loads(_get(server.url + "status")[2])["version"] == 0
        server.built(b"<html><body>page one</body></html>", 0.2)
        code, headers, body = _get(server.url)
        assert code == 200 and b"<iframe" in body and b"EventSource('/events')" in body
        nonce = headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
        assert f'<script nonce="{nonce}">'.encode() in body
        assert "connect-src 'self'" in headers["Content-Security-Policy"]
        assert _get(server.url + "page.html")[2] == b"<html><body>page one</body></html>"
        assert _get(server.url + "../etc/passwd")[0] == 404 and _get(server.url + "data/observations.csv")[0] == 404
        with urllib.request.urlopen(server.url + "events", timeout=10) as stream:
            first = [stream.readline() for _ in range(3)]
            assert first[0] == b"event: build\n" and json.loads(first[1][len(b"data: "):])["version"] == 1
            server.failed("数据有问题")
            second = [stream.readline() for _ in range(3)]
            assert json.loads(second[1][len(b"data: "):]) | {"seconds": 0} == {
                "serial": 2, "version": 1, "state": "error", "message": "数据有问题", "seconds": 0}
    finally:
        server.stop()


def test_a_change_is_rebuilt_and_only_data_files_count(tmp_path):
    assert relevant(None, "/d/observations.csv") and relevant(None, "/d/峡口镇2024.xlsx")
    assert not relevant(None, "/d/~$峡口镇2024.xlsx") and not relevant(None, "/d/.observations.csv.x.tmp")
    assert not relevant(None, "/d/.observations.lock")
    server = PreviewServer("测试页", 0).start()
    stop = threading.Event()
    builds = []

    def rebuild():
        builds.append(time.monotonic())
        return (f"<p>build {len(builds)}</p>".encode(), "") if len(builds) != 2 else (None, "第2次有问题")

    worker = threading.Thread(target=serve, args=(server, rebuild, tmp_path, stop), daemon=True)
    worker.start()
    try:
        _until(lambda: server.current()[0].version == 1)
        (tmp_path / "observations.csv").write_text("x", encoding="utf-8")
        _until(lambda: server.current()[0].state == "error")
        assert server.current()[1] == b"<p>build 1</p>"  # the last good page stays
        (tmp_path / "observations.csv").write_text("y", encoding="utf-8")
        _until(lambda: server.current()[0].version == 2)
        assert server.current()[1] == b"<p>build 3</p>"
    finally:
        stop.set()
        worker.join(timeout=10)
        server.stop()


def _until(condition, timeout_s: float = 15.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def preview(data_copy, tmp_path):
    """The real `fazhi preview` on a copy of data/, once its first page is built: (url, data dir)."""
    port = _free_port()
    outputs = REPO / "outputs"
    before = sorted(outputs.rglob("*")) if outputs.is_dir() else []
    process = subprocess.Popen([sys.executable, "-m", "fazhi_analysis.cli.main", "preview", "--unit", "峡口镇",
                                "--year", "2023", "--data-dir", str(data_copy), "--port", str(port)],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        _until(lambda: process.poll() is not None or _version(url) >= 1, 120)
        assert process.poll() is None, process.stderr.read()
        yield url, data_copy
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=60)
    assert "Traceback" not in stderr
    assert (sorted(outputs.rglob("*")) if outputs.is_dir() else []) == before  # outputs/ is not touched


def _version(url: str) -> int:
    try:
        return json.loads(_get(url + "status")[2])["version"]
    except OSError:
        return 0


def _save(path, text: str) -> None:
    """As an editor saves: a whole new file renamed over the old one."""
    tmp = path.with_name(f".{path.name}.saving")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


@pytest.mark.browser
@pytest.mark.kernel
def test_the_browser_sees_a_saved_change_and_keeps_the_last_good_page(preview, tmp_path):
    url, data = preview
    served = _get(url + "page.html")[2].decode("utf-8")
    assert "<script" not in served and "Content-Security-Policy" in served and "default-src 'none'" in served
    observations = data / "observations.csv"
    original = observations.read_text(encoding="utf-8")
    with chromium(tmp_path) as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url)
        frame = page.frame_locator("#page")
        frame.get_by_text("院坝会", exact=False).first.wait_for(timeout=30_000)
        _save(observations, original + NEW_FIGURE.replace("法治文艺演出", "法治文艺汇演"))  # a first save: warm
        frame.get_by_text("法治文艺汇演", exact=False).first.wait_for(timeout=30_000)
        _save(observations, original + NEW_FIGURE)
        frame.get_by_text("法治文艺演出", exact=False).first.wait_for(timeout=SEEN_WITHIN_MS)
        _save(observations, original + NEW_FIGURE.replace(",9,场,,9场,", ",若干,场,,若干场,"))
        page.locator("#status.error").wait_for(timeout=SEEN_WITHIN_MS)
        status = page.locator("#status").inner_text()
        still = frame.get_by_text("法治文艺演出", exact=False).count()
        page.close()
    assert "数据有问题" in status and "value" in status and still >= 1  # the last good page stays


def test_a_workbook_being_filled_in_data_is_previewed_without_touching_data(data_copy, tmp_path):
    import openpyxl

    from fazhi_analysis.data.dataset import load_dataset
    from fazhi_analysis.errors import DataError
    from fazhi_analysis.intake.pending import data_with_workbooks

    before = (data_copy / "observations.csv").read_bytes()
    assert data_with_workbooks(data_copy, tmp_path / "snapshot") == (data_copy, [])
    workbook = data_copy / "峡口镇2024.xlsx"
    run = subprocess.run([sys.executable, "-m", "fazhi_analysis.cli.main", "template", "--year", "2024", "--unit",
                          "峡口镇", "-o", str(workbook), "--data-dir", str(data_copy)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    (data_copy / "~$峡口镇2024.xlsx").write_bytes(b"Excel's owner file, not a workbook")
    book = openpyxl.load_workbook(workbook)
    sheet = book.worksheets[0]
    assert sheet.cell(row=5, column=3).value == "行政处罚处理决定"
    sheet.cell(row=5, column=7, value=61)
    book.save(workbook)
    source, merged = data_with_workbooks(data_copy, tmp_path / "snapshot")
    assert merged == [workbook] and source == tmp_path / "snapshot"
    obs = load_dataset(source).observations
    assert obs[(obs["year"] == 2024) & (obs["label"] == "行政处罚处理决定")]["value"].tolist() == [61.0]
    assert (data_copy / "observations.csv").read_bytes() == before  # data/ is never written
    sheet.cell(row=5, column=7, value="若干")
    book.save(workbook)
    with pytest.raises(DataError) as caught:
        data_with_workbooks(data_copy, tmp_path / "snapshot")
    assert "峡口镇2024.xlsx" in str(caught.value)
