"""The techreg explorer's pages, one module per page over the library (graph/, ontology/),
which knows nothing of them. app.py is the entry point; the page and its state live in the
URL (`?page=entity&id=skype`)."""

from __future__ import annotations

from . import (
    analytics,
    atlas,
    case,
    compare,
    cypher,
    disputes,
    documents,
    entity,
    export,
    home,
    questions,
    sparql,
)

_MODULES = {"home": home, "entity": entity, "disputes": disputes, "case": case, "compare": compare,
            "map": atlas, "questions": questions, "cypher": cypher, "sparql": sparql,
            "analytics": analytics, "export": export}
_MODULES["documents"] = documents  # ingested documents, read-only (issue 19)
PAGES = {name: module.TITLE for name, module in _MODULES.items()}  # URL name -> title
RENDER = {name: module.render for name, module in _MODULES.items()}
