"""A small subset of the Perspective expression language, for expression bindings in the preview.

Supported: `{property.path}` references, numbers, 'single' / "double" quoted strings, `true`,
`false`, `null`; arithmetic `+ - * / %` (`+` concatenates when either side is a string; `/` is
true division like Ignition's), comparisons `= == != <> < <= > >=`, logic `&& || !`, parentheses,
and the functions listed in FUNCTIONS (`if`, `isNull`, `coalesce`, `len`, `toStr`/`toString`,
`toInt`, `toFloat`, `round`, `numberFormat` with a `#,##0.0` / `0.0%` style pattern, `upper`,
`lower`, `concat`). Anything else raises ExpressionError, which the preview shows as an error
marker on the bound property instead of a made-up value.
"""
from __future__ import annotations

import re

__all__ = ["ExpressionError", "evaluate", "references"]


class ExpressionError(Exception):
    """The expression uses something outside the supported subset, or failed to evaluate."""


_TOKEN = re.compile(r"""\s*(?:
    (?P<num>\d+\.\d*|\.\d+|\d+)
  | (?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<ref>\{[^{}]+\})
  | (?P<name>[A-Za-z_][A-Za-z0-9_.]*)
  | (?P<op>==|!=|<>|<=|>=|&&|\|\||[-+*/%<>=!(),])
  )""", re.VERBOSE)

_REF = re.compile(r"\{([^{}]+)\}")


def references(text):
    """The property paths an expression refers to, in order."""
    return _REF.findall(text or "")


def _tokens(text):
    pos, out = 0, []
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ExpressionError("cannot read the expression at %r" % (text[pos:pos + 20],))
        pos = match.end()
        kind = match.lastgroup
        out.append((kind, match.group(kind)))
    return out


def _number_format(value, pattern):
    value = float(value)
    percent = pattern.endswith("%")
    if percent:
        value *= 100.0
        pattern = pattern[:-1]
    decimals = len(pattern.split(".")[1]) if "." in pattern else 0
    text = ("{:,.%df}" if "," in pattern else "{:.%df}") % decimals
    return text.format(value) + ("%" if percent else "")


def _to_str(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return repr(value)
    return str(value)


FUNCTIONS = {
    "isNull": lambda v: v is None,
    "coalesce": lambda *vs: next((v for v in vs if v is not None), None),
    "len": lambda v: len(v) if v is not None else 0,
    "toStr": _to_str,
    "toString": _to_str,
    "toInt": lambda v, d=None: d if v in (None, "") else int(round(float(v))),
    "toFloat": lambda v, d=None: d if v in (None, "") else float(v),
    "round": lambda v, n=0: round(float(v), int(n)),
    "numberFormat": _number_format,
    "upper": lambda v: _to_str(v).upper(),
    "lower": lambda v: _to_str(v).lower(),
    "concat": lambda *vs: "".join(_to_str(v) for v in vs),
}


class _Parser(object):
    def __init__(self, tokens, resolve):
        self.tokens = tokens
        self.pos = 0
        self.resolve = resolve

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def take(self, value=None):
        token = self.peek()
        if token[0] is None or (value is not None and token[1] != value):
            raise ExpressionError("expected %r, found %r" % (value or "a value", token[1]))
        self.pos += 1
        return token

    # precedence climbing: or < and < comparison < additive < multiplicative < unary
    def parse(self):
        value = self.or_()
        if self.peek()[0] is not None:
            raise ExpressionError("unexpected %r" % (self.peek()[1],))
        return value

    def or_(self):
        left = self.and_()
        while self.peek()[1] == "||":
            self.take()
            right = self.and_()
            left = bool(left) or bool(right)
        return left

    def and_(self):
        left = self.compare()
        while self.peek()[1] == "&&":
            self.take()
            right = self.compare()
            left = bool(left) and bool(right)
        return left

    def compare(self):
        left = self.additive()
        while self.peek()[1] in ("=", "==", "!=", "<>", "<", "<=", ">", ">="):
            op = self.take()[1]
            right = self.additive()
            try:
                left = {"=": lambda a, b: a == b, "==": lambda a, b: a == b,
                        "!=": lambda a, b: a != b, "<>": lambda a, b: a != b,
                        "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
                        ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}[op](left, right)
            except TypeError:
                raise ExpressionError("cannot compare %r %s %r" % (left, op, right))
        return left

    def additive(self):
        left = self.multiplicative()
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            right = self.multiplicative()
            if op == "+" and (isinstance(left, str) or isinstance(right, str)):
                left = _to_str(left) + _to_str(right)
            else:
                left = self.arith(op, left, right)
        return left

    def multiplicative(self):
        left = self.unary()
        while self.peek()[1] in ("*", "/", "%"):
            op = self.take()[1]
            left = self.arith(op, left, self.unary())
        return left

    @staticmethod
    def arith(op, a, b):
        try:
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            if op == "/":
                return a / b
            return a % b
        except (TypeError, ZeroDivisionError) as error:
            raise ExpressionError("%r %s %r: %s" % (a, op, b, error))

    def unary(self):
        if self.peek()[1] == "!":
            self.take()
            return not self.unary()
        if self.peek()[1] == "-":
            self.take()
            return self.arith("-", 0, self.unary())
        return self.atom()

    def atom(self):
        kind, text = self.take()
        if kind == "num":
            return float(text) if "." in text else int(text)
        if kind == "str":
            return text[1:-1].encode("utf-8").decode("unicode_escape") if "\\" in text else text[1:-1]
        if kind == "ref":
            return self.resolve(text[1:-1].strip())
        if text == "(":
            value = self.or_()
            self.take(")")
            return value
        if kind == "name":
            lowered = text.lower()
            if lowered in ("true", "false"):
                return lowered == "true"
            if lowered == "null":
                return None
            return self.call(text)
        raise ExpressionError("unexpected %r" % (text,))

    def call(self, name):
        self.take("(")
        if name == "if":  # both branches are evaluated; an error in either shows
            condition = self.or_()
            self.take(",")
            yes = self.or_()
            self.take(",")
            no = self.or_()
            self.take(")")
            return yes if condition else no
        if name not in FUNCTIONS:
            raise ExpressionError("the preview does not implement the expression function %s()" % name)
        args = []
        if self.peek()[1] != ")":
            args.append(self.or_())
            while self.peek()[1] == ",":
                self.take()
                args.append(self.or_())
        self.take(")")
        try:
            return FUNCTIONS[name](*args)
        except (TypeError, ValueError) as error:
            raise ExpressionError("%s(%s): %s" % (name, ", ".join(repr(a) for a in args), error))


def evaluate(text, resolve):
    """Evaluate `text`; `resolve(path)` returns the value of a `{path}` reference."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("empty expression")
    return _Parser(_tokens(text), resolve).parse()
