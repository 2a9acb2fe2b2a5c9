"""The statistics against published, hand-checkable examples."""

from __future__ import annotations

import pytest

from qa_cli.stats import agreement, change, share, weighted_kappa, wilson


def test_wilson_8_of_10() -> None:
    # The usual worked example (e.g. Brown, Cai & DasGupta 2001; Wikipedia "Binomial
    # proportion confidence interval"): 8/10 at 95% gives (0.490, 0.943).
    lo, hi = wilson(8, 10)
    assert (round(lo, 3), round(hi, 3)) == (0.490, 0.943)


def test_wilson_newcombe_81_of_263() -> None:
    # Newcombe (1998), Statistics in Medicine 17:857-872, Table I, example 81/263:
    # score method without continuity correction 0.2553 to 0.3662.
    lo, hi = wilson(81, 263)
    assert (round(lo, 4), round(hi, 4)) == (0.2553, 0.3662)


def test_wilson_edges_stay_in_range_and_are_not_points() -> None:
    lo, hi = wilson(0, 5)
    assert lo == 0.0 and 0.4 < hi < 0.5  # 0/5: (0, 0.434)
    lo, hi = wilson(5, 5)
    assert hi == 1.0 and 0.5 < lo < 0.6
    assert share(0, 0).low is None and share(0, 0).value is None
    with pytest.raises(ValueError):
        wilson(3, 2)


def test_newcombe_difference_56_70_vs_48_80() -> None:
    # Newcombe (1998), Statistics in Medicine 17:873-890, Table II example (a):
    # 56/70 - 48/80, method 10 (hybrid score) gives 0.0524 to 0.3339.
    c = change(share(56, 70), share(48, 80))
    assert round(c.diff, 4) == 0.2
    assert (round(c.low, 4), round(c.high, 4)) == (0.0524, 0.3339)
    assert c.clear and c.direction == "up"


def test_small_samples_do_not_make_noise_look_like_change() -> None:
    # 9 of 12 Good or better after 7 of 12: looks like +17 points, but is noise at n=12.
    c = change(share(9, 12), share(7, 12))
    assert c.low < 0 < c.high
    assert c.direction == "no clear change"
    assert change(share(1, 1), share(0, 0)).direction == "not enough data"


def test_weighted_kappa_two_categories_is_cohens_kappa() -> None:
    # Wikipedia "Cohen's kappa", worked example: 50 proposals, both yes 20, both no 15,
    # A yes / B no 5, A no / B yes 10: kappa = 0.4. With two categories quadratic weights
    # are the 0/1 weights, so weighted kappa equals Cohen's kappa.
    pairs = [(1, 1)] * 20 + [(0, 0)] * 15 + [(1, 0)] * 5 + [(0, 1)] * 10
    assert weighted_kappa(pairs, 2) == pytest.approx(0.4)


def _kappa_from_moments(pairs: list[tuple[int, int]]) -> float:
    # Quadratic-weighted kappa equals 2·cov(x, y) / (var x + var y + (mean x - mean y)²)
    # with population moments (Fleiss & Cohen 1973; Schuster 2004): an independent route.
    n = len(pairs)
    mx = sum(a for a, _ in pairs) / n
    my = sum(b for _, b in pairs) / n
    vx = sum((a - mx) ** 2 for a, _ in pairs) / n
    vy = sum((b - my) ** 2 for _, b in pairs) / n
    cov = sum((a - mx) * (b - my) for a, b in pairs) / n
    return 2 * cov / (vx + vy + (mx - my) ** 2)


def test_quadratic_kappa_four_grades_matches_moment_formula() -> None:
    pairs = [(0, 0), (1, 1), (1, 2), (2, 2), (2, 2), (3, 3), (2, 1), (1, 1), (3, 2), (0, 1)]
    assert weighted_kappa(pairs, 4) == pytest.approx(_kappa_from_moments(pairs))


def test_quadratic_kappa_hand_worked() -> None:
    # Three cases on a 3-point scale: (0,0), (1,2), (2,2). Weights (i-j)²/4.
    # Observed disagreement: (0 + 1/4 + 0) / 3 = 1/12.
    # Margins: rater A {0:1, 1:1, 2:1}, rater B {0:1, 2:2}; expected disagreement
    # = sum a_i b_j w_ij / 9 = (1·2·1 + 1·1·1/4 + 1·2·1/4 + 1·1·1) / 9 = 3.75 / 9.
    # kappa = 1 - (1/12) / (3.75/9) = 1 - 0.2 = 0.8.
    assert weighted_kappa([(0, 0), (1, 2), (2, 2)], 3) == pytest.approx(0.8)


def test_kappa_perfect_and_undefined() -> None:
    assert weighted_kappa([(0, 0), (1, 1), (3, 3)], 4) == pytest.approx(1.0)
    assert weighted_kappa([(2, 2), (2, 2)], 4) is None  # a single grade: no spread
    assert weighted_kappa([], 4) is None


def test_agreement_summary() -> None:
    a = agreement([(2, 2), (3, 2), (3, 2), (1, 1)], 4)
    assert a.n == 4 and a.exact.k == 2 and a.exact.n == 4
    assert a.mean_difference == pytest.approx(0.5)  # first rater half a grade higher
