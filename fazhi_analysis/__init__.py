"""fazhi: statistics, narrative tables and charts for a town's 法治政府建设年度报告.

Importing the package makes matplotlib draw Chinese, in the analyst's own charts too, with no call to
remember. matplotlib's default font has no CJK glyphs: every Chinese character is an empty box and a
"Glyph … missing" warning. The font comes from the PyPI package noto-cjk-sans-otc (SIL OFL 1.1).

When matplotlib is already imported the font is registered at once; otherwise a finder placed first on
`sys.meta_path` waits for matplotlib's own import and registers the font as soon as matplotlib has
finished loading. So `import fazhi_analysis` stays cheap (it never imports matplotlib; +0.5 ms measured
by benchmarks/import_cost.py), and a notebook that never draws never pays for the font. A few lines of
importlib instead of wrapt's post-import hooks: importing wrapt costs 50–110 ms on this machine (it loads
asyncio and importlib.metadata), far more than the rest of `import fazhi_analysis`.
"""

import sys
import warnings

CJK_FAMILY = "Noto Sans CJK SC"
MATPLOTLIB = "matplotlib"
_registered = False


def register_cjk_font() -> None:
    """Register the bundled Noto Sans CJK collection and make it the default sans-serif family."""
    global _registered
    if _registered:
        return
    from matplotlib import font_manager, rcParams
    from noto_cjk_sans_otc import FONT_PATH

    font_manager.fontManager.addfont(str(FONT_PATH))
    rcParams["font.family"] = "sans-serif"
    rcParams["font.sans-serif"] = [CJK_FAMILY, "DejaVu Sans"]
    rcParams["axes.unicode_minus"] = False
    rcParams["text.parse_math"] = False  # a '$' in an indicator's name is text, not mathtext
    rcParams["svg.hashsalt"] = "fazhi"
    _registered = True


def _register_after_import() -> None:
    try:
        register_cjk_font()
    except (ImportError, OSError) as exc:  # matplotlib itself must still import
        warnings.warn(f"fazhi: 未能注册中文字体，图中汉字可能显示为方框（{exc}）", stacklevel=2)


class _AfterMatplotlib:
    """A meta path finder that finds nothing itself: when matplotlib is about to be imported, it asks the
    other finders for matplotlib's spec and makes its loader register the font after running the module."""

    def find_spec(self, name, path=None, target=None):
        if name != MATPLOTLIB:
            return None
        _uninstall()  # once; and the search below must not meet this finder again
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec = find(name, path, target) if find else None
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        run_module = getattr(loader, "exec_module", None)
        if run_module is None:
            return spec

        def exec_module(module):
            run_module(module)
            _register_after_import()

        loader.exec_module = exec_module  # this spec's own loader instance
        return spec


_finder = _AfterMatplotlib()


def install_cjk_font() -> None:
    """Chinese in matplotlib from now on: registered now if matplotlib is loaded, else right after it is."""
    if MATPLOTLIB in sys.modules:
        _register_after_import()
    elif _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)


def _uninstall() -> None:
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)


__version__ = "0.1.0"
install_cjk_font()
