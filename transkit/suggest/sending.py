"""Sending a provider's planned batches: in the calling thread, or ``concurrency`` at a time.

DeepL and the LLM providers share this: the first error stops the run (finished answers are kept),
cancel is honoured between batches, and each answer is handed back in the calling thread (so the
caller can journal and cache it as it arrives). An answer may ask for more batches (an LLM's answer
cut off at its output limit: the batch's two halves), sent before the rest."""

from __future__ import annotations

import threading
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Callable, Collection, Protocol, Sequence, TypeVar

from transkit.errors import ProviderError

Batch = TypeVar("Batch")
Answer = TypeVar("Answer")


class RunOutcome(Protocol):
    error: ProviderError | None
    cancelled: bool
    requests_sent: int
    retries: int


def send_batches(batches: Sequence[Batch], send: Callable[[Batch], tuple[Answer, int]],
                 on_answer: Callable[[Batch, Answer], Sequence[Batch] | None], outcome: RunOutcome, *,
                 concurrency: int,
                 cancel: threading.Event | None, thread_name: str,
                 admit: Callable[[Batch, Collection[Batch]], bool | None] | None = None) -> None:
    """Send each batch (``send(batch) -> (answer, retries)``) and pass its answer to ``on_answer``,
    which may return batches to send next; errors, cancellation and counts go to ``outcome``.

    ``admit(batch, in_flight)`` may hold a batch back (a budget): True sends it, False skips it (the
    caller has settled it), None waits for the batches in flight to answer first."""
    stop = False

    def settle(batch: Batch, answer_of: Callable[[], tuple[Answer, int]]) -> None:
        nonlocal stop
        try:
            answer, retries = answer_of()
        except ProviderError as error:
            if cancel is not None and cancel.is_set():
                outcome.cancelled = True
            elif outcome.error is None:
                outcome.error = error
            stop = True
            return
        outcome.requests_sent += 1
        outcome.retries += retries
        queue.extendleft(reversed(on_answer(batch, answer) or ()))

    queue = deque(batches)
    if len(batches) <= 1 or concurrency <= 1:
        # in the calling thread: no pool thread outlives a caller that gives up (the TUI quitting)
        while queue:
            batch = queue.popleft()
            if cancel is not None and cancel.is_set():
                outcome.cancelled = True
            if stop or outcome.cancelled:
                break
            if admit is not None and not admit(batch, ()):
                continue
            settle(batch, lambda batch=batch: send(batch))
        return
    in_flight: dict[Future, Batch] = {}
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix=thread_name) as pool:
        while in_flight or (queue and not stop):
            while queue and not stop and len(in_flight) < concurrency:
                batch = queue.popleft()
                admitted = True if admit is None else admit(batch, list(in_flight.values()))
                if admitted is None:  # wait for the answers in flight: they may leave room
                    queue.appendleft(batch)
                    break
                if admitted:
                    in_flight[pool.submit(send, batch)] = batch
            if not in_flight:
                continue
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                settle(in_flight.pop(future), future.result)
            if cancel is not None and cancel.is_set():
                stop, outcome.cancelled = True, True
