"""Negative-share spike detection per entity: exact tail probabilities against a Bayesian
baseline, two-window pooling, minimum counts, a cool-down, plus CUSUM for slow drifts.

Why this detector. In a window of ``n`` texts about an entity, ``k`` are negative. Under "nothing
happened" ``k`` follows the entity's usual negative share ``p0``; ``p0`` is only *estimated*
(an exponentially weighted share of past quiet windows, worth ``weighted volume +
prior_strength`` texts), so the honest reference is the beta-binomial predictive distribution,
whose tail ``P(K >= k)`` is the window's p-value: it is exact for small windows, where a normal z
is far too optimistic (most false alarms of a z-test come from windows of 8-15 texts), and it
widens when the baseline rests on little history. When bad news breaks, volume often rises with
the negatives, which dilutes the share; so the window's *count* of negatives is also tested
against the entity's usual count per window (a Poisson rate with a gamma posterior, i.e. a
negative-binomial tail). The smaller p-value, doubled (Bonferroni), must be below ``p_threshold``
and the share must be up by ``z_threshold`` standard errors (a mere rise in volume at the usual
mix does not alert). Each window is tested alone and pooled with the previous one (``span``), so
a burst split across a window edge is caught within two windows. Guards: ``min_volume`` texts and
``min_negatives`` negative texts in the tested span, ``warmup_windows`` before an entity can
alert, and ``cooldown_windows`` after an alert in which the entity does not alert again and its
baseline does not learn (one burst, one alert; a long burst does not become the new normal).
A one-sided CUSUM on the window z (``S = max(0, S + z - k)``, alert when ``S > h``) catches a
sustained, moderate rise that no single window makes significant. ``ruptures`` (offline change
points) would need the whole series; this runs online in O(1) per window.
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
    negatives: float = 0.0  # exponentially weighted negatives and volume of quiet windows
    volume: float = 0.0
    cusum: float = 0.0
    cooldown: int = 0
    windows: int = 0
    recent: list[tuple[int, int]] = field(default_factory=list)  # (volume, negatives)


def _share_tail(k: int, n: int, a: float, b: float) -> float:
    """P(K >= k) for K ~ BetaBinomial(n, a, b): the chance of ``k`` or more negatives in ``n``."""
    from scipy.stats import betabinom

    return float(betabinom.sf(k - 1, n, a, b))


def _count_tail(k: int, shape: float, rate: float) -> float:
    """P(K >= k) for K ~ NegativeBinomial(shape, rate / (rate + 1)) (Poisson with a gamma rate)."""
    from scipy.stats import nbinom

    return float(nbinom.sf(k - 1, shape, rate / (rate + 1.0)))


@dataclass
class SpikeDetector:
    """Online detector over per-window (volume, negatives) counts of each entity.

    Examples
    --------
    >>> d = SpikeDetector(min_volume=5, warmup_windows=3)
    >>> quiet = [d.update("ACME", w, 10, 1) for w in range(10)]
    >>> any(r.alert for r in quiet)
    False
    >>> d.update("ACME", 10, 20, 16).alert
    'spike'
    """

    p_threshold: float = 3e-6  # tail probability of the window's negatives under the baseline
    z_threshold: float = 2.0  # and the share must be up by this many binomial standard errors
    span: int = 2  # also test the last ``span`` windows together (a burst split across windows)
    prior_strength: float = 20.0  # texts' worth of weight of the prior share in the baseline
    cusum_k: float = 1.0  # slack per window, in z units
    cusum_h: float = 8.0  # decision interval, in z units
    min_volume: int = 8
    min_negatives: int = 4
    min_share: float = 0.08
    halflife: float = 48.0  # windows
    warmup_windows: int = 24
    cooldown_windows: int = 6
    prior_share: float = 0.15
    states: dict[str, _EntityState] = field(default_factory=dict)

    def _tail(self, st: _EntityState, volume: int, negatives: int) -> float:
        """The smaller of the share test and the count test (Bonferroni: times two)."""
        share = max(st.baseline, self.min_share)
        a = share * (st.volume + self.prior_strength)
        b = (1.0 - share) * (st.volume + self.prior_strength)
        p_share = _share_tail(negatives, volume, a, b)
        # the usual count of negatives per window, as a gamma-distributed Poisson rate
        rate_windows = st.neg_weight + 1.0
        shape = max(st.neg_rate, 0.5) * rate_windows
        p_count = _count_tail(negatives, shape, rate_windows)
        return min(1.0, 2.0 * min(p_share, p_count))

    def update(self, entity: str, window: int, volume: int, negatives: int) -> WindowResult:
        """Score one closed window and update the entity's baseline."""
        st = self.states.setdefault(entity, _EntityState(self.prior_share))
        p0 = max(st.baseline, self.min_share)
        share = negatives / volume if volume else 0.0
        z = (share - p0) / math.sqrt(p0 * (1 - p0) / volume) if volume else 0.0
        st.cusum = max(0.0, st.cusum + z - self.cusum_k) if volume else st.cusum
        st.recent = [*st.recent[-(self.span - 1) :], (volume, negatives)] if self.span > 1 else []
        alert = ""
        ready = st.windows >= self.warmup_windows and st.cooldown == 0
        if ready:
            candidates = [(volume, negatives)]
            if self.span > 1 and len(st.recent) == self.span:
                candidates.append(
                    (sum(v for v, _ in st.recent), sum(k for _, k in st.recent))
                )
            for n, k in candidates:
                if n < self.min_volume or k < self.min_negatives:
                    continue
                zn = (k / n - p0) / math.sqrt(p0 * (1 - p0) / n)
                if zn >= self.z_threshold and self._tail(st, n, k) <= self.p_threshold:
                    alert = "spike"
                    break
            if not alert and volume >= self.min_volume and st.cusum >= self.cusum_h:
                alert = "drift"
        if alert:
            st.cooldown, st.cusum, st.recent = self.cooldown_windows, 0.0, []
        elif st.cooldown:  # still inside a burst: the baseline waits
            st.cooldown -= 1
        else:
            decay = 0.5 ** (1.0 / self.halflife)
            st.neg_weight = st.neg_weight * decay + 1.0
            st.neg_rate += (negatives - st.neg_rate) / st.neg_weight
            st.volume = st.volume * decay + volume
            st.negatives = st.negatives * decay + negatives
            if volume:
                st.weight = st.weight * decay + volume
                st.baseline += (share - st.baseline) * volume / st.weight
        st.windows += 1
        return WindowResult(entity, window, volume, negatives, share, p0, z, st.cusum, alert)
