"""`fazhi store`: build (or bring up to date) the columnar store a province or the country is read from.

Pages, overviews and batches build it themselves when the data is past a district's size, so this command
is for doing it ahead of time, and for building it from a folder of district files (`--from`), each
checked under its own name. Below the threshold the pages keep reading the CSV files (FAZHI_STORE=always
makes them read the store)."""

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", default=None,
                        help="数据目录：指标目录、来源、原文；存储写在其 .store/ 下 (default: data/)")
    parser.add_argument("--from", dest="folder", type=Path, default=None,
                        help="从该文件夹中的全部 CSV（观测数据格式，如每个区县一个文件）建立存储，"
                             "而不是 observations.csv")


def run(args: argparse.Namespace) -> int:
    import time

    from .. import paths
    from ..data.store import STORE_DIR, STORE_FROM_BYTES, ensure_store, in_use, read_manifest
    from ..errors import ParameterError, display_path

    directory = paths.data_dir(args.data_dir)
    if args.folder is not None and not args.folder.is_dir():
        raise ParameterError(f"--from {args.folder}: 不是文件夹")
    if args.folder is not None and (directory / paths.OBSERVATIONS_FILE).exists():
        raise ParameterError(f"{display_path(directory)} 已有 {paths.OBSERVATIONS_FILE}；用 --from 时请另建一个"
                             "数据目录，放入 catalogue.csv（和 sources.csv），观测数据留在 --from 的文件夹中")
    started = time.perf_counter()
    before = read_manifest(directory)
    manifest = ensure_store(directory, args.folder)
    built = before is None or before.get("observations") != manifest["observations"]
    seconds = time.perf_counter() - started
    print(f"{'存储已建立' if built else '存储已是最新（数据未变，未重建）'}：{manifest['rows']} 条观测，"
          f"{manifest['n_bodies']} 个主体（{display_path(directory / STORE_DIR)}，{seconds:.1f} 秒）。")
    if not in_use(directory):
        print(f"数据不足 {STORE_FROM_BYTES // 2**20} MB，报告仍直接读取 CSV；"
              "设环境变量 FAZHI_STORE=always 可改为读取存储。")
    return 0
