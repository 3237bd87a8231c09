"""The pages' FastAPI dependencies: the workbench and the served text models of the application."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from finloom.services.serving import ClassifierCache
from finloom.workbench import Workbench

__all__ = ["ServingDep", "WorkbenchDep"]


def _workbench(request: Request) -> Workbench:
    workbench: Workbench = request.app.state.workbench
    return workbench


def _serving(request: Request) -> ClassifierCache:
    cache: ClassifierCache = request.app.state.classifiers
    return cache


WorkbenchDep = Annotated[Workbench, Depends(_workbench)]
ServingDep = Annotated[ClassifierCache, Depends(_serving)]
