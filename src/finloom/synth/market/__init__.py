"""Market path simulators (block bootstrap, GARCH family, leverage-calibrated EGARCH, filtered historical
simulation, joint multi-asset FHS with regimes, DDPM, QuantGAN), data loading."""

from finloom.synth.market._asymmetric import AsymmetricGARCHSimulator
from finloom.synth.market._base import MarketSimulator
from finloom.synth.market._bootstrap import StationaryBootstrap
from finloom.synth.market._data import load_prices, load_sp500, log_returns, validate_prices
from finloom.synth.market._diffusion import DiffusionConfig, DiffusionSimulator
from finloom.synth.market._garch import GARCHSimulator
from finloom.synth.market._hybrid import HybridFHSSimulator
from finloom.synth.market._joint import JointFHSSimulator, regime_transitions
from finloom.synth.market._lambertw import igmm, lambertw_gaussianize, lambertw_transform
from finloom.synth.market._multi import MULTI_ASSET_SOURCES, load_multi_asset
from finloom.synth.market._paths import MarketPaths, Shock
from finloom.synth.market._quantgan import QuantGANConfig, QuantGANSimulator
from finloom.synth.market._regimes import label_regimes

__all__ = [
    "AsymmetricGARCHSimulator",
    "DiffusionConfig",
    "DiffusionSimulator",
    "GARCHSimulator",
    "HybridFHSSimulator",
    "JointFHSSimulator",
    "MULTI_ASSET_SOURCES",
    "MarketPaths",
    "MarketSimulator",
    "QuantGANConfig",
    "QuantGANSimulator",
    "Shock",
    "StationaryBootstrap",
    "igmm",
    "label_regimes",
    "lambertw_gaussianize",
    "lambertw_transform",
    "load_multi_asset",
    "load_prices",
    "load_sp500",
    "log_returns",
    "regime_transitions",
    "validate_prices",
]
