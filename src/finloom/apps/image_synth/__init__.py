"""Image synthesizers on the workbench: fit one on bundled digits or an uploaded zip, sample image grids."""

from finloom.apps.image_synth.schemas import ImageFitParams, ImageSampleParams
from finloom.apps.image_synth.service import fit_job, grid_png, sample_job

__all__ = ["ImageFitParams", "ImageSampleParams", "fit_job", "grid_png", "sample_job"]
