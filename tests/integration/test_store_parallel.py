"""The store's streaming check with its chunks checked in a second process (a process pool, as for a
province's CSV): the same problems named, the previous store kept (tests/store_faults.py)."""

from store_faults import check_bad_rows_named_and_previous_store_kept

from fazhi_analysis.data import store


def test_bad_data_checked_in_a_second_process_names_file_row_and_column(tmp_path, monkeypatch):
    monkeypatch.setenv(store.STORE_ENV, "always")
    check_bad_rows_named_and_previous_store_kept(tmp_path, monkeypatch, parallel=True)
