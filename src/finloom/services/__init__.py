"""Typed service functions, one module per area: what the API, the web pages and the CLI call.

Every function that changes something takes the workbench and the ``actor`` (the user name the
interface authenticated, or the local user for the CLI) and records one audit event inside the
transaction that makes the change. Interfaces check roles, parse input into the models defined
here (or the job kinds' params models), call one function and format its result; they never
call ``record_audit`` themselves and never import each other.

Modules: :mod:`~finloom.services.datasets`, :mod:`~finloom.services.jobs`,
:mod:`~finloom.services.keys`, :mod:`~finloom.services.models`,
:mod:`~finloom.services.compliance`, :mod:`~finloom.services.guard`,
:mod:`~finloom.services.chat`, :mod:`~finloom.services.demo`, :mod:`~finloom.services.advisor`, and
:class:`~finloom.services.serving.ClassifierCache` (loaded text models behind micro-batchers).
"""

from finloom.services._forms import parse_input

__all__ = ["parse_input"]
