"""The one error type the book and its CLI show to people."""


class Ai4NeuroError(Exception):
    """A problem a person can fix: the message names the file (or term) and the fix.

    The CLI prints it as one line, without a traceback; chapters show it as a notice.
    """


class SnapshotMissing(Ai4NeuroError):
    """A snapshot in ``data/`` does not exist yet."""


class SourceUnreachable(Ai4NeuroError):
    """A live source (network, mirror, cache) could not be reached."""
