"""Grade statistics for small samples: shares with Wilson intervals, changes, agreement.

Monthly samples are a dozen or so returns, so every share the reports show carries a 95%
interval, and a change is called a change only when the interval of the difference leaves
out zero. Nothing here knows about files or rendering: plain numbers in, plain numbers out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Two-sided 95%: the 0.975 quantile of the standard normal distribution.
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Share:
    """``k`` of ``n`` with a Wilson score interval (``None`` when ``n`` is 0)."""

    k: int
    n: int
    low: float | None
    high: float | None

    @property
    def value(self) -> float | None:
        return self.k / self.n if self.n else None


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for ``k`` successes in ``n`` trials.

    Unlike the textbook p ± z·se interval it stays inside [0, 1] and does not collapse to a
    point at 0/n or n/n, which matters with a dozen returns a month. ``n`` must be positive.
    """
    if n <= 0:
        raise ValueError("the Wilson interval needs at least one observation")
    if not 0 <= k <= n:
        raise ValueError(f"k={k} is outside 0..n={n}")
    p = k / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = (z / (1 + z2 / n)) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def share(k: int, n: int) -> Share:
    if n == 0:
        return Share(k, n, None, None)
    lo, hi = wilson(k, n)
    return Share(k, n, lo, hi)


@dataclass(frozen=True)
class Change:
    """The difference of two shares (this minus before) with Newcombe's hybrid score interval."""

    this: Share
    before: Share
    diff: float | None
    low: float | None
    high: float | None

    @property
    def clear(self) -> bool:
        """Whether the interval of the difference leaves out zero: a change, not noise."""
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)

    @property
    def direction(self) -> str:
        """ "up", "down", "no clear change" or "not enough data"."""
        if self.diff is None:
            return "not enough data"
        if not self.clear:
            return "no clear change"
        return "up" if self.diff > 0 else "down"


def change(this: Share, before: Share) -> Change:
    """Newcombe (1998) method 10: the difference of two independent proportions.

    Built from the two Wilson intervals, so it behaves with small samples and shares near 0
    or 1 where the Wald interval of a difference does not.
    """
    if not this.n or not before.n:
        return Change(this, before, None, None, None)
    p1, p2 = this.k / this.n, before.k / before.n
    l1, u1 = wilson(this.k, this.n)
    l2, u2 = wilson(before.k, before.n)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return Change(this, before, d, low, high)


@dataclass(frozen=True)
class Agreement:
    """Agreement of two raters over ordered categories (auditor vs moderator)."""

    n: int
    exact: Share
    kappa: float | None  # quadratic-weighted; None when undefined (no spread of grades)
    mean_difference: float | None  # mean of (first - second) in category steps


def weighted_kappa(
    pairs: Iterable[tuple[int, int]], categories: int, power: int = 2
) -> float | None:
    """Cohen's weighted kappa for ratings 0..categories-1; ``power`` 2 is quadratic weights.

    Disagreement weights are ``|i - j| ** power / (categories - 1) ** power``; kappa is
    1 - observed weighted disagreement / the disagreement expected from the margins.
    ``None`` when the expected disagreement is zero (both raters used a single category):
    agreement beyond chance cannot be measured then.
    """
    pairs = list(pairs)
    n = len(pairs)
    if n == 0 or categories < 2:
        return None
    scale = (categories - 1) ** power
    row = [0] * categories
    col = [0] * categories
    observed = 0.0
    for a, b in pairs:
        if not (0 <= a < categories and 0 <= b < categories):
            raise ValueError(f"rating ({a}, {b}) is outside 0..{categories - 1}")
        row[a] += 1
        col[b] += 1
        observed += abs(a - b) ** power / scale
    expected = 0.0
    for i in range(categories):
        for j in range(categories):
            expected += row[i] * col[j] * abs(i - j) ** power / scale
    observed /= n
    expected /= n * n
    if expected == 0:
        return None
    return 1 - observed / expected


def agreement(pairs: Sequence[tuple[int, int]], categories: int) -> Agreement:
    """Exact agreement (with its interval), quadratic-weighted kappa and mean difference."""
    n = len(pairs)
    same = sum(1 for a, b in pairs if a == b)
    mean = sum(a - b for a, b in pairs) / n if n else None
    return Agreement(n, share(same, n), weighted_kappa(pairs, categories), mean)
