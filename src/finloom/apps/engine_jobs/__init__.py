"""Job functions that run engine services on the workbench (datasets in, artifacts and files out),
and the typed parameters of their job kinds."""

from finloom.apps.engine_jobs.schemas import (
    LabRunParams,
    MarketReportParams,
    MarketSimulateParams,
    NerTrainParams,
    NlpTrainParams,
    PortfolioReportParams,
    TradeAuditParams,
    resolve_encoder,
)

__all__ = [
    "LabRunParams",
    "MarketReportParams",
    "MarketSimulateParams",
    "NerTrainParams",
    "NlpTrainParams",
    "PortfolioReportParams",
    "TradeAuditParams",
    "resolve_encoder",
]
