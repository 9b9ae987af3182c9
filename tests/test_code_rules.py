"""One way per concern, checked on the code's syntax tree (``centrale.testing.code_rules``):
nothing here imports or runs the services' code."""

from centrale.testing import code_rules

# veille's match reasons still write « 12 500 € » themselves: veille's matching is being
# rewritten (issue 12) by the engineers who own it; they move it to centrale.french.euros.
NOT_YET_MOVED: set[str] = set()


ROOMS = ("app.py", "config.py", "api", "domain", "store", "workflows.py", "activities.py",
         "workflow_calls.py", "schedules.py", "service.py", "migrations")


def test_every_service_has_the_rooms_the_readme_names():
    for service in ("veille", "accompagnement", "formation", "notifications"):
        base = code_rules.package_dir(service)
        assert [room for room in ROOMS if not (base / room).exists()] == [], service


def test_only_notifications_opens_smtp_connections():
    assert code_rules.smtp_outside_notifications() == []


def test_no_workflow_names_an_activity_by_a_string():
    assert code_rules.activities_named_by_string() == []


def test_every_service_with_workflows_is_looked_at():
    for service in ("veille", "accompagnement", "formation", "notifications"):
        assert code_rules.workflow_modules(service), service
        assert code_rules.activity_names(service), service


def test_the_activity_rule_catches_a_name_given_as_a_string(tmp_path):
    module = tmp_path / "workflows.py"
    module.write_text(
        "from temporalio import workflow\n"
        "async def run():\n"
        "    await workflow.execute_activity('svc.send', 1)\n"
        "    await helper('svc.record')\n")
    assert code_rules.string_activity_references([module], {"svc.record"}) == [
        f"{module}:3: execute_activity by a string", f"{module}:4: 'svc.record'"]


def test_no_date_or_amount_is_written_outside_centrale_french():
    offences = [o for o in code_rules.formatting_outside_french()
                if o.split(":")[0] not in NOT_YET_MOVED]
    assert offences == []


def test_the_formatting_rule_catches_hand_made_dates_and_amounts(tmp_path):
    (tmp_path / "page.py").write_text(
        "def show(day, amount, count):\n"
        "    a = day.strftime('%d/%m/%Y')\n"
        "    b = f'{day:%d/%m}'\n"
        "    c = f'{amount:,.2f}'\n"
        "    d = f'{amount} €'\n"
        "    e = f'{count:06d} {count}'\n")
    found = code_rules.hand_made_formatting(tmp_path)
    assert sorted(o.split(":")[1] for o in found) == ["2", "3", "4", "5"]
