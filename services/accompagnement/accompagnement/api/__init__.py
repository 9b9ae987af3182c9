"""Accompagnement's HTTP API: one ``*_routes.py`` + ``*_schemas.py`` pair per resource."""

from .advisors_routes import blp as advisors_blp
from .audit_routes import blp as audit_blp
from .change_requests_routes import blp as change_requests_blp
from .cases_routes import blp as cases_blp
from .checklist_routes import blp as checklist_blp
from .clauses_routes import blp as clauses_blp
from .consortium_routes import blp as consortium_blp
from .diagnosis_routes import blp as diagnosis_blp
from .directory_routes import blp as directory_blp
from .documents_routes import blp as documents_blp
from .impact_routes import blp as impact_blp
from .journal_routes import blp as journal_blp
from .structures_routes import blp as structures_blp
from .tenders_routes import blp as tenders_blp
from .vault_routes import blp as vault_blp

BLUEPRINTS = [structures_blp, vault_blp, advisors_blp, tenders_blp, cases_blp, journal_blp,
              diagnosis_blp, checklist_blp, documents_blp, consortium_blp, impact_blp,
              audit_blp, directory_blp, clauses_blp, change_requests_blp]
