"""What the assessment stage tells the stages after it, without knowing them."""

from django.dispatch import Signal

# Sent with `plan` and `total` (the RAB's new grand total) after an action plan's RAB is saved.
budget_saved = Signal()
