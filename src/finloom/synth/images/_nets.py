"""The networks of the image synthesizers (torch; imported only when a model is built).

Every network works on square images of side ``size`` (4..64): it halves the side ``stages(size)``
times (at most 3, never below 4 pixels), so 8x8 digits use one stage, 28x28 MNIST two, 64x64 three.
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

__all__ = [
    "ConvDecoder",
    "ConvEncoder",
    "Discriminator",
    "Generator",
    "UNet",
    "init_weights",
    "stages",
]


def stages(size: int) -> int:
    """How many times the networks halve an image side of ``size`` (at most 3, down to >= 4 px).

    Examples
    --------
    >>> [stages(s) for s in (4, 8, 16, 28, 32, 64)]
    [0, 1, 2, 2, 3, 3]
    """
    k = 0
    while k < 3 and size % 2 == 0 and size // 2 >= 4:
        size //= 2
        k += 1
    return k


def init_weights(module: nn.Module, gen: torch.Generator) -> None:
    """Re-draw every weight from ``gen`` (PyTorch's default ranges), never from the global RNG."""
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, nn.Conv2d | nn.ConvTranspose2d | nn.Linear):
                fan_in = m.weight[0].numel()  # as PyTorch's default initialisation counts it
                bound = 1.0 / math.sqrt(max(fan_in, 1))
                m.weight.uniform_(-bound, bound, generator=gen)
                if m.bias is not None:
                    m.bias.uniform_(-bound, bound, generator=gen)
            elif isinstance(m, nn.Embedding):
                m.weight.normal_(0.0, 1.0, generator=gen)


