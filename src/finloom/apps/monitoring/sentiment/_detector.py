"""Negative-share spike detection per entity: a binomial z-test against an EWMA baseline, plus CUSUM.

Why this detector. In a window of ``n`` texts about an entity, ``k`` are negative. Under "nothing
happened" ``k`` is binomial with the entity's usual negative share ``p0``, so the natural test of
a spike is ``z = (k/n - p0) / sqrt(p0 (1 - p0) / n)``: it needs a bigger jump when few texts were
seen and a smaller one when many were, which a fixed share threshold cannot do. ``p0`` is an
exponentially weighted moving average of past windows' shares (weighted by their volumes and
floored at ``min_share`` so a quiet entity with no negative texts yet does not alert on its first
one); windows that alerted do not update it, so a long burst does not become the new normal.
When bad news breaks, the volume usually rises with the negatives, which dilutes the share; so a
second test compares the window's *count* of negative texts with the entity's usual count per
window (an EWMA too) as a Poisson rate, ``zc = (k - lam) / sqrt(max(lam, 0.5))``, and alerts when
``zc >= count_threshold`` while the share is up as well (``z >= 2``), so that a mere rise in
volume at the usual mix does not alert. A one-sided CUSUM on the same z (``S = max(0, S + z - k)``, alert when ``S > h``) catches a
sustained, moderate rise that no single window makes significant. ``min_volume`` keeps alerts to
windows with enough texts to mean something, and ``cooldown`` windows after an alert keep one
burst from alerting again and again. ``ruptures`` (offline change points) would need the whole
series; this runs online in O(1) per window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

__all__ = ["SpikeDetector", "WindowResult"]


@dataclass(frozen=True)
class WindowResult:
    """The detector's verdict on one window of one entity."""

    entity: str
    window: int
    volume: int
    negatives: int
    share: float
    baseline: float
    z: float
    cusum: float
    alert: str  # "" (none), "spike" or "drift"


@dataclass
class _EntityState:
    baseline: float
    neg_rate: float = 0.0
    neg_weight: float = 0.0
    weight: float = 0.0
    cusum: float = 0.0
    cooldown: int = 0
    windows: int = 0


@dataclass
class SpikeDetector:
    """Online detector over per-window (volume, negatives) counts of each entity.

    Examples
    --------
    >>> d = SpikeDetector(min_volume=5, warmup_windows=3)
    >>> quiet = [d.update("ACME", w, 10, 1) for w in range(10)]
    >>> any(r.alert for r in quiet)
    False
    >>> d.update("ACME", 10, 12, 8).alert
    'spike'
    """

    z_threshold: float = 4.0
    count_threshold: float = 6.0  # Poisson z of the negative count (with the share up by z >= 2)
    cusum_k: float = 1.0  # slack per window, in z units
    cusum_h: float = 8.0  # decision interval, in z units
    min_volume: int = 8
    min_share: float = 0.08
    halflife: float = 48.0  # windows
    warmup_windows: int = 24
    cooldown_windows: int = 6
    prior_share: float = 0.15
    states: dict[str, _EntityState] = field(default_factory=dict)

    def update(self, entity: str, window: int, volume: int, negatives: int) -> WindowResult:
        """Score one closed window and update the entity's baseline."""
        st = self.states.setdefault(entity, _EntityState(self.prior_share))
        p0 = max(st.baseline, self.min_share)
        share = negatives / volume if volume else 0.0
        z = (share - p0) / math.sqrt(p0 * (1 - p0) / volume) if volume else 0.0
        st.cusum = max(0.0, st.cusum + z - self.cusum_k) if volume else st.cusum
        zc = (negatives - st.neg_rate) / math.sqrt(max(st.neg_rate, 0.5))
        alert = ""
        ready = st.windows >= self.warmup_windows and volume >= self.min_volume and st.cooldown == 0
        if ready and (z >= self.z_threshold or (zc >= self.count_threshold and z >= 2.0)):
            alert = "spike"
        elif ready and st.cusum >= self.cusum_h:
            alert = "drift"
        if alert:
            st.cooldown, st.cusum = self.cooldown_windows, 0.0
        elif st.cooldown:  # still inside a burst: the baseline waits
            st.cooldown -= 1
        else:
            decay = 0.5 ** (1.0 / self.halflife)
            st.neg_weight = st.neg_weight * decay + 1.0
            st.neg_rate += (negatives - st.neg_rate) / st.neg_weight
            if volume:
                st.weight = st.weight * decay + volume
                st.baseline += (share - st.baseline) * volume / st.weight
        st.windows += 1
        return WindowResult(entity, window, volume, negatives, share, p0, z, st.cusum, alert)
