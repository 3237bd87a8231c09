"""Image synthesizers: class-conditional DCGAN, convolutional VAE and a small DDPM for images up to 64x64.

They share the tabular synthesizers' contract (``fit`` / ``sample`` / ``save`` / ``load``, seeds,
progress callbacks, safetensors + JSON files). Importing this package does not import torch.
"""

from finloom.synth.images._base import BaseImageSynthesizer
from finloom.synth.images._data import (
    DEFAULT_MAX_PIXELS,
    MAX_SIZE,
    ImageData,
    as_image_data,
    load_digits,
    load_mnist_sample,
    read_image_folder,
    read_image_zip,
)
from finloom.synth.images._ddpm import DDPMConfig, DDPMSynthesizer
from finloom.synth.images._gan import DCGANConfig, DCGANSynthesizer
from finloom.synth.images._grid import image_grid, png_bytes, write_pngs_zip
from finloom.synth.images._service import (
    BUNDLED,
    IMAGE_MODELS,
    fit_image_synthesizer,
    load_image_synthesizer,
    read_image_source,
)
from finloom.synth.images._vae import ConvVAEConfig, ConvVAESynthesizer

__all__ = [
    "BUNDLED",
    "DEFAULT_MAX_PIXELS",
    "IMAGE_MODELS",
    "MAX_SIZE",
    "BaseImageSynthesizer",
    "ConvVAEConfig",
    "ConvVAESynthesizer",
    "DCGANConfig",
    "DCGANSynthesizer",
    "DDPMConfig",
    "DDPMSynthesizer",
    "ImageData",
    "as_image_data",
    "fit_image_synthesizer",
    "image_grid",
    "load_digits",
    "load_image_synthesizer",
    "load_mnist_sample",
    "png_bytes",
    "read_image_folder",
    "read_image_source",
    "read_image_zip",
    "write_pngs_zip",
]
