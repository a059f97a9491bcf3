"""The exception tree. Every error a user can cause says what is wrong and where.

    CatalogueError
    ├── InputError                 bad input from a user: exit status 2, HTTP 400
    │   ├── SourceSyntaxError      a file or body that does not parse (file:line:column)
    │   ├── UnreadableSource       a file that is missing or cannot be read
    │   └── UnknownFormat          a format we cannot detect or do not serve
    ├── NotFound                   no such resource: HTTP 404
    └── NotAcceptable              no representation the client accepts: HTTP 406
"""

from __future__ import annotations


class CatalogueError(Exception):
    """Base of every error the catalogue raises on purpose."""

    status_code = 500


class InputError(CatalogueError):
    status_code = 400


class SourceSyntaxError(InputError):
    """A source that does not parse; knows where."""

    def __init__(self, source: str, line: int | None, column: int | None, message: str) -> None:
        self.source = source
        self.line = line
        self.column = column
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class UnreadableSource(InputError):
    pass


class UnknownFormat(InputError):
    pass


class NotFound(CatalogueError):
    status_code = 404


class NotAcceptable(CatalogueError):
    status_code = 406
