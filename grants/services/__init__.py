"""Every step a grant takes, each in one function that admin, portal and commands call.

Public money moves here. Each step locks the grant row, checks the grant is still where the step
starts from, writes the change and one GrantEvent, all in one transaction (`steps`): a double
click or two supervisors at once produce exactly one step and one event; the second is refused
with a message. One module per stage: `preparing` (the proposal and its documents, submitting),
`deciding` (approving, rejecting), `money` (tranches), `accountability` (the LPJ, visits,
closing), `privacy` (KTP copies past their time).
"""

from grants.services.accountability import (
    accountability_figures,
    accountability_problems,
    grant_close,
    grant_mark_accounted,
    monitoring_visit_change,
    monitoring_visit_record,
    spending_line_add,
)
from grants.services.deciding import (
    DECISION_STEPS,
    approval_problems,
    grant_approve,
    grant_decide,
    grant_reject,
)
from grants.services.money import disbursement_problems, disbursement_record
from grants.services.preparing import (
    document_upload,
    documents_upload,
    grant_create,
    grant_submit,
    grant_update,
    missing_document_kinds,
    missing_documents,
    rab_total,
    submission_problems,
)
from grants.services.privacy import identity_documents_purge
from grants.services.steps import WORKFLOW, Status, disbursed_total
from grants.services.verification import (
    members_to_ask,
    sample_size,
    unsettled_discrepancies,
    verification_answer_record,
    verification_answer_settle,
    verification_figures,
    verification_round_open,
)

__all__ = [
    "DECISION_STEPS", "WORKFLOW", "Status", "accountability_figures", "accountability_problems",
    "approval_problems", "disbursed_total", "disbursement_problems", "disbursement_record",
    "document_upload", "documents_upload", "grant_approve", "grant_close", "grant_create",
    "grant_decide", "grant_mark_accounted", "grant_reject", "grant_submit", "grant_update",
    "identity_documents_purge", "missing_document_kinds", "missing_documents",
    "members_to_ask", "monitoring_visit_change", "monitoring_visit_record", "rab_total",
    "sample_size",
    "spending_line_add", "submission_problems", "unsettled_discrepancies",
    "verification_answer_record", "verification_answer_settle", "verification_figures",
    "verification_round_open",
]  # fmt: skip
