"""C plural expressions (``Plural-Forms: …; plural=EXPRESSION;``), parsed and evaluated without
recursion and without ``eval``.

The grammar is GNU gettext's (plural.y): ``?:``, ``||``, ``&&``, ``==`` ``!=``, ``<`` ``>`` ``<=``
``>=``, ``+`` ``-``, ``*`` ``/`` ``%``, ``!``, parentheses, ``n`` and decimal numbers; no unary minus
(msgfmt refuses it). The arithmetic is C's ``unsigned long`` (64-bit wrap-around), ``&&``/``||``/``?:``
evaluate lazily, and a division by zero is an error, as msgfmt's check reports it.

An operator-precedence parser builds the tree with explicit stacks and compiles it into a flat
program with jumps, so 200 nested parentheses (or 10,000 terms) cannot hit Python's recursion limit.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

MAX_NPLURALS = 100  # no language has more than 6 forms; anything near this is a broken header
MAX_EXPRESSION_LENGTH = 4000  # real rules are < 300 characters; every n of a check evaluates it
_MASK = (1 << 64) - 1
_TOKEN = re.compile(r"\s*(?:(\d+)|(n)(?![A-Za-z0-9_])|(&&|\|\||==|!=|<=|>=|[+\-*/%<>!?:()]))")
_PRECEDENCE = {"||": 2, "&&": 3, "==": 4, "!=": 4, "<": 5, ">": 5, "<=": 5, ">=": 5,
               "+": 6, "-": 6, "*": 7, "/": 7, "%": 7}
_TERNARY = 1


class PluralExpressionError(ValueError):
    """The expression is not one gettext accepts, or fails for some n (division by zero)."""


def _tokens(expression: str) -> list[tuple[str, int | None]]:
    if len(expression) > MAX_EXPRESSION_LENGTH:
        raise PluralExpressionError(f"plural expression longer than {MAX_EXPRESSION_LENGTH} characters")
    tokens: list[tuple[str, int | None]] = []
    position, end = 0, len(expression.rstrip())
    while position < end:
        match = _TOKEN.match(expression, position)
        if not match:
            raise PluralExpressionError(f"bad plural expression at {expression[position:position + 20]!r}")
        number, variable, operator = match.groups()
        if number is not None:
            tokens.append(("num", int(number) & _MASK))
        elif variable:
            tokens.append(("n", None))
        else:
            tokens.append((operator, None))
        position = match.end()
    if not tokens:
        raise PluralExpressionError("empty plural expression")
    return tokens


def _reduce(operator: str, operands: list) -> None:
    if operator == "?":
        raise PluralExpressionError("'?' without its ':' in plural expression")
    if operator == "!":
        operands.append(("not", operands.pop()))
    elif operator == ":":
        otherwise, then, condition = operands.pop(), operands.pop(), operands.pop()
        operands.append(("cond", condition, then, otherwise))
    else:
        right, left = operands.pop(), operands.pop()
        operands.append(("bin", operator, left, right))


def _tree(tokens: list[tuple[str, int | None]]):
    operands: list = []
    operators: list[str] = []
    expect_operand = True
    for kind, value in tokens:
        if expect_operand:
            if kind == "num":
                operands.append(("num", value))
                expect_operand = False
            elif kind == "n":
                operands.append(("n",))
                expect_operand = False
            elif kind in ("(", "!"):
                operators.append(kind)
            else:
                raise PluralExpressionError(f"unexpected {kind!r} in plural expression")
            continue
        if kind in _PRECEDENCE:
            level = _PRECEDENCE[kind]
            while operators and (operators[-1] == "!" or _PRECEDENCE.get(operators[-1], 0) >= level):
                _reduce(operators.pop(), operands)
            operators.append(kind)
            expect_operand = True
        elif kind == "?":
            while operators and (operators[-1] == "!" or operators[-1] in _PRECEDENCE):
                _reduce(operators.pop(), operands)
            operators.append("?")
            expect_operand = True
        elif kind == ":":
            while operators and operators[-1] not in ("?", "("):
                _reduce(operators.pop(), operands)
            if not operators or operators[-1] != "?":
                raise PluralExpressionError("':' without a '?' in plural expression")
            operators[-1] = ":"  # the condition now waits for its else branch
            expect_operand = True
        elif kind == ")":
            while operators and operators[-1] != "(":
                _reduce(operators.pop(), operands)
            if not operators:
                raise PluralExpressionError("unbalanced ')' in plural expression")
            operators.pop()
        else:
            raise PluralExpressionError(f"unexpected {kind!r} in plural expression")
    if expect_operand:
        raise PluralExpressionError("plural expression ends in the middle")
    while operators:
        operator = operators.pop()
        if operator == "(":
            raise PluralExpressionError("unbalanced '(' in plural expression")
        _reduce(operator, operands)
    assert len(operands) == 1
    return operands[0]


def _program(tree) -> list[tuple]:
    """Post-order code with jumps for ?: && || (they must not evaluate the branch not taken)."""
    code: list[tuple] = []
    pending: list[int] = []
    work: list = [("node", tree)]
    while work:
        action = work.pop()
        kind = action[0]
        if kind == "node":
            node = action[1]
            tag = node[0]
            if tag == "num":
                code.append(("push", node[1]))
            elif tag == "n":
                code.append(("n", None))
            elif tag == "not":
                work += [("emit", ("not", None)), ("node", node[1])]
            elif tag == "cond":
                _, condition, then, otherwise = node
                work += [("end",), ("node", otherwise), ("jmp",), ("node", then), ("jf",), ("node", condition)]
            elif node[1] == "&&":  # a && b  ==  a ? !!b : 0
                work.append(("node", ("cond", node[2], ("not", ("not", node[3])), ("num", 0))))
            elif node[1] == "||":  # a || b  ==  a ? 1 : !!b
                work.append(("node", ("cond", node[2], ("num", 1), ("not", ("not", node[3])))))
            else:
                work += [("emit", ("bin", node[1])), ("node", node[3]), ("node", node[2])]
        elif kind == "emit":
            code.append(action[1])
        elif kind == "jf":
            pending.append(len(code))
            code.append(("jf", None))
        elif kind == "jmp":
            false_jump = pending.pop()
            pending.append(len(code))
            code.append(("jmp", None))
            code[false_jump] = ("jf", len(code))
        else:  # end of a conditional
            code[pending.pop()] = ("jmp", len(code))
    return code


def _binary(operator: str, left: int, right: int) -> int:
    if operator == "+":
        return (left + right) & _MASK
    if operator == "-":
        return (left - right) & _MASK
    if operator == "*":
        return (left * right) & _MASK
    if operator in ("/", "%"):
        if right == 0:
            raise PluralExpressionError("the plural expression divides by zero")
        return left // right if operator == "/" else left % right
    return int({"==": left == right, "!=": left != right, "<": left < right, ">": left > right,
                "<=": left <= right, ">=": left >= right}[operator])


@lru_cache(maxsize=256)
def compile_plural(expression: str) -> Callable[[int], int]:
    """A function n -> form index. Raises PluralExpressionError (a ValueError) for a malformed
    expression; the function raises it for an n that divides by zero."""
    code = _program(_tree(_tokens(expression.strip())))

    def evaluate(n: int) -> int:
        stack: list[int] = []
        counter, size = 0, len(code)
        while counter < size:
            operation, argument = code[counter]
            counter += 1
            if operation == "push":
                stack.append(argument)
            elif operation == "n":
                stack.append(n & _MASK)
            elif operation == "bin":
                right = stack.pop()
                stack[-1] = _binary(argument, stack[-1], right)
            elif operation == "not":
                stack[-1] = int(not stack[-1])
            elif operation == "jf":
                if not stack.pop():
                    counter = argument
            else:
                counter = argument
        return stack[-1]

    return evaluate
