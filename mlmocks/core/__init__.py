"""Shared machinery of mlmocks. Knows no service: each service folder describes itself
to these modules (its operations, its errors, its job lifecycles) and they do the rest."""