class Generator(nn.Module):
    """DCGAN generator: (noise, class) -> image in [-1, 1]; transposed convolutions double the side."""

    def __init__(self, channels: int, size: int, n_classes: int, latent: int, width: int) -> None:
        super().__init__()
        self.k = stages(size)
        self.base = size // 2**self.k
        self.top = width * 2**self.k  # channels at the smallest side
        self.embed = nn.Embedding(n_classes, latent)
        self.project = nn.Sequential(
            nn.Linear(2 * latent, self.top * self.base**2),
            nn.BatchNorm1d(self.top * self.base**2),
            nn.ReLU(),
        )
        ups: list[nn.Module] = []
        ch = self.top
        for _ in range(self.k):
            ups += [
                nn.ConvTranspose2d(ch, ch // 2, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ch // 2),
                nn.ReLU(),
            ]
            ch //= 2
        self.ups = nn.Sequential(*ups)
        self.out = nn.Conv2d(ch, channels, 3, 1, 1)

    def forward(self, z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        h = self.project(torch.cat([z, self.embed(y)], dim=1))  # (B, top * base * base)
        h = self.ups(h.view(-1, self.top, self.base, self.base))  # (B, width, size, size)
        return torch.tanh(self.out(h))  # (B, C, size, size)


class _DownStack(nn.Module):
    """Convolutions that halve the side ``stages(size)`` times; returns (B, features)."""

    def __init__(self, in_ch: int, size: int, width: int, *, norm: bool) -> None:
        super().__init__()
        k = stages(size)
        layers: list[nn.Module] = [nn.Conv2d(in_ch, width, 3, 1, 1), nn.LeakyReLU(0.2)]
        ch = width
        for _ in range(k):
            layers += [nn.Conv2d(ch, ch * 2, 4, 2, 1)]
            layers += [nn.GroupNorm(8, ch * 2)] if norm else []
            layers += [nn.LeakyReLU(0.2)]
            ch *= 2
        self.body = nn.Sequential(*layers)
        self.features = ch * (size // 2**k) ** 2

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x).flatten(1)  # (B, features)


class Discriminator(nn.Module):
    """Projection discriminator: a logit per image, ``linear(h) + <embed(class), h>``."""

    def __init__(self, channels: int, size: int, n_classes: int, width: int) -> None:
        super().__init__()
        self.body = _DownStack(channels, size, width, norm=False)
        self.hidden = nn.Sequential(nn.Linear(self.body.features, 4 * width), nn.LeakyReLU(0.2))
        self.linear = nn.Linear(4 * width, 1)
        self.embed = nn.Embedding(n_classes, 4 * width)

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        h = self.hidden(self.body(x))  # (B, 4 width)
        return self.linear(h).squeeze(1) + (self.embed(y) * h).sum(dim=1)  # (B,)


class ConvEncoder(nn.Module):
    """VAE encoder: (image, class) -> (mu, logvar) of the latent code."""

    def __init__(self, channels: int, size: int, n_classes: int, latent: int, width: int) -> None:
        super().__init__()
        self.n_classes = n_classes
        self.body = _DownStack(channels + n_classes, size, width, norm=True)
        self.mu = nn.Linear(self.body.features, latent)
        self.logvar = nn.Linear(self.body.features, latent)

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        maps = F.one_hot(y, self.n_classes).float()[:, :, None, None].expand(-1, -1, *x.shape[2:])
        h = self.body(torch.cat([x, maps], dim=1))  # (B, features)
        return self.mu(h), self.logvar(h)  # (B, latent) each


class ConvDecoder(nn.Module):
    """VAE decoder: (latent code, class) -> pixel logits."""

    def __init__(self, channels: int, size: int, n_classes: int, latent: int, width: int) -> None:
        super().__init__()
        self.n_classes = n_classes
        self.k = stages(size)
        self.base = size // 2**self.k
        self.top = width * 2**self.k
        self.project = nn.Sequential(
            nn.Linear(latent + n_classes, self.top * self.base**2), nn.ReLU()
        )
        ups: list[nn.Module] = []
        ch = self.top
        for _ in range(self.k):
            ups += [nn.ConvTranspose2d(ch, ch // 2, 4, 2, 1), nn.GroupNorm(8, ch // 2), nn.ReLU()]
            ch //= 2
        self.ups = nn.Sequential(*ups)
        self.out = nn.Conv2d(ch, channels, 3, 1, 1)

    def forward(self, z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        h = self.project(torch.cat([z, F.one_hot(y, self.n_classes).float()], dim=1))
        return self.out(
            self.ups(h.view(-1, self.top, self.base, self.base))
        )  # (B, C, size, size) logits


def timestep_embedding(t: torch.Tensor, dim: int) -> torch.Tensor:
    """Sinusoidal embedding of integer timesteps (B,) -> (B, dim)."""
    half = dim // 2
    freqs = torch.exp(-math.log(10_000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.sin(args), torch.cos(args)], dim=1)


class _ResBlock(nn.Module):
    def __init__(self, in_ch: int, out_ch: int, emb: int) -> None:
        super().__init__()
        self.norm1, self.conv1 = nn.GroupNorm(8, in_ch), nn.Conv2d(in_ch, out_ch, 3, 1, 1)
        self.emb = nn.Linear(emb, out_ch)
        self.norm2, self.conv2 = nn.GroupNorm(8, out_ch), nn.Conv2d(out_ch, out_ch, 3, 1, 1)
        self.skip = nn.Conv2d(in_ch, out_ch, 1) if in_ch != out_ch else nn.Identity()

    def forward(self, x: torch.Tensor, e: torch.Tensor) -> torch.Tensor:
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.emb(e)[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return h + self.skip(x)


class UNet(nn.Module):
    """A small UNet predicting the noise of a DDPM step, conditioned on timestep and class.

    Class index ``n_classes`` is the "no class" token that classifier-free guidance trains with.
    """

    def __init__(self, channels: int, size: int, n_classes: int, width: int) -> None:
        super().__init__()
        self.levels = min(stages(size), 2)
        emb = 4 * width
        self.width = width
        self.time = nn.Sequential(nn.Linear(width, emb), nn.SiLU(), nn.Linear(emb, emb))
        self.label = nn.Embedding(n_classes + 1, emb)
        self.inp = nn.Conv2d(channels, width, 3, 1, 1)
        chans = [width * min(2**i, 2) for i in range(self.levels + 1)]  # (w, 2w, 2w)
        self.down = nn.ModuleList(
            _ResBlock(chans[max(i - 1, 0)], chans[i], emb) for i in range(self.levels + 1)
        )
        self.pool = nn.ModuleList(
            nn.Conv2d(chans[i], chans[i], 3, 2, 1) for i in range(self.levels)
        )
        self.mid = _ResBlock(chans[-1], chans[-1], emb)
        self.up = nn.ModuleList(
            _ResBlock(chans[i] * 2, chans[max(i - 1, 0)], emb)
            for i in reversed(range(self.levels + 1))
        )
        self.out = nn.Sequential(
            nn.GroupNorm(8, width), nn.SiLU(), nn.Conv2d(width, channels, 3, 1, 1)
        )

    def forward(self, x: torch.Tensor, t: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        e = self.time(timestep_embedding(t, self.width)) + self.label(y)  # (B, emb)
        h = self.inp(x)  # (B, w, S, S)
        skips = []
        for i, block in enumerate(self.down):
            h = block(h, e)
            skips.append(h)
            if i < self.levels:
                h = self.pool[i](h)  # side halves
        h = self.mid(h, e)
        for j, block in enumerate(self.up):
            if j > 0:
                h = F.interpolate(h, scale_factor=2, mode="nearest")  # side doubles
            h = block(torch.cat([h, skips.pop()], dim=1), e)
        return self.out(h)  # (B, C, S, S) predicted noise
