"""A tokenizer shared by the two small OCI languages this provider parses (pure).

IAM policy statements (``Allow dynamic-group 'Default'/'nodes' to manage all-resources in
tenancy where ...``) and dynamic-group matching rules (``ALL {instance.compartment.id =
'ocid1...', tag.ns.key.value}``) are both sequences of words, quoted strings and a few
punctuation marks. Parsing them from tokens, rather than searching the raw text, is what
keeps ``manage all-resources`` inside a quoted group name from being mistaken for a grant.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

TokenKind = Literal["word", "quoted", "punct"]
Mode = Literal["any", "all"]
T = TypeVar("T")

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<quoted>'[^']*'|"[^"]*")
      | (?P<punct>!=|=|[{},/])
      | (?P<word>[^\s{},/'"=!]+)
    )""",
    re.VERBOSE,
)


class SyntaxProblem(ValueError):
    """Text that does not follow the grammar; the message says where."""


@dataclass(frozen=True)
class Token:
    kind: TokenKind
    text: str
    """The token without its quotes (for ``quoted``)."""
    at: int

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.text.lower() in words


def tokenize(text: str) -> list[Token]:
    """Every token of ``text``; SyntaxProblem on a character no token can start with."""
    out: list[Token] = []
    pos = 0
    stripped = text.rstrip()
    while pos < len(stripped):
        match = _TOKEN.match(stripped, pos)
        if match is None or match.end() == pos:
            raise SyntaxProblem(f"unexpected character at {pos}: {stripped[pos : pos + 10]!r}")
        kind = match.lastgroup
        value = match.group(kind or "word")
        if kind == "quoted":
            out.append(Token("quoted", value[1:-1], match.start(kind)))
        elif kind == "punct":
            out.append(Token("punct", value, match.start(kind)))
        else:
            out.append(Token("word", value, match.start(kind or "word")))
        pos = match.end()
    return out


class Cursor:
    """A position in a token list, with the small look-ahead both grammars need."""

    def __init__(self, tokens: list[Token], text: str) -> None:
        self.tokens = tokens
        self.text = text
        self.pos = 0

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def next(self, expected: str = "a token") -> Token:
        token = self.peek()
        if token is None:
            raise SyntaxProblem(f"expected {expected} at the end of {self.text!r}")
        self.pos += 1
        return token

    def take_punct(self, mark: str) -> bool:
        token = self.peek()
        if token is not None and token.kind == "punct" and token.text == mark:
            self.pos += 1
            return True
        return False

    def expect_punct(self, mark: str) -> None:
        if not self.take_punct(mark):
            token = self.peek()
            found = "the end" if token is None else repr(token.text)
            raise SyntaxProblem(f"expected {mark!r}, found {found} in {self.text!r}")

    def take_word(self, *words: str) -> Token | None:
        token = self.peek()
        if token is not None and token.is_word(*words):
            self.pos += 1
            return token
        return None

    def combination(self, item: Callable[[], T]) -> tuple[Mode, list[T]] | None:
        """``ANY|ALL { item, item, ... }`` (both languages combine tests this way), or None
        when the next token is not ``ANY``/``ALL``."""
        mode = self.take_word("any", "all")
        if mode is None:
            return None
        self.expect_punct("{")
        items = [item()]
        while self.take_punct(","):
            items.append(item())
        self.expect_punct("}")
        return ("any" if mode.text.lower() == "any" else "all"), items

    def variable(self) -> str:
        """A variable name, lower-cased (both languages ignore its case)."""
        token = self.next("a variable")
        if token.kind != "word":
            raise SyntaxProblem(f"expected a variable, found {token.text!r} in {self.text!r}")
        return token.text.lower()

    def rest_text(self) -> str:
        """The source text from the current token on (a ``where`` clause, kept verbatim)."""
        token = self.peek()
        return "" if token is None else self.text[token.at :].strip()

    @property
    def done(self) -> bool:
        return self.pos >= len(self.tokens)


def parse_whole(text: str, parse: Callable[[Cursor], T], what: str) -> T:
    """``parse`` over all of ``text``; SyntaxProblem if tokens are left over."""
    cursor = Cursor(tokenize(text), text)
    result = parse(cursor)
    if not cursor.done:
        raise SyntaxProblem(f"unexpected {cursor.next().text!r} in {what} {text!r}")
    return result
