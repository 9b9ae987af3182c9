"""A route declares who may call it once: two access decorators on one view are a mistake
(the second one's documentation would silently win), refused when the module is imported."""

import pytest

from centrale.access import member_scope, open_to_members, staff_only


def test_one_access_declaration_per_route():
    def view():
        return "ok"

    assert staff_only(view)._apidoc["manual_doc"]["x-access"] == "staff"
    with pytest.raises(TypeError, match="declared twice"):
        staff_only(staff_only(view))
    with pytest.raises(TypeError, match="declared twice"):
        open_to_members(member_scope(lambda **_: 1, "Introuvable.")(view))
