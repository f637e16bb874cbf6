"""Errors the core raises; each names the file or input at fault.

QAError
├── ReportReadError      a report file cannot be read or decoded
├── EmptyCorpusError     the reports folder holds no usable report
├── UnknownReportError   a report id that does not exist
└── BadQuestionError     an empty or unusable question
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
