"""Who may run the media mutations (see tests/graphql/roles.py)."""

from __future__ import annotations

from typing import Any

from tests import factories
from tests.graphql.roles import EDITORS, PAYLOAD, WRITERS, Cases, nothing


async def editors_media(api: Any) -> dict[str, Any]:
    return {"id": (await factories.media(api))["id"]}


async def not_a_file(api: Any) -> dict[str, Any]:
    # The gate comes before the file is read: a JSON request stands in for a multipart one
    # (test_upload_media sends real files).
    return {"file": "not a file"}


CASES: Cases = {
    "uploadMedia": (
        f"mutation($file: Upload!) {{ uploadMedia(file: $file) {{ {PAYLOAD} }} }}",
        not_a_file,
        WRITERS,
    ),
    "createMedia": (
        f'mutation {{ createMedia(input: {{url: "https://img.example.com/m.jpg"}}) {{ {PAYLOAD} }} }}',
        nothing,
        WRITERS,
    ),
    # Media an editor registered: an AUTHOR may change only their own (see test_update_media).
    "updateMedia": (
        f'mutation($id: ID!) {{ updateMedia(id: $id, input: {{alt: "a"}}) {{ {PAYLOAD} }} }}',
        editors_media,
        EDITORS,
    ),
    "deleteMedia": (f"mutation($id: ID!) {{ deleteMedia(id: $id) {{ {PAYLOAD} }} }}", editors_media, EDITORS),
}
