"""papermill, extended the way papermill means to be extended: an engine and a translator.

- `WarmKernelEngine` runs a notebook on an already-started kernel through its already-connected client
  (see kernel.py), so no kernel start and no client handshake per report; papermill still
  parameterizes, records cell status and errors.
- `LiteralPythonTranslator` injects parameters with `repr()`: always an inert Python literal, and
  readable for Chinese text (papermill's default writes \\uXXXX escapes).
"""

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger
from papermill.translators import PythonTranslator, papermill_translators

ENGINE_NAME = "fazhi-warm"


class LiteralPythonTranslator(PythonTranslator):
    @classmethod
    def translate_str(cls, val: str) -> str:
        return repr(val)

    @classmethod
    def translate_escaped_str(cls, str_val) -> str:
        return repr(str_val) if isinstance(str_val, str) else f'"{str_val}"'


class WarmKernelEngine(NBClientEngine):
    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                 start_timeout=60, execution_timeout=None, km=None, kc=None, **kwargs):
        client = PapermillNotebookClient(
            nb_man, km=km, kernel_name=kernel_name, timeout=execution_timeout, startup_timeout=start_timeout,
            log=logger, log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file,
        )
        client.kc = kc  # set: nbclient skips its own client start; km given: it leaves kernel and client alive
        return client.execute()


def register() -> None:
    papermill_engines.register(ENGINE_NAME, WarmKernelEngine)
    papermill_translators.register("python", LiteralPythonTranslator)
