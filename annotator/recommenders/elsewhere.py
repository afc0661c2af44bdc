"""Training in a process of its own, so that the window's thread never waits for the
training's share of the interpreter (measured: the document pane's frames took 2.3x as
long while a thread trained beside them), and the training has the other core.

One worker process, started on first use and kept: its sentence boundaries stay cached
between trainings, as they would in a thread. The worker is spawned, not forked (forking a
process that runs Qt threads is unsafe). Anything that goes wrong with the worker (it
cannot start, it dies) falls back to training here, in the caller's thread.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor, TimeoutError
from concurrent.futures.process import BrokenProcessPool

from .examples import Cancelled, Example, Progress
from .suggester import Suggester

log = logging.getLogger(__name__)
_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None


def _trained(suggester: Suggester, examples: Sequence[Example]) -> Suggester:
    """In the worker: train and send the trained suggester back."""
    suggester.train(examples)
    return suggester


def _worker() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        return _pool


def _forget_worker() -> None:
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


atexit.register(_forget_worker)


def train_elsewhere(suggester: Suggester, examples: Sequence[Example],
                    job: Progress | None = None) -> Suggester:
    """`suggester` trained on `examples` in the worker process; the trained one is returned
    (a copy: `suggester` itself is left as it was). A cancelled job raises Cancelled at
    once; the worker's result is then dropped when it comes."""
    try:
        future: Future[Suggester] = _worker().submit(_trained, suggester, list(examples))
    except (OSError, RuntimeError, BrokenProcessPool) as e:
        log.warning("training in this process: the worker could not start (%s)", e)
        _forget_worker()
        suggester.train(examples, job)
        return suggester
    while True:
        if job is not None and job.cancelled():
            future.cancel()
            raise Cancelled()
        try:
            return future.result(timeout=0.1)
        except TimeoutError:
            continue
        except BrokenProcessPool as e:
            log.warning("training in this process: the worker died (%s)", e)
            _forget_worker()
            suggester.train(examples, job)
            return suggester
