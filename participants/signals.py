"""Signals the participants app sends for the apps that build on it."""

from django.dispatch import Signal

# Sent (with `kk_numbers`, a set of family-card numbers) in the transaction of every change that
# can alter which groups a household has members in: a roster change, a membership written any
# other way, a family-card number changed or removed. grants keeps by it the households its
# capital reached (grants.services.household_reach_refresh).
households_changed = Signal()
