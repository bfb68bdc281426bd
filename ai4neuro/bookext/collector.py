"""What the extension keeps per document, kept the way Sphinx keeps its own: an environment collector.

A :class:`DocumentCollector` holds one dict, document name -> value, in Sphinx's environment (pickled with
it between builds). Sphinx drops a document's entry when the document is read again or removed
(``env-purge-doc``) and, in a parallel build, merges what each reading process collected
(``env-merge-info``); a subclass says what it collects (``doctree-read``) and which documents its state makes
outdated (``env-get-outdated``). Registered with ``app.add_env_collector``, as MyST-NB registers its own.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector


class DocumentCollector(EnvironmentCollector):
    """One value per document, under :attr:`attribute` of the environment."""

    attribute: ClassVar[str]  # the environment's attribute that holds the dict

    @classmethod
    def of(cls, env: BuildEnvironment) -> dict[str, Any]:
        """The values collected so far, by document name (an empty dict in a new environment)."""
        return vars(env).setdefault(cls.attribute, {})

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        self.of(env).pop(docname, None)

    def merge_other(self, app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
        self.of(env).update({name: value for name, value in self.of(other).items() if name in docnames})

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        """Nothing by default: a subclass may collect while the document is read (at ``source-read``)."""
