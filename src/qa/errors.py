"""Errors the core raises; each names the file or input at fault.

QAError
├── ReportReadError      a report file cannot be read or decoded
├── EmptyCorpusError     the reports folder holds no usable report
├── UnknownReportError   a report id that does not exist
├── BadQuestionError     an empty or unusable question
├── FileRefusedError     an uploaded file that cannot become a report (why, and what to do)
├── BadCorrectionError   a preview correction line that is not 标题/单位/年份：…
├── LibraryWriteError    the reports folder could not be written (nothing changed)
└── DuplicateReportError a file already stored (same bytes or same text)
"""

from __future__ import annotations


class QAError(Exception):
    """Base class of every error the core raises."""


class ReportReadError(QAError):
    """A report file is unreadable, binary or in an unknown encoding."""


class EmptyCorpusError(QAError):
    """The reports folder is missing or holds no usable report."""


class UnknownReportError(QAError):
    """A report id that is not in the corpus."""


class BadQuestionError(QAError):
    """A question that is empty once cleaned."""


class FileRefusedError(QAError):
    """An uploaded file that cannot become a report.

    ``code`` is a stable tag for front ends and tests (``doc``, ``wps``, ``scanned_pdf``,
    ``image``, ``spreadsheet``, ``empty``, ``binary``, ``too_large``, ``unsupported``,
    ``damaged``, ``encrypted``); ``reason`` and ``hint`` are the user's Chinese lines.
    """

    def __init__(self, name: str, code: str, reason: str, hint: str) -> None:
        super().__init__(f"{name}：{reason}。{hint}")
        self.name = name
        self.code = code
        self.reason = reason
        self.hint = hint


class BadCorrectionError(QAError):
    """A correction to a preview that names no known field or holds a bad value."""


class LibraryWriteError(QAError):
    """The reports folder could not be written; the stored corpus is unchanged."""


class DuplicateReportError(QAError):
    """A file whose bytes or text are already stored; ``report_id`` names the stored copy."""

    def __init__(self, message: str, report_id: str) -> None:
        super().__init__(message)
        self.report_id = report_id
