"""The fuzzy index's scan kernel, compiled by numba: one pass over a length window that reads each
row's coarse signature once, and its full signature and excess counts only where the coarse bound
leaves it (see ``fuzzy_index.py`` for the bounds).

The only module that imports numba (and its llvmlite). ``fuzzy_index.py`` imports it in a thread
that the first search of an index of 100,000 sources or more starts: numba's import and loading the
machine code it cached (``cache=True``: compiled once per machine and numba version, about 1 s)
cost a process about 0.9 s, which its searches do not wait for (they scan with numpy meanwhile).
"""

from __future__ import annotations

from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

@intrinsic
def _popcount(typingctx, value):
    """Set bits of a uint64, as an int64 (LLVM's ctpop: one POPCNT instruction)."""
    def codegen(context, builder, signature, args):
        function = builder.module.declare_intrinsic("llvm.ctpop", [ir.IntType(64)])
        return builder.call(function, args)

    return types.int64(types.uint64), codegen


@njit(cache=True, nogil=True, boundscheck=False)
def scan(words, excess, starts, masks, needed, coarse_slack, slack, excess_bytes, excess_shifts, excess_values,
         flags, flag_words, rows, overlaps):
    """The rows of ``starts[0]..starts[-1]`` whose bag overlap reaches ``needed[k]`` for the rows of
    length ``k`` (``starts[k]..starts[k+1]``), with that overlap, in row order into ``rows`` and
    ``overlaps``; returns how many. ``words``, ``excess`` and the query's ``masks`` (4 full words,
    then 2 coarse), slacks and excess are the index's and the probe's; ``flags`` is the caller's
    buffer for the coarse pass of one chunk of rows (a multiple of 8 bytes, small enough for the
    first-level cache) and ``flag_words`` the same memory as uint64."""
    m0, m1, m2, m3, c0, c1 = masks[0], masks[1], masks[2], masks[3], masks[4], masks[5]
    full0, full1, full2, full3, coarse0, coarse1 = words[0], words[1], words[2], words[3], words[4], words[5]
    chunk_size = flags.shape[0]
    found = 0
    for k in range(starts.shape[0] - 1):
        least = needed[k]
        coarse_least = least - coarse_slack  # the coarse bound: its own slack, the query's counts past its levels
        full_least = least - slack
        for chunk in range(starts[k], starts[k + 1], chunk_size):
            size = min(chunk_size, starts[k + 1] - chunk)
            # 1. the coarse bound of every row, branch-free (the compiler vectorises it)
            for at in range(size):
                row = chunk + at
                flags[at] = (_popcount(coarse0[row] & c0) + _popcount(coarse1[row] & c1)) >= coarse_least
            for at in range(size, (size + 7) // 8 * 8):
                flags[at] = 0
            # 2. the rows it leaves (about 1 in 10), eight flags skipped at a time
            for group in range((size + 7) // 8):
                if flag_words[group] == 0:
                    continue
                for at in range(group * 8, group * 8 + 8):
                    if not flags[at]:
                        continue
                    row = chunk + at
                    overlap = (_popcount(full0[row] & m0) + _popcount(full1[row] & m1)
                               + _popcount(full2[row] & m2) + _popcount(full3[row] & m3))
                    if overlap < full_least:
                        continue
                    # the query's characters beyond the levels can only meet the source's own excess
                    for e in range(excess_bytes.shape[0]):
                        nibble = (excess[row, excess_bytes[e]] >> excess_shifts[e]) & 15
                        value = excess_values[e]
                        overlap += value if nibble == 15 or nibble > value else nibble
                    if overlap < least:
                        continue
                    rows[found] = row
                    overlaps[found] = overlap
                    found += 1
    return found
