"""The intake commands (extract, import, check, template) as real `fazhi` processes: a few cases each
(exit code, the rule, no traceback, UTF-8 output under a C locale), and the peak memory of a process fed
issue 15's hostile files. Every case through main(argv) is in tests/unit/test_intake_hardening.py."""

import subprocess
import sys

import corpus
import intake

MB = 1024 * 1024
SEED = corpus.REPO / "data" / "raw" / "重庆市南岸区峡口镇_2023.txt"


def _max_rss_mb(*args: str) -> tuple[float, corpus.Run]:
    """Peak RSS of one `fazhi` process, measured by a wrapper whose only child it is."""
    probe = ("import resource, subprocess, sys\n"
             "done = subprocess.run(sys.argv[1:], capture_output=True)\n"
             "sys.stderr.buffer.write(done.stdout + done.stderr)\n"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)\n")
    done = subprocess.run([sys.executable, "-c", probe, *corpus.FAZHI, *args], capture_output=True, text=True,
                          cwd=corpus.REPO, timeout=300, env={"PYTHONPATH": str(corpus.REPO), "PATH": "/usr/bin:/bin"})
    rss_kb, code = done.stdout.split()
    return int(rss_kb) / 1024, corpus.Run(int(code), "", done.stderr)


def test_sparse_dimension_bomb_is_refused_within_300_mb(tmp_path):
    bomb = intake.sparse_dimension_bomb(tmp_path / "bomb.xlsx")
    assert bomb.stat().st_size < 1 * MB  # the file was 322 KB
    data = intake.data_dir(tmp_path)
    rss_mb, run = _max_rss_mb("import", str(bomb), "--data-dir", str(data))
    assert run.returncode == 2 and "workbook_rows" in run.stderr and not run.traceback, run.stderr
    assert rss_mb < 300, f"peak RSS {rss_mb:.0f} MB"


def test_a_sparse_sheet_within_the_row_limit_is_read_not_padded(tmp_path):
    """Sparse rows within the limit: read in bounded memory, the missing 主体 etc. reported plainly."""
    bomb = intake.sparse_dimension_bomb(tmp_path / "small.xlsx", rows=250)
    rss_mb, run = _max_rss_mb("import", str(bomb), "--data-dir", str(intake.data_dir(tmp_path)))
    assert run.returncode == 2 and "meta_present" in run.stderr and rss_mb < 300


def test_one_gb_of_spaces_is_refused_before_inflating(tmp_path):
    path = intake.spaces_docx(tmp_path / "spaces.docx")
    rss_mb, run = _max_rss_mb("extract", str(path), "--unit", "峡口镇", "--year", "2024")
    assert run.returncode == 2 and "container_part_size" in run.stderr, run.stderr
    assert rss_mb < 300


def test_stdin_over_the_limit_is_refused_by_the_process():
    run = corpus.fazhi("check", "-", stdin=b"x" * (25 * MB))
    assert run.returncode == 2 and "file_size" in run.stderr and not run.traceback, run.stderr


def test_extract_as_a_process(tmp_path):
    draft = tmp_path / "d.csv"
    run = corpus.fazhi("extract", str(SEED), "--unit", "峡口镇", "--year", "2023", "-o", str(draft))
    assert run.returncode == 0 and not run.traceback, run.stderr
    assert "调解成功" in draft.read_text(encoding="utf-8-sig")
    again = corpus.fazhi("extract", str(SEED), "--unit", "峡口镇", "--year", "2023", "-o", str(draft))
    assert again.returncode == 2 and "output_not_overwritten" in again.stderr and not again.traceback
    gbk = corpus.fazhi("extract", "-", "--unit", "峡口镇", "--year", "2024", "--data-dir",
                       str(intake.data_dir(tmp_path)), stdin=intake.SEED_GBK)
    assert gbk.returncode == 0 and "人民调解委员会8个" in gbk.stdout, gbk.stderr


def test_template_and_import_as_processes(tmp_path):
    data = intake.data_dir(tmp_path)
    workbook = tmp_path / "t.xlsx"
    made = corpus.fazhi("template", "--year", "2024", "--unit", "峡口镇", "--data-dir", str(data), "-o", str(workbook))
    assert made.returncode == 0 and workbook.is_file(), made.stderr
    again = corpus.fazhi("template", "--year", "2024", "--unit", "峡口镇", "--data-dir", str(data), "-o",
                         str(workbook))
    assert again.returncode == 2 and "已存在" in again.stderr and not again.traceback
    refused = corpus.fazhi("import", str(intake.filled(tmp_path, data, intake._set("F2", "峡口\u202e镇"), "b.xlsx")),
                           "--data-dir", str(data))
    assert refused.returncode == 2 and "text_no_control_chars" in refused.stderr and not refused.traceback
    imported = corpus.fazhi("import", str(intake.filled(tmp_path, data, lambda sheet: None)), "--data-dir", str(data))
    assert imported.returncode == 0 and not imported.traceback, imported.stderr
    assert ",2024," in (data / "observations.csv").read_text(encoding="utf-8")


def test_check_as_a_process_under_a_c_locale():
    """Chinese messages reach a terminal set to the C locale as UTF-8 (Python's UTF-8 mode), not as
    escapes or question marks."""
    done = subprocess.run([*corpus.FAZHI, "check", str(SEED)], capture_output=True, cwd=corpus.REPO,
                          env={"PATH": "/usr/bin:/bin", "LC_ALL": "C", "PYTHONPATH": str(corpus.REPO)}, timeout=300)
    out = done.stdout.decode("utf-8") + done.stderr.decode("utf-8")  # raises if it is not UTF-8
    assert done.returncode == 0 and "Traceback" not in out and "?" * 3 not in out and "调解" in out, out
