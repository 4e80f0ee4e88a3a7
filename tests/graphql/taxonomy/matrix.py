"""Who may run the section and tag mutations (see tests/graphql/roles.py)."""

from __future__ import annotations

from tests.graphql.roles import EDITORS, PAYLOAD, Cases, new_name

CASES: Cases = {
    "createSection": (
        f"mutation($name: String!) {{ createSection(input: {{name: $name}}) {{ {PAYLOAD} }} }}",
        new_name,
        EDITORS,
    ),
}
